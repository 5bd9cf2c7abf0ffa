/* Error codes of the olm C API.
 *
 * Part of the memory-safe drop-in replacement for libolm 3.2 written in Rust
 * (see docs/libolm-drop-in.md). Licensed under the Apache License 2.0.
 *
 * Every function that can fail returns olm_error() and records one of these
 * codes in the object it was given; the object's *_last_error_code function
 * returns it and *_last_error gives its name.
 */
#ifndef OLM_ERROR_H_
#define OLM_ERROR_H_

#include "olm/olm_export.h"

#ifdef __cplusplus
extern "C" {
#endif

enum OlmErrorCode {
    OLM_SUCCESS = 0,                 /* no error */
    OLM_NOT_ENOUGH_RANDOM = 1,       /* fewer random bytes than required, or
                                        the object was never set up */
    OLM_OUTPUT_BUFFER_TOO_SMALL = 2, /* an output buffer is too short */
    OLM_BAD_MESSAGE_VERSION = 3,     /* a message of an unknown version */
    OLM_BAD_MESSAGE_FORMAT = 4,      /* a message that cannot be parsed */
    OLM_BAD_MESSAGE_MAC = 5,         /* a message that does not decrypt */
    OLM_BAD_MESSAGE_KEY_ID = 6,      /* a message for a key we do not hold */
    OLM_INVALID_BASE64 = 7,          /* malformed base64, or a refused key */
    OLM_BAD_ACCOUNT_KEY = 8,         /* wrong pickle key, or altered pickle */
    OLM_UNKNOWN_PICKLE_VERSION = 9,  /* a pickle of an unknown version */
    OLM_CORRUPTED_PICKLE = 10,       /* a pickle whose contents are invalid */
    OLM_BAD_SESSION_KEY = 11,        /* a malformed Megolm session key */
    OLM_UNKNOWN_MESSAGE_INDEX = 12,  /* a Megolm message older than the
                                        first index the session knows */
    OLM_BAD_LEGACY_ACCOUNT_PICKLE = 13, /* an account pickle of version 1,
                                           whose Ed25519 key is unsafe */
    OLM_BAD_SIGNATURE = 14,          /* an Ed25519 signature does not verify */
    OLM_INPUT_BUFFER_TOO_SMALL = 15, /* an input buffer is too short */
    OLM_SAS_THEIR_KEY_NOT_SET = 16,  /* SAS output asked before the other
                                        side's key was set */
    OLM_PICKLE_EXTRA_DATA = 17,      /* a pickle with bytes after its end */
};

/** The name of an error code ("BAD_MESSAGE_MAC", ...), or "UNKNOWN_ERROR"
 * for a value outside the enumeration. The string is static. */
OLM_EXPORT const char * _olm_error_to_string(enum OlmErrorCode error);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* OLM_ERROR_H_ */

/* The olm C API: inbound Megolm group sessions (the recipients' side).
 *
 * Part of the memory-safe drop-in replacement for libolm 3.2 written in Rust
 * (see docs/libolm-drop-in.md). Licensed under the Apache License 2.0.
 * The conventions of olm/olm.h apply.
 */
#ifndef OLM_INBOUND_GROUP_SESSION_H_
#define OLM_INBOUND_GROUP_SESSION_H_

#include <stddef.h>
#include <stdint.h>

#include "olm/error.h"

#include "olm/olm_export.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct OlmInboundGroupSession OlmInboundGroupSession;

/** Bytes of memory to provide for an inbound group session. */
OLM_EXPORT size_t olm_inbound_group_session_size(void);

/** Makes an empty inbound group session in `memory` (at least
 * olm_inbound_group_session_size() bytes). */
OLM_EXPORT OlmInboundGroupSession * olm_inbound_group_session(
    void *memory
);

/** The name of the session's last error, as a static string. */
OLM_EXPORT const char *olm_inbound_group_session_last_error(
    const OlmInboundGroupSession *session
);

/** The session's last error code. */
OLM_EXPORT enum OlmErrorCode olm_inbound_group_session_last_error_code(
    const OlmInboundGroupSession *session
);

/** Wipes and releases the session's keys, leaving an empty session. Returns
 * olm_inbound_group_session_size(). */
OLM_EXPORT size_t olm_clear_inbound_group_session(
    OlmInboundGroupSession *session
);

/** The exact length of olm_pickle_inbound_group_session()'s output. */
OLM_EXPORT size_t olm_pickle_inbound_group_session_length(
    const OlmInboundGroupSession *session
);

/** Writes the session as libolm's pickle (version 2), encrypted with `key`.
 * Returns the pickle's length. Errors: OUTPUT_BUFFER_TOO_SMALL. */
OLM_EXPORT size_t olm_pickle_inbound_group_session(
    OlmInboundGroupSession *session,
    void const * key, size_t key_length,
    void * pickled, size_t pickled_length
);

/** Restores a session from a libolm pickle (version 1 or 2). Returns
 * `pickled_length`. Errors: INVALID_BASE64, BAD_ACCOUNT_KEY,
 * UNKNOWN_PICKLE_VERSION, CORRUPTED_PICKLE, PICKLE_EXTRA_DATA. */
OLM_EXPORT size_t olm_unpickle_inbound_group_session(
    OlmInboundGroupSession *session,
    void const * key, size_t key_length,
    void * pickled, size_t pickled_length
);

/** Starts the session from a signed session key (base64, as written by
 * olm_outbound_group_session_key()). The session counts as verified.
 * Returns 0. Errors: INVALID_BASE64, BAD_SESSION_KEY, BAD_SIGNATURE. */
OLM_EXPORT size_t olm_init_inbound_group_session(
    OlmInboundGroupSession *session,
    uint8_t const * session_key, size_t session_key_length
);

/** Starts the session from an exported key (base64, as written by
 * olm_export_inbound_group_session()). Exports are not signed: the session
 * is not verified until it decrypts a message. Returns 0.
 * Errors: INVALID_BASE64, BAD_SESSION_KEY. */
OLM_EXPORT size_t olm_import_inbound_group_session(
    OlmInboundGroupSession *session,
    uint8_t const * session_key, size_t session_key_length
);

/** The largest plaintext `message` (base64) can decrypt to.
 * Errors: INVALID_BASE64, BAD_MESSAGE_VERSION, BAD_MESSAGE_FORMAT. */
OLM_EXPORT size_t olm_group_decrypt_max_plaintext_length(
    OlmInboundGroupSession *session,
    uint8_t * message, size_t message_length
);

/** Checks and decrypts `message` (base64); stores its index in
 * `*message_index` when that is not null. Megolm does not detect replays:
 * compare the index with the ones already seen. Returns the plaintext's
 * length. Errors: OUTPUT_BUFFER_TOO_SMALL, INVALID_BASE64,
 * BAD_MESSAGE_VERSION, BAD_MESSAGE_FORMAT, BAD_SIGNATURE,
 * UNKNOWN_MESSAGE_INDEX (sent before the key we hold), BAD_MESSAGE_MAC. */
OLM_EXPORT size_t olm_group_decrypt(
    OlmInboundGroupSession *session,
    uint8_t * message, size_t message_length,
    uint8_t * plaintext, size_t max_plaintext_length,
    uint32_t * message_index
);

/** The length of the session id (43). */
OLM_EXPORT size_t olm_inbound_group_session_id_length(
    const OlmInboundGroupSession *session
);

/** Writes the session id: the base64 Ed25519 signing key. Returns its
 * length. Errors: OUTPUT_BUFFER_TOO_SMALL. */
OLM_EXPORT size_t olm_inbound_group_session_id(
    OlmInboundGroupSession *session,
    uint8_t * id, size_t id_length
);

/** The index of the earliest message the session can decrypt. */
OLM_EXPORT uint32_t olm_inbound_group_session_first_known_index(
    const OlmInboundGroupSession *session
);

/** 1 if the session came from a signed session key or has decrypted a
 * message, 0 otherwise. */
OLM_EXPORT int olm_inbound_group_session_is_verified(
    const OlmInboundGroupSession *session
);

/** The length of an exported session key (220). */
OLM_EXPORT size_t olm_export_inbound_group_session_length(
    const OlmInboundGroupSession *session
);

/** Writes the session's ratchet at `message_index` as an exported key (for
 * olm_import_inbound_group_session()). Returns its length.
 * Errors: OUTPUT_BUFFER_TOO_SMALL, UNKNOWN_MESSAGE_INDEX. */
OLM_EXPORT size_t olm_export_inbound_group_session(
    OlmInboundGroupSession *session,
    uint8_t * key, size_t key_length, uint32_t message_index
);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* OLM_INBOUND_GROUP_SESSION_H_ */

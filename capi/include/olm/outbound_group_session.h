/* The olm C API: outbound Megolm group sessions (the sender's side).
 *
 * Part of the memory-safe drop-in replacement for libolm 3.2 written in Rust
 * (see docs/libolm-drop-in.md). Licensed under the Apache License 2.0.
 * The conventions of olm/olm.h apply.
 */
#ifndef OLM_OUTBOUND_GROUP_SESSION_H_
#define OLM_OUTBOUND_GROUP_SESSION_H_

#include <stddef.h>
#include <stdint.h>

#include "olm/error.h"

#include "olm/olm_export.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct OlmOutboundGroupSession OlmOutboundGroupSession;

/** Bytes of memory to provide for an outbound group session. */
OLM_EXPORT size_t olm_outbound_group_session_size(void);

/** Makes an empty outbound group session in `memory` (at least
 * olm_outbound_group_session_size() bytes). */
OLM_EXPORT OlmOutboundGroupSession * olm_outbound_group_session(
    void *memory
);

/** The name of the session's last error, as a static string. */
OLM_EXPORT const char *olm_outbound_group_session_last_error(
    const OlmOutboundGroupSession *session
);

/** The session's last error code. */
OLM_EXPORT enum OlmErrorCode olm_outbound_group_session_last_error_code(
    const OlmOutboundGroupSession *session
);

/** Wipes and releases the session's keys, leaving an empty session. Returns
 * olm_outbound_group_session_size(). */
OLM_EXPORT size_t olm_clear_outbound_group_session(
    OlmOutboundGroupSession *session
);

/** The exact length of olm_pickle_outbound_group_session()'s output. */
OLM_EXPORT size_t olm_pickle_outbound_group_session_length(
    const OlmOutboundGroupSession *session
);

/** Writes the session as libolm's pickle (version 1), encrypted with `key`.
 * Returns the pickle's length. Errors: OUTPUT_BUFFER_TOO_SMALL. */
OLM_EXPORT size_t olm_pickle_outbound_group_session(
    OlmOutboundGroupSession *session,
    void const * key, size_t key_length,
    void * pickled, size_t pickled_length
);

/** Restores a session from a libolm pickle. Returns `pickled_length`.
 * Errors: INVALID_BASE64, BAD_ACCOUNT_KEY, UNKNOWN_PICKLE_VERSION,
 * CORRUPTED_PICKLE, PICKLE_EXTRA_DATA. */
OLM_EXPORT size_t olm_unpickle_outbound_group_session(
    OlmOutboundGroupSession *session,
    void const * key, size_t key_length,
    void * pickled, size_t pickled_length
);

/** Random bytes olm_init_outbound_group_session() needs (160). */
OLM_EXPORT size_t olm_init_outbound_group_session_random_length(
    const OlmOutboundGroupSession *session
);

/** Starts a new session from `random`: the 128-byte ratchet, then the
 * Ed25519 seed. The random buffer is wiped. Returns 0.
 * Errors: NOT_ENOUGH_RANDOM. */
OLM_EXPORT size_t olm_init_outbound_group_session(
    OlmOutboundGroupSession *session,
    uint8_t *random, size_t random_length
);

/** The exact length of the next message for `plaintext_length` bytes. */
OLM_EXPORT size_t olm_group_encrypt_message_length(
    OlmOutboundGroupSession *session,
    size_t plaintext_length
);

/** Encrypts and signs `plaintext`, writes the message in base64 and moves
 * the ratchet on. Returns the message's length.
 * Errors: OUTPUT_BUFFER_TOO_SMALL. */
OLM_EXPORT size_t olm_group_encrypt(
    OlmOutboundGroupSession *session,
    uint8_t const * plaintext, size_t plaintext_length,
    uint8_t * message, size_t message_length
);

/** The length of the session id (43). */
OLM_EXPORT size_t olm_outbound_group_session_id_length(
    const OlmOutboundGroupSession *session
);

/** Writes the session id: the base64 Ed25519 signing key. Returns its
 * length. Errors: OUTPUT_BUFFER_TOO_SMALL. */
OLM_EXPORT size_t olm_outbound_group_session_id(
    OlmOutboundGroupSession *session,
    uint8_t * id, size_t id_length
);

/** The index of the next message the session will encrypt. */
OLM_EXPORT uint32_t olm_outbound_group_session_message_index(
    OlmOutboundGroupSession *session
);

/** The length of the session key (306). */
OLM_EXPORT size_t olm_outbound_group_session_key_length(
    const OlmOutboundGroupSession *session
);

/** Writes the signed session key for the next message index, to share with
 * recipients over Olm. Returns its length.
 * Errors: OUTPUT_BUFFER_TOO_SMALL. */
OLM_EXPORT size_t olm_outbound_group_session_key(
    OlmOutboundGroupSession *session,
    uint8_t * key, size_t key_length
);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* OLM_OUTBOUND_GROUP_SESSION_H_ */

/* The olm C API: accounts, Olm sessions and utilities.
 *
 * Part of the memory-safe drop-in replacement for libolm 3.2 written in Rust
 * (see docs/libolm-drop-in.md). Licensed under the Apache License 2.0.
 *
 * Conventions shared by every header of this library:
 *
 * - Objects live in memory the caller provides: allocate olm_X_size() bytes,
 *   pass them to olm_X() to get the object, and give it back with
 *   olm_clear_X() before freeing the memory (that call releases and wipes
 *   what the object holds; memory freed without it leaks the object's keys).
 *   An object must not be copied byte by byte, nor used from two threads at
 *   once.
 * - Functions that can fail return olm_error() and record a code in the
 *   object (olm_X_last_error_code(), olm_X_last_error()).
 * - Keys, messages, signatures and pickles are unpadded base64 text; output
 *   buffers are not NUL-terminated. The *_length functions give the sizes to
 *   allocate; shorter buffers fail with OUTPUT_BUFFER_TOO_SMALL.
 * - Randomness comes from the caller, in the amount the *_random_length
 *   functions name. Where libolm wipes the random buffer after use, so does
 *   this library.
 * - Input buffers are read, never modified (libolm decodes many of them in
 *   place); callers may keep using them.
 */
#ifndef OLM_H_
#define OLM_H_

#include <stddef.h>
#include <stdint.h>

#include "olm/error.h"
#include "olm/inbound_group_session.h"
#include "olm/outbound_group_session.h"

#include "olm/olm_export.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The two kinds of Olm message: a pre-key message opens a session, normal
 * messages follow once the other side has replied. */
static const size_t OLM_MESSAGE_TYPE_PRE_KEY = 0;
static const size_t OLM_MESSAGE_TYPE_MESSAGE = 1;

typedef struct OlmAccount OlmAccount;
typedef struct OlmSession OlmSession;
typedef struct OlmUtility OlmUtility;

/** The version of the libolm API this library implements (3.2.x). Null
 * arguments are skipped. */
OLM_EXPORT void olm_get_library_version(uint8_t *major, uint8_t *minor, uint8_t *patch);

/** Bytes of memory to provide for an account. */
OLM_EXPORT size_t olm_account_size(void);

/** Bytes of memory to provide for a session. */
OLM_EXPORT size_t olm_session_size(void);

/** Bytes of memory to provide for a utility object. */
OLM_EXPORT size_t olm_utility_size(void);

/** Makes an empty account in `memory` (at least olm_account_size() bytes).
 * It needs olm_create_account() or olm_unpickle_account() before use. */
OLM_EXPORT OlmAccount * olm_account(
    void * memory
);

/** Makes an empty session in `memory` (at least olm_session_size() bytes). */
OLM_EXPORT OlmSession * olm_session(
    void * memory
);

/** Makes a utility object in `memory` (at least olm_utility_size() bytes). */
OLM_EXPORT OlmUtility * olm_utility(
    void * memory
);

/** The value every fallible function returns on failure: (size_t)-1. */
OLM_EXPORT size_t olm_error(void);

/** The name of the account's last error, as a static string. */
OLM_EXPORT const char * olm_account_last_error(
    OlmAccount const * account
);

/** The account's last error code. */
OLM_EXPORT enum OlmErrorCode olm_account_last_error_code(
    OlmAccount const * account
);

/** The name of the session's last error, as a static string. */
OLM_EXPORT const char * olm_session_last_error(
    OlmSession const * session
);

/** The session's last error code. */
OLM_EXPORT enum OlmErrorCode olm_session_last_error_code(
    OlmSession const * session
);

/** The name of the utility object's last error, as a static string. */
OLM_EXPORT const char * olm_utility_last_error(
    OlmUtility const * utility
);

/** The utility object's last error code. */
OLM_EXPORT enum OlmErrorCode olm_utility_last_error_code(
    OlmUtility const * utility
);

/** Wipes and releases the account's keys, leaving an empty account. Returns
 * olm_account_size(). */
OLM_EXPORT size_t olm_clear_account(
    OlmAccount * account
);

/** Wipes and releases the session's keys, leaving an empty session. Returns
 * olm_session_size(). */
OLM_EXPORT size_t olm_clear_session(
    OlmSession * session
);

/** Resets the utility object. Returns olm_utility_size(). */
OLM_EXPORT size_t olm_clear_utility(
    OlmUtility * utility
);

/** The exact length of olm_pickle_account()'s output. */
OLM_EXPORT size_t olm_pickle_account_length(
    OlmAccount const * account
);

/** The exact length of olm_pickle_session()'s output. */
OLM_EXPORT size_t olm_pickle_session_length(
    OlmSession const * session
);

/** Writes the account as libolm's pickle (version 4), encrypted with `key`
 * (any bytes, any length). Returns the pickle's length.
 * Errors: OUTPUT_BUFFER_TOO_SMALL. */
OLM_EXPORT size_t olm_pickle_account(
    OlmAccount * account,
    void const * key, size_t key_length,
    void * pickled, size_t pickled_length
);

/** Writes the session as libolm's pickle (version 1), encrypted with `key`.
 * Returns the pickle's length. Errors: OUTPUT_BUFFER_TOO_SMALL. */
OLM_EXPORT size_t olm_pickle_session(
    OlmSession * session,
    void const * key, size_t key_length,
    void * pickled, size_t pickled_length
);

/** Restores an account from a libolm pickle (versions 2 to 4). Returns
 * `pickled_length`. Errors: INVALID_BASE64, BAD_ACCOUNT_KEY (wrong key or
 * altered pickle), UNKNOWN_PICKLE_VERSION, BAD_LEGACY_ACCOUNT_PICKLE,
 * CORRUPTED_PICKLE, PICKLE_EXTRA_DATA. On failure the account is unchanged. */
OLM_EXPORT size_t olm_unpickle_account(
    OlmAccount * account,
    void const * key, size_t key_length,
    void * pickled, size_t pickled_length
);

/** Restores a session from a libolm pickle. Returns `pickled_length`.
 * Errors as olm_unpickle_account(). */
OLM_EXPORT size_t olm_unpickle_session(
    OlmSession * session,
    void const * key, size_t key_length,
    void * pickled, size_t pickled_length
);

/** Random bytes olm_create_account() needs (64). */
OLM_EXPORT size_t olm_create_account_random_length(
    OlmAccount const * account
);

/** Creates the account's identity keys from `random`: the Ed25519 seed, then
 * the Curve25519 key. The random buffer is wiped. Returns 0.
 * Errors: NOT_ENOUGH_RANDOM. */
OLM_EXPORT size_t olm_create_account(
    OlmAccount * account,
    void * random, size_t random_length
);

/** The length of the identity keys JSON. */
OLM_EXPORT size_t olm_account_identity_keys_length(
    OlmAccount const * account
);

/** Writes the public identity keys as
 * {"curve25519":"<key>","ed25519":"<key>"}. Returns the length written.
 * Errors: OUTPUT_BUFFER_TOO_SMALL. */
OLM_EXPORT size_t olm_account_identity_keys(
    OlmAccount * account,
    void * identity_keys, size_t identity_key_length
);

/** The length of a base64 Ed25519 signature (86). */
OLM_EXPORT size_t olm_account_signature_length(
    OlmAccount const * account
);

/** Signs `message` with the account's Ed25519 key and writes the signature
 * in base64. Returns its length. Errors: OUTPUT_BUFFER_TOO_SMALL. */
OLM_EXPORT size_t olm_account_sign(
    OlmAccount * account,
    void const * message, size_t message_length,
    void * signature, size_t signature_length
);

/** The length of the one-time keys JSON. */
OLM_EXPORT size_t olm_account_one_time_keys_length(
    OlmAccount const * account
);

/** Writes the one-time keys not yet marked as published, newest first, as
 * {"curve25519":{"AAAAAg":"<key>","AAAAAQ":"<key>"}}: each key id is the
 * base64 of a 32-bit big-endian counter. Returns the length written.
 * Errors: OUTPUT_BUFFER_TOO_SMALL. */
OLM_EXPORT size_t olm_account_one_time_keys(
    OlmAccount * account,
    void * one_time_keys, size_t one_time_keys_length
);

/** Marks every one-time key and the current fallback key as published: they
 * are no longer listed by olm_account_one_time_keys() and
 * olm_account_unpublished_fallback_key(). Returns how many one-time keys
 * were newly marked. */
OLM_EXPORT size_t olm_account_mark_keys_as_published(
    OlmAccount * account
);

/** How many one-time keys the account keeps (100); beyond that, generating
 * more drops the oldest. */
OLM_EXPORT size_t olm_account_max_number_of_one_time_keys(
    OlmAccount const * account
);

/** Random bytes needed to generate `number_of_keys` one-time keys (32 each). */
OLM_EXPORT size_t olm_account_generate_one_time_keys_random_length(
    OlmAccount const * account,
    size_t number_of_keys
);

/** Generates `number_of_keys` one-time keys, 32 random bytes each, in order.
 * The random buffer is wiped. Returns `number_of_keys`.
 * Errors: NOT_ENOUGH_RANDOM. */
OLM_EXPORT size_t olm_account_generate_one_time_keys(
    OlmAccount * account,
    size_t number_of_keys,
    void * random, size_t random_length
);

/** Random bytes needed to generate a fallback key (32). */
OLM_EXPORT size_t olm_account_generate_fallback_key_random_length(
    OlmAccount const * account
);

/** Generates a new fallback key; the current one is kept as the previous
 * fallback key. The random buffer is wiped. Returns 1.
 * Errors: NOT_ENOUGH_RANDOM. */
OLM_EXPORT size_t olm_account_generate_fallback_key(
    OlmAccount * account,
    void * random, size_t random_length
);

/** The length of olm_account_fallback_key()'s output. */
OLM_EXPORT size_t olm_account_fallback_key_length(
    OlmAccount const * account
);

/** Deprecated: writes the current fallback key, published or not, in the
 * JSON form of olm_account_one_time_keys(). Prefer
 * olm_account_unpublished_fallback_key(). */
OLM_EXPORT size_t olm_account_fallback_key(
    OlmAccount * account,
    void * fallback_key, size_t fallback_key_size
);

/** The length of olm_account_unpublished_fallback_key()'s output. */
OLM_EXPORT size_t olm_account_unpublished_fallback_key_length(
    OlmAccount const * account
);

/** Writes the current fallback key if it is not yet published, in the JSON
 * form of olm_account_one_time_keys() ({"curve25519":{}} otherwise).
 * Returns the length written. Errors: OUTPUT_BUFFER_TOO_SMALL. */
OLM_EXPORT size_t olm_account_unpublished_fallback_key(
    OlmAccount * account,
    void * fallback_key, size_t fallback_key_size
);

/** Forgets the previous fallback key, once no more pre-key messages for it
 * are expected. */
OLM_EXPORT void olm_account_forget_old_fallback_key(
    OlmAccount * account
);

/** Random bytes olm_create_outbound_session() needs (64). */
OLM_EXPORT size_t olm_create_outbound_session_random_length(
    OlmSession const * session
);

/** Opens a session to the device with Curve25519 identity key
 * `their_identity_key` using its one-time (or fallback) key
 * `their_one_time_key`, both 43 characters of base64. `random` gives the
 * base key then the first ratchet key, and is wiped. Returns 0.
 * Errors: INVALID_BASE64 (also for a low-order key), NOT_ENOUGH_RANDOM. */
OLM_EXPORT size_t olm_create_outbound_session(
    OlmSession * session,
    OlmAccount const * account,
    void const * their_identity_key, size_t their_identity_key_length,
    void const * their_one_time_key, size_t their_one_time_key_length,
    void * random, size_t random_length
);

/** Creates the session a pre-key message opens, without decrypting it: the
 * first successful olm_decrypt() of that message authenticates it; remove
 * the one-time key afterwards with olm_remove_one_time_keys(). Returns 0.
 * Errors: INVALID_BASE64, BAD_MESSAGE_VERSION, BAD_MESSAGE_FORMAT,
 * BAD_MESSAGE_KEY_ID (a one-time key the account does not hold, or a
 * low-order key). */
OLM_EXPORT size_t olm_create_inbound_session(
    OlmSession * session,
    OlmAccount * account,
    void * one_time_key_message, size_t message_length
);

/** As olm_create_inbound_session(), and the message must come from
 * `their_identity_key` (BAD_MESSAGE_KEY_ID otherwise). */
OLM_EXPORT size_t olm_create_inbound_session_from(
    OlmSession * session,
    OlmAccount * account,
    void const * their_identity_key, size_t their_identity_key_length,
    void * one_time_key_message, size_t message_length
);

/** The length of a session id (43). */
OLM_EXPORT size_t olm_session_id_length(
    OlmSession const * session
);

/** Writes the session id, the same on both sides: base64 of the SHA-256 of
 * the initiator's identity key, her base key and the one-time key. Returns
 * its length. Errors: OUTPUT_BUFFER_TOO_SMALL. */
OLM_EXPORT size_t olm_session_id(
    OlmSession * session,
    void * id, size_t id_length
);

/** 1 once the session has decrypted a message from the other side, 0
 * before: until then olm_encrypt() writes pre-key messages. */
OLM_EXPORT int olm_session_has_received_message(
    OlmSession const *session
);

/** Writes a NUL-terminated description of the session's chain indices, for
 * debugging, truncated to `buflen` bytes. */
OLM_EXPORT void olm_session_describe(OlmSession * session, char *buf, size_t buflen);

/** Whether a pre-key message belongs to this session: returns 1 if it does,
 * 0 if it does not (or cannot be parsed). Errors: INVALID_BASE64. */
OLM_EXPORT size_t olm_matches_inbound_session(
    OlmSession * session,
    void * one_time_key_message, size_t message_length
);

/** As olm_matches_inbound_session(), and the session's sender must be
 * `their_identity_key`. */
OLM_EXPORT size_t olm_matches_inbound_session_from(
    OlmSession * session,
    void const * their_identity_key, size_t their_identity_key_length,
    void * one_time_key_message, size_t message_length
);

/** Removes from the account the one-time key the session was created from
 * (a fallback key is kept). Returns the key's id.
 * Errors (on the account): BAD_MESSAGE_KEY_ID. */
OLM_EXPORT size_t olm_remove_one_time_keys(
    OlmAccount * account,
    OlmSession * session
);

/** The type of the next message olm_encrypt() writes:
 * OLM_MESSAGE_TYPE_PRE_KEY or OLM_MESSAGE_TYPE_MESSAGE. */
OLM_EXPORT size_t olm_encrypt_message_type(
    OlmSession const * session
);

/** Random bytes the next olm_encrypt() needs: 32 when it starts a new
 * ratchet step, else 0. */
OLM_EXPORT size_t olm_encrypt_random_length(
    OlmSession const * session
);

/** The exact length of the next message for `plaintext_length` bytes. */
OLM_EXPORT size_t olm_encrypt_message_length(
    OlmSession const * session,
    size_t plaintext_length
);

/** Encrypts `plaintext` and writes the message in base64. The random buffer
 * is wiped. Returns the message's length.
 * Errors: OUTPUT_BUFFER_TOO_SMALL, NOT_ENOUGH_RANDOM. */
OLM_EXPORT size_t olm_encrypt(
    OlmSession * session,
    void const * plaintext, size_t plaintext_length,
    void * random, size_t random_length,
    void * message, size_t message_length
);

/** The largest plaintext `message` (base64, of type `message_type`) can
 * decrypt to. Errors: INVALID_BASE64, BAD_MESSAGE_VERSION,
 * BAD_MESSAGE_FORMAT. */
OLM_EXPORT size_t olm_decrypt_max_plaintext_length(
    OlmSession * session,
    size_t message_type,
    void * message, size_t message_length
);

/** Decrypts `message` (base64, of type `message_type`). Returns the
 * plaintext's length. On failure the session is unchanged.
 * Errors: OUTPUT_BUFFER_TOO_SMALL, INVALID_BASE64, BAD_MESSAGE_VERSION,
 * BAD_MESSAGE_FORMAT, BAD_MESSAGE_MAC (any message that does not decrypt:
 * altered, replayed, too far ahead, or not for this session). */
OLM_EXPORT size_t olm_decrypt(
    OlmSession * session,
    size_t message_type,
    void * message, size_t message_length,
    void * plaintext, size_t max_plaintext_length
);

/** The length of a base64 SHA-256 digest (43). */
OLM_EXPORT size_t olm_sha256_length(
   OlmUtility const * utility
);

/** Writes the base64 SHA-256 digest of `input`. Returns its length.
 * Errors: OUTPUT_BUFFER_TOO_SMALL. */
OLM_EXPORT size_t olm_sha256(
    OlmUtility * utility,
    void const * input, size_t input_length,
    void * output, size_t output_length
);

/** Verifies an Ed25519 signature (base64) of `message` under `key` (43
 * characters of base64). Returns 0 if it is valid. Verification is strict
 * (RFC 8032 with S < L and canonical, non-small-order points).
 * Errors: INVALID_BASE64, BAD_MESSAGE_MAC (the signature does not verify). */
OLM_EXPORT size_t olm_ed25519_verify(
    OlmUtility * utility,
    void const * key, size_t key_length,
    void const * message, size_t message_length,
    void * signature, size_t signature_length
);

#ifdef __cplusplus
}
#endif

#endif /* OLM_H_ */

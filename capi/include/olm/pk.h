/* The olm C API: public-key encryption (the m.megolm_backup.v1 key backup
 * scheme) and Ed25519 signing keys from a seed (cross-signing).
 *
 * Part of the memory-safe drop-in replacement for libolm 3.2 written in Rust
 * (see docs/libolm-drop-in.md). Licensed under the Apache License 2.0.
 * The conventions of olm/olm.h apply.
 *
 * As in libolm, the backup scheme's MAC covers no data (it is the MAC of an
 * empty string): anyone holding the public key can write entries, and
 * ciphertexts are malleable. Use it only where the Matrix key backup needs it.
 */
#ifndef OLM_PK_H_
#define OLM_PK_H_

#include <stddef.h>
#include <stdint.h>

#include "olm/error.h"

#include "olm/olm_export.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct OlmPkEncryption OlmPkEncryption;

/** Bytes of memory to provide for an encryption object. */
OLM_EXPORT size_t olm_pk_encryption_size(void);

/** Makes an encryption object without a recipient in `memory` (at least
 * olm_pk_encryption_size() bytes). */
OLM_EXPORT OlmPkEncryption *olm_pk_encryption(
    void * memory
);

/** The name of the object's last error, as a static string. */
OLM_EXPORT const char * olm_pk_encryption_last_error(
    const OlmPkEncryption * encryption
);

/** The object's last error code. */
OLM_EXPORT enum OlmErrorCode olm_pk_encryption_last_error_code(
    const OlmPkEncryption * encryption
);

/** Forgets the recipient. Returns olm_pk_encryption_size(). */
OLM_EXPORT size_t olm_clear_pk_encryption(
    OlmPkEncryption *encryption
);

/** Sets the recipient's Curve25519 public key: the first 43 characters of
 * `public_key` (base64). Returns 0.
 * Errors: INPUT_BUFFER_TOO_SMALL, INVALID_BASE64 (also for a low-order key). */
OLM_EXPORT size_t olm_pk_encryption_set_recipient_key(
    OlmPkEncryption *encryption,
    void const *public_key, size_t public_key_length
);

/** The length of the base64 ciphertext of `plaintext_length` bytes. */
OLM_EXPORT size_t olm_pk_ciphertext_length(
    const OlmPkEncryption *encryption,
    size_t plaintext_length
);

/** The length of the base64 MAC (11). */
OLM_EXPORT size_t olm_pk_mac_length(
    const OlmPkEncryption *encryption
);

/** The length of a base64 public or ephemeral key (43). */
OLM_EXPORT size_t olm_pk_key_length(void);

/** Random bytes olm_pk_encrypt() needs (32). */
OLM_EXPORT size_t olm_pk_encrypt_random_length(
    const OlmPkEncryption *encryption
);

/** Encrypts `plaintext` to the recipient with an ephemeral key made from
 * `random` (not wiped, as in libolm); writes the base64 ciphertext, MAC and
 * ephemeral public key. The MAC buffer must hold olm_pk_mac_length() bytes.
 * Returns 8 (the raw MAC length, as libolm does).
 * Errors: OUTPUT_BUFFER_TOO_SMALL, NOT_ENOUGH_RANDOM, INVALID_BASE64 (no
 * recipient key set). */
OLM_EXPORT size_t olm_pk_encrypt(
    OlmPkEncryption *encryption,
    void const * plaintext, size_t plaintext_length,
    void * ciphertext, size_t ciphertext_length,
    void * mac, size_t mac_length,
    void * ephemeral_key, size_t ephemeral_key_size,
    const void * random, size_t random_length
);

typedef struct OlmPkDecryption OlmPkDecryption;

/** Bytes of memory to provide for a decryption object. */
OLM_EXPORT size_t olm_pk_decryption_size(void);

/** Makes a decryption object without a key in `memory` (at least
 * olm_pk_decryption_size() bytes). */
OLM_EXPORT OlmPkDecryption *olm_pk_decryption(
    void * memory
);

/** The name of the object's last error, as a static string. */
OLM_EXPORT const char * olm_pk_decryption_last_error(
    const OlmPkDecryption * decryption
);

/** The object's last error code. */
OLM_EXPORT enum OlmErrorCode olm_pk_decryption_last_error_code(
    const OlmPkDecryption * decryption
);

/** Wipes and releases the private key. Returns olm_pk_decryption_size(). */
OLM_EXPORT size_t olm_clear_pk_decryption(
    OlmPkDecryption *decryption
);

/** The length of a raw private key (32). */
OLM_EXPORT size_t olm_pk_private_key_length(void);

/** Deprecated name of olm_pk_private_key_length(). */
OLM_EXPORT size_t olm_pk_generate_key_random_length(void);

/** Sets the private key from 32 raw bytes (for a new key, 32 random bytes)
 * and writes the base64 public key to `pubkey`. Returns 0.
 * Errors: OUTPUT_BUFFER_TOO_SMALL, INPUT_BUFFER_TOO_SMALL. */
OLM_EXPORT size_t olm_pk_key_from_private(
    OlmPkDecryption * decryption,
    void * pubkey, size_t pubkey_length,
    const void * privkey, size_t privkey_length
);

/** Deprecated name of olm_pk_key_from_private(). */
OLM_EXPORT size_t olm_pk_generate_key(
    OlmPkDecryption * decryption,
    void * pubkey, size_t pubkey_length,
    const void * privkey, size_t privkey_length
);

/** The exact length of olm_pickle_pk_decryption()'s output. */
OLM_EXPORT size_t olm_pickle_pk_decryption_length(
    const OlmPkDecryption * decryption
);

/** Writes the object as libolm's pickle (version 1), encrypted with `key`.
 * Returns the pickle's length. Errors: OUTPUT_BUFFER_TOO_SMALL. */
OLM_EXPORT size_t olm_pickle_pk_decryption(
    OlmPkDecryption * decryption,
    void const * key, size_t key_length,
    void *pickled, size_t pickled_length
);

/** Restores the object from a libolm pickle and writes its base64 public key
 * to `pubkey` unless that is null. Returns `pickled_length`.
 * Errors: OUTPUT_BUFFER_TOO_SMALL, INVALID_BASE64, BAD_ACCOUNT_KEY,
 * UNKNOWN_PICKLE_VERSION, CORRUPTED_PICKLE, PICKLE_EXTRA_DATA. */
OLM_EXPORT size_t olm_unpickle_pk_decryption(
    OlmPkDecryption * decryption,
    void const * key, size_t key_length,
    void *pickled, size_t pickled_length,
    void *pubkey, size_t pubkey_length
);

/** The largest plaintext a base64 ciphertext of `ciphertext_length`
 * characters can decrypt to. */
OLM_EXPORT size_t olm_pk_max_plaintext_length(
    const OlmPkDecryption * decryption,
    size_t ciphertext_length
);

/** Decrypts a backup entry: its ephemeral key (43 characters), MAC (11) and
 * ciphertext, all base64. Returns the plaintext's length.
 * Errors: OUTPUT_BUFFER_TOO_SMALL, INVALID_BASE64, BAD_MESSAGE_MAC. */
OLM_EXPORT size_t olm_pk_decrypt(
    OlmPkDecryption * decryption,
    void const * ephemeral_key, size_t ephemeral_key_length,
    void const * mac, size_t mac_length,
    void * ciphertext, size_t ciphertext_length,
    void * plaintext, size_t max_plaintext_length
);

/** Writes the 32-byte raw private key. Returns 32.
 * Errors: OUTPUT_BUFFER_TOO_SMALL. */
OLM_EXPORT size_t olm_pk_get_private_key(
    OlmPkDecryption * decryption,
    void *private_key, size_t private_key_length
);

typedef struct OlmPkSigning OlmPkSigning;

/** Bytes of memory to provide for a signing object. */
OLM_EXPORT size_t olm_pk_signing_size(void);

/** Makes a signing object without a key in `memory` (at least
 * olm_pk_signing_size() bytes). */
OLM_EXPORT OlmPkSigning *olm_pk_signing(
    void * memory
);

/** The name of the object's last error, as a static string. */
OLM_EXPORT const char * olm_pk_signing_last_error(
    const OlmPkSigning * sign
);

/** The object's last error code. */
OLM_EXPORT enum OlmErrorCode olm_pk_signing_last_error_code(
    const OlmPkSigning * sign
);

/** Wipes and releases the signing key. Returns olm_pk_signing_size(). */
OLM_EXPORT size_t olm_clear_pk_signing(
    OlmPkSigning *sign
);

/** Sets the Ed25519 key from a 32-byte seed and writes the base64 public key
 * to `pubkey`. Returns 0.
 * Errors: OUTPUT_BUFFER_TOO_SMALL, INPUT_BUFFER_TOO_SMALL. */
OLM_EXPORT size_t olm_pk_signing_key_from_seed(
    OlmPkSigning * sign,
    void * pubkey, size_t pubkey_length,
    const void * seed, size_t seed_length
);

/** The length of a seed (32). */
OLM_EXPORT size_t olm_pk_signing_seed_length(void);

/** The length of a base64 public key (43). */
OLM_EXPORT size_t olm_pk_signing_public_key_length(void);

/** The length of a base64 signature (86). */
OLM_EXPORT size_t olm_pk_signature_length(void);

/** Signs `message` and writes the base64 signature. Returns its length.
 * Errors: OUTPUT_BUFFER_TOO_SMALL. */
OLM_EXPORT size_t olm_pk_sign(
    OlmPkSigning *sign,
    uint8_t const * message, size_t message_length,
    uint8_t * signature, size_t signature_length
);

#ifdef __cplusplus
}
#endif

#endif /* OLM_PK_H_ */

/* The olm C API: short authentication strings (SAS) for interactive device
 * verification.
 *
 * Part of the memory-safe drop-in replacement for libolm 3.2 written in Rust
 * (see docs/libolm-drop-in.md). Licensed under the Apache License 2.0.
 * The conventions of olm/olm.h apply.
 */
#ifndef OLM_SAS_H_
#define OLM_SAS_H_

#include <stddef.h>

#include "olm/error.h"

#include "olm/olm_export.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct OlmSAS OlmSAS;

/** The name of the SAS object's last error, as a static string. */
OLM_EXPORT const char * olm_sas_last_error(
    const OlmSAS * sas
);

/** The SAS object's last error code. */
OLM_EXPORT enum OlmErrorCode olm_sas_last_error_code(
    const OlmSAS * sas
);

/** Bytes of memory to provide for a SAS object. */
OLM_EXPORT size_t olm_sas_size(void);

/** Makes an empty SAS object in `memory` (at least olm_sas_size() bytes). */
OLM_EXPORT OlmSAS * olm_sas(
    void * memory
);

/** Wipes and releases the SAS object's keys. Returns olm_sas_size(). */
OLM_EXPORT size_t olm_clear_sas(
    OlmSAS * sas
);

/** Random bytes olm_create_sas() needs (32). */
OLM_EXPORT size_t olm_create_sas_random_length(
    const OlmSAS * sas
);

/** Creates the SAS key pair from `random` (not wiped, as in libolm). The
 * other side's key is unset. Returns 0. Errors: NOT_ENOUGH_RANDOM. */
OLM_EXPORT size_t olm_create_sas(
    OlmSAS * sas,
    void * random, size_t random_length
);

/** The length of a base64 public key (43). */
OLM_EXPORT size_t olm_sas_pubkey_length(const OlmSAS * sas);

/** Writes our base64 public key. Returns 0.
 * Errors: OUTPUT_BUFFER_TOO_SMALL. */
OLM_EXPORT size_t olm_sas_get_pubkey(
    OlmSAS * sas,
    void * pubkey, size_t pubkey_length
);

/** Sets the other side's public key: the first 43 characters of
 * `their_key` (base64). Can be called again with another key. Returns 0.
 * Errors: INPUT_BUFFER_TOO_SMALL, INVALID_BASE64 (also for a low-order
 * key). */
OLM_EXPORT size_t olm_sas_set_their_key(
    OlmSAS *sas,
    void * their_key, size_t their_key_length
);

/** 1 once the other side's key is set, 0 before. */
OLM_EXPORT int olm_sas_is_their_key_set(
    const OlmSAS *sas
);

/** Writes `output_length` bytes derived from the shared secret and `info`
 * (6 for the emoji and decimal strings of the Matrix spec). Returns 0.
 * Errors: SAS_THEIR_KEY_NOT_SET, OUTPUT_BUFFER_TOO_SMALL (more than 8160
 * bytes asked, beyond what HKDF-SHA-256 can derive). */
OLM_EXPORT size_t olm_sas_generate_bytes(
    OlmSAS * sas,
    const void * info, size_t info_length,
    void * output, size_t output_length
);

/** The length of a MAC written by the olm_sas_calculate_mac functions (43). */
OLM_EXPORT size_t olm_sas_mac_length(
    const OlmSAS *sas
);

/** The MAC of `input` under a key derived for `info`, in libolm's historical
 * malformed base64 (Matrix method "hkdf-hmac-sha256"). Returns 0.
 * Errors: OUTPUT_BUFFER_TOO_SMALL, SAS_THEIR_KEY_NOT_SET. */
OLM_EXPORT size_t olm_sas_calculate_mac(
    OlmSAS * sas,
    const void * input, size_t input_length,
    const void * info, size_t info_length,
    void * mac, size_t mac_length
);

/** The same MAC in correct base64 (Matrix method "hkdf-hmac-sha256.v2").
 * Returns 0. Errors: OUTPUT_BUFFER_TOO_SMALL, SAS_THEIR_KEY_NOT_SET. */
OLM_EXPORT size_t olm_sas_calculate_mac_fixed_base64(
    OlmSAS * sas,
    const void * input, size_t input_length,
    const void * info, size_t info_length,
    void * mac, size_t mac_length
);

/** The MAC with a 256-byte derived key, in the malformed base64 (legacy
 * method "hmac-sha256" of old clients). Returns 0.
 * Errors: OUTPUT_BUFFER_TOO_SMALL, SAS_THEIR_KEY_NOT_SET. */
OLM_EXPORT size_t olm_sas_calculate_mac_long_kdf(
    OlmSAS * sas,
    const void * input, size_t input_length,
    const void * info, size_t info_length,
    void * mac, size_t mac_length
);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* OLM_SAS_H_ */

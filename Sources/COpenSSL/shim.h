// OpenSSL's libcrypto: AES-CBC, AES-GCM (128-bit keys, which libsodium lacks), HMAC-SHA256 for
// Laravel's envelope (SHA-NI/AVX2 code paths) and HMAC-SHA1 for Laravel's cookie prefix.
#ifndef LARAVEL_CRYPTO_COPENSSL_SHIM_H
#define LARAVEL_CRYPTO_COPENSSL_SHIM_H

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/opensslv.h>
#include <openssl/params.h>

/// A new HMAC context for `digest` ("SHA256", "SHA1") keyed with `key`, to be restarted per
/// message; NULL on failure.
static inline EVP_MAC_CTX *lc_hmac_keyed(EVP_MAC *mac, const char *digest, const unsigned char *key,
                                         size_t key_length) {
    static const unsigned char empty = 0;
    OSSL_PARAM params[2] = {
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)digest, 0),
        OSSL_PARAM_construct_end(),
    };
    EVP_MAC_CTX *context = EVP_MAC_CTX_new(mac);
    if (context == NULL) return NULL;
    if (EVP_MAC_init(context, key != NULL ? key : &empty, key_length, params) != 1) {
        EVP_MAC_CTX_free(context);
        return NULL;
    }
    return context;
}

/// HMAC of first ‖ second (`out_length` bytes, the digest's size) on a keyed context that this
/// caller owns: restarts it with its key (OpenSSL 3 re-initialises HMAC from the stored key when
/// EVP_MAC_init gets no key).
static inline int lc_hmac_restart(EVP_MAC_CTX *keyed,
                                  const unsigned char *first, size_t first_length,
                                  const unsigned char *second, size_t second_length,
                                  unsigned char *out, size_t out_length) {
    size_t written = 0;
    return EVP_MAC_init(keyed, NULL, 0, NULL) == 1
        && (first_length == 0 || EVP_MAC_update(keyed, first, first_length) == 1)
        && (second_length == 0 || EVP_MAC_update(keyed, second, second_length) == 1)
        && EVP_MAC_final(keyed, out, &written, out_length) == 1
        && written == out_length;
}

#endif

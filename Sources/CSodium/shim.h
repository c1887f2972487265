// The libsodium system library, plus a compile-time check for AEGIS.
//
// AEGIS arrived in libsodium 1.0.19. Against an older libsodium (Debian 12 ships
// 1.0.18) the lc_aegis* wrappers below still exist, report "unavailable" and fail,
// so the Swift package compiles everywhere and AEGIS throws a typed error at run time.
#ifndef LARAVEL_CRYPTO_CSODIUM_SHIM_H
#define LARAVEL_CRYPTO_CSODIUM_SHIM_H

#include <sodium.h>

#if defined(crypto_aead_aegis256_KEYBYTES) && defined(crypto_aead_aegis128l_KEYBYTES)
#define LC_HAS_AEGIS 1
#else
#define LC_HAS_AEGIS 0
#endif

/// 1 when the linked headers declare AEGIS-128L and AEGIS-256 (libsodium >= 1.0.19).
static inline int lc_has_aegis(void) { return LC_HAS_AEGIS; }

static inline int lc_aegis256_encrypt(unsigned char *c, const unsigned char *m, unsigned long long mlen,
                                      const unsigned char *ad, unsigned long long adlen,
                                      const unsigned char *npub, const unsigned char *k) {
#if LC_HAS_AEGIS
    return crypto_aead_aegis256_encrypt(c, NULL, m, mlen, ad, adlen, NULL, npub, k);
#else
    (void)c; (void)m; (void)mlen; (void)ad; (void)adlen; (void)npub; (void)k;
    return -1;
#endif
}

static inline int lc_aegis256_decrypt(unsigned char *m, const unsigned char *c, unsigned long long clen,
                                      const unsigned char *ad, unsigned long long adlen,
                                      const unsigned char *npub, const unsigned char *k) {
#if LC_HAS_AEGIS
    return crypto_aead_aegis256_decrypt(m, NULL, NULL, c, clen, ad, adlen, npub, k);
#else
    (void)m; (void)c; (void)clen; (void)ad; (void)adlen; (void)npub; (void)k;
    return -1;
#endif
}

static inline int lc_aegis128l_encrypt(unsigned char *c, const unsigned char *m, unsigned long long mlen,
                                       const unsigned char *ad, unsigned long long adlen,
                                       const unsigned char *npub, const unsigned char *k) {
#if LC_HAS_AEGIS
    return crypto_aead_aegis128l_encrypt(c, NULL, m, mlen, ad, adlen, NULL, npub, k);
#else
    (void)c; (void)m; (void)mlen; (void)ad; (void)adlen; (void)npub; (void)k;
    return -1;
#endif
}

static inline int lc_aegis128l_decrypt(unsigned char *m, const unsigned char *c, unsigned long long clen,
                                       const unsigned char *ad, unsigned long long adlen,
                                       const unsigned char *npub, const unsigned char *k) {
#if LC_HAS_AEGIS
    return crypto_aead_aegis128l_decrypt(m, NULL, NULL, c, clen, ad, adlen, npub, k);
#else
    (void)m; (void)c; (void)clen; (void)ad; (void)adlen; (void)npub; (void)k;
    return -1;
#endif
}

#endif

// OpenSSL's libcrypto: AES-CBC, AES-GCM (128-bit keys, which libsodium lacks) and HMAC-SHA1.
#ifndef LARAVEL_CRYPTO_COPENSSL_SHIM_H
#define LARAVEL_CRYPTO_COPENSSL_SHIM_H

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/crypto.h>
#include <openssl/opensslv.h>

#endif

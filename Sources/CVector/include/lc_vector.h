// Vector routines (AVX2 on x86-64) for LaravelCrypto's own encoders: base64 blocks and text scans.
// These routines do the bulk of long inputs and stop at the first block they cannot handle; the
// Swift code finishes the rest (tails, padding, whitespace, errors) with its portable loop.
#ifndef LARAVEL_CRYPTO_VECTOR_H
#define LARAVEL_CRYPTO_VECTOR_H

#include <stddef.h>
#include <stdint.h>

/// Alphabet selection for encoding (standard or url) and decoding (standard, url or both).
enum lc_base64_alphabet {
    LC_BASE64_STANDARD = 1,
    LC_BASE64_URL = 2,
    LC_BASE64_EITHER = 3,
};

/// 1 when this CPU runs the vector routines (AVX2), else 0 (they then process nothing).
int lc_base64_has_simd(void);

/// Encodes whole 24-byte blocks of `input` while at least 28 input bytes remain; returns the
/// number of input bytes consumed (a multiple of 24, and 4/3 as many characters written).
size_t lc_base64_encode_blocks(const uint8_t *input, size_t length, uint8_t *output, int alphabet);

/// Decodes whole 32-character blocks of alphabet characters; stops before the first block holding
/// anything else. Returns the characters consumed (a multiple of 32, 3/4 as many bytes written).
/// `output` must have room for 8 bytes past the decoded data.
size_t lc_base64_decode_blocks(const uint8_t *input, size_t length, uint8_t *output, int alphabet);

/// Length of the leading run of ASCII bytes (all below 0x80).
size_t lc_ascii_prefix_length(const uint8_t *input, size_t length);

/// Length of the leading run of bytes that need no attention inside a JSON string: no `"`, no
/// backslash, no control character (< 0x20).
size_t lc_json_plain_prefix_length(const uint8_t *input, size_t length);

#endif

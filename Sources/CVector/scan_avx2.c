// AVX2 text scans for the JSON envelope reader: 32 bytes per step, the first interesting byte
// found with a bit scan. Written for this project.
#include "lc_vector.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>

__attribute__((target("avx2")))
static size_t ascii_prefix_avx2(const uint8_t *input, size_t length) {
    size_t i = 0;
    while (i + 32 <= length) {
        uint32_t high = (uint32_t)_mm256_movemask_epi8(_mm256_loadu_si256((const __m256i *)(input + i)));
        if (high != 0) return i + (size_t)__builtin_ctz(high);
        i += 32;
    }
    while (i < length && input[i] < 0x80) i++;
    return i;
}

__attribute__((target("avx2")))
static size_t json_plain_prefix_avx2(const uint8_t *input, size_t length) {
    const __m256i quote = _mm256_set1_epi8('"'), backslash = _mm256_set1_epi8('\\'), space = _mm256_set1_epi8(0x20);
    size_t i = 0;
    while (i + 32 <= length) {
        __m256i x = _mm256_loadu_si256((const __m256i *)(input + i));
        // x < 0x20 (unsigned) exactly when max(x, 0x20) != x.
        __m256i control = _mm256_xor_si256(_mm256_cmpeq_epi8(_mm256_max_epu8(x, space), x), _mm256_set1_epi8(-1));
        __m256i special = _mm256_or_si256(control, _mm256_or_si256(_mm256_cmpeq_epi8(x, quote), _mm256_cmpeq_epi8(x, backslash)));
        uint32_t mask = (uint32_t)_mm256_movemask_epi8(special);
        if (mask != 0) return i + (size_t)__builtin_ctz(mask);
        i += 32;
    }
    while (i < length && input[i] != '"' && input[i] != '\\' && input[i] >= 0x20) i++;
    return i;
}

size_t lc_ascii_prefix_length(const uint8_t *input, size_t length) {
    if (lc_base64_has_simd()) return ascii_prefix_avx2(input, length);
    size_t i = 0;
    while (i < length && input[i] < 0x80) i++;
    return i;
}

size_t lc_json_plain_prefix_length(const uint8_t *input, size_t length) {
    if (lc_base64_has_simd()) return json_plain_prefix_avx2(input, length);
    size_t i = 0;
    while (i < length && input[i] != '"' && input[i] != '\\' && input[i] >= 0x20) i++;
    return i;
}

#else

size_t lc_ascii_prefix_length(const uint8_t *input, size_t length) {
    size_t i = 0;
    while (i < length && input[i] < 0x80) i++;
    return i;
}

size_t lc_json_plain_prefix_length(const uint8_t *input, size_t length) {
    size_t i = 0;
    while (i < length && input[i] != '"' && input[i] != '\\' && input[i] >= 0x20) i++;
    return i;
}

#endif

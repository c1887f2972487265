// AVX2 base64 blocks: the encoder follows Wojciech Muła's published method (shuffle, multiply-high
// and multiply-low to split 6-bit fields, then a 16-entry offset table); the decoder classifies
// characters with range comparisons and packs 4×6 bits with multiply-add. Written for this project.
#include "lc_vector.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>

int lc_base64_has_simd(void) {
    // Computed once; threads that race here all store the same answer, atomically.
    static int cached = -1;
    int known = __atomic_load_n(&cached, __ATOMIC_RELAXED);
    if (known < 0) {
        __builtin_cpu_init();
        known = __builtin_cpu_supports("avx2") ? 1 : 0;
        __atomic_store_n(&cached, known, __ATOMIC_RELAXED);
    }
    return known;
}

__attribute__((target("avx2")))
static size_t encode_avx2(const uint8_t *input, size_t length, uint8_t *output, int alphabet) {
    const __m256i shuffle = _mm256_setr_epi8(1, 0, 2, 1, 4, 3, 5, 4, 7, 6, 8, 7, 10, 9, 11, 10,
                                             1, 0, 2, 1, 4, 3, 5, 4, 7, 6, 8, 7, 10, 9, 11, 10);
    const int8_t c62 = alphabet == LC_BASE64_URL ? '-' - 62 : '+' - 62;
    const int8_t c63 = alphabet == LC_BASE64_URL ? '_' - 63 : '/' - 63;
    const __m256i offsets = _mm256_setr_epi8(
        'a' - 26, '0' - 52, '0' - 52, '0' - 52, '0' - 52, '0' - 52, '0' - 52, '0' - 52,
        '0' - 52, '0' - 52, '0' - 52, c62, c63, 'A', 0, 0,
        'a' - 26, '0' - 52, '0' - 52, '0' - 52, '0' - 52, '0' - 52, '0' - 52, '0' - 52,
        '0' - 52, '0' - 52, '0' - 52, c62, c63, 'A', 0, 0);
    size_t i = 0, o = 0;
    while (i + 28 <= length) {
        __m128i low = _mm_loadu_si128((const __m128i *)(input + i));
        __m128i high = _mm_loadu_si128((const __m128i *)(input + i + 12));
        __m256i in = _mm256_shuffle_epi8(_mm256_set_m128i(high, low), shuffle);
        __m256i t0 = _mm256_and_si256(in, _mm256_set1_epi32(0x0fc0fc00));
        __m256i t1 = _mm256_mulhi_epu16(t0, _mm256_set1_epi32(0x04000040));
        __m256i t2 = _mm256_and_si256(in, _mm256_set1_epi32(0x003f03f0));
        __m256i t3 = _mm256_mullo_epi16(t2, _mm256_set1_epi32(0x01000010));
        __m256i indices = _mm256_or_si256(t1, t3);
        __m256i reduced = _mm256_subs_epu8(indices, _mm256_set1_epi8(51));
        __m256i below26 = _mm256_cmpgt_epi8(_mm256_set1_epi8(26), indices);
        reduced = _mm256_or_si256(reduced, _mm256_and_si256(below26, _mm256_set1_epi8(13)));
        __m256i text = _mm256_add_epi8(indices, _mm256_shuffle_epi8(offsets, reduced));
        _mm256_storeu_si256((__m256i *)(output + o), text);
        i += 24;
        o += 32;
    }
    return i;
}


/// Standard alphabet only: classification and translation with nibble lookup tables (the method
/// Muła and Lemire published): half the instructions of the range comparisons below.
__attribute__((target("avx2")))
static size_t decode_standard_avx2(const uint8_t *input, size_t length, uint8_t *output) {
    const __m256i lut_lo = _mm256_setr_epi8(0x15, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x13, 0x1A, 0x1B, 0x1B, 0x1B, 0x1A,
                                            0x15, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x13, 0x1A, 0x1B, 0x1B, 0x1B, 0x1A);
    const __m256i lut_hi = _mm256_setr_epi8(0x10, 0x10, 0x01, 0x02, 0x04, 0x08, 0x04, 0x08, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10,
                                            0x10, 0x10, 0x01, 0x02, 0x04, 0x08, 0x04, 0x08, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10);
    const __m256i lut_roll = _mm256_setr_epi8(0, 16, 19, 4, -65, -65, -71, -71, 0, 0, 0, 0, 0, 0, 0, 0,
                                              0, 16, 19, 4, -65, -65, -71, -71, 0, 0, 0, 0, 0, 0, 0, 0);
    const __m256i nibble = _mm256_set1_epi8(0x0F), slash = _mm256_set1_epi8('/');
    const __m256i pack_lanes = _mm256_setr_epi8(2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, -1, -1, -1, -1,
                                                2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, -1, -1, -1, -1);
    const __m256i pack_dwords = _mm256_setr_epi32(0, 1, 2, 4, 5, 6, 3, 7);
    size_t i = 0, o = 0;
    while (i + 32 <= length) {
        __m256i x = _mm256_loadu_si256((const __m256i *)(input + i));
        __m256i hi = _mm256_and_si256(_mm256_srli_epi32(x, 4), nibble);
        __m256i lo = _mm256_and_si256(x, nibble);
        // A byte is valid when its low-nibble class and high-nibble class share no bit (bytes
        // >= 0x80 have high nibbles 8-F, whose class 0x10 every low-nibble class contains).
        if (!_mm256_testz_si256(_mm256_shuffle_epi8(lut_lo, lo), _mm256_shuffle_epi8(lut_hi, hi))) break;
        __m256i roll = _mm256_shuffle_epi8(lut_roll, _mm256_add_epi8(_mm256_cmpeq_epi8(x, slash), hi));
        __m256i values = _mm256_add_epi8(x, roll);
        __m256i pairs = _mm256_maddubs_epi16(values, _mm256_set1_epi32(0x01400140));
        __m256i words = _mm256_madd_epi16(pairs, _mm256_set1_epi32(0x00011000));
        __m256i bytes = _mm256_permutevar8x32_epi32(_mm256_shuffle_epi8(words, pack_lanes), pack_dwords);
        _mm256_storeu_si256((__m256i *)(output + o), bytes);
        i += 32;
        o += 24;
    }
    return i;
}

/// The url-safe alphabet, or both alphabets at once (laravel-crypto's reader), with the same
/// nibble tables as above. Classes by high nibble: 0-1 and 8-F never valid (0x01), 2 (0x02), 3
/// (0x04), 4 and 6 (0x08), 5 (0x10), 7 (0x20); a low-nibble entry holds the classes in which that
/// low nibble is not in the alphabet. Values: letters and digits by high nibble; '+', '-' and '/'
/// (high nibble 2) by low nibble; '_' (0x5F) is 'P'..'Z''s -65 plus 33.
__attribute__((target("avx2")))
static size_t decode_url_avx2(const uint8_t *input, size_t length, uint8_t *output, int either) {
    // Low nibble:                 0     1..9 (0x03)                                         A     B     C     D     E     F
    const __m256i lut_lo = either
        ? _mm256_setr_epi8(0x0B, 0x03, 0x03, 0x03, 0x03, 0x03, 0x03, 0x03, 0x03, 0x03, 0x07, 0x35, 0x37, 0x35, 0x37, 0x25,
                           0x0B, 0x03, 0x03, 0x03, 0x03, 0x03, 0x03, 0x03, 0x03, 0x03, 0x07, 0x35, 0x37, 0x35, 0x37, 0x25)
        : _mm256_setr_epi8(0x0B, 0x03, 0x03, 0x03, 0x03, 0x03, 0x03, 0x03, 0x03, 0x03, 0x07, 0x37, 0x37, 0x35, 0x37, 0x27,
                           0x0B, 0x03, 0x03, 0x03, 0x03, 0x03, 0x03, 0x03, 0x03, 0x03, 0x07, 0x37, 0x37, 0x35, 0x37, 0x27);
    const __m256i lut_hi = _mm256_setr_epi8(0x01, 0x01, 0x02, 0x04, 0x08, 0x10, 0x08, 0x20, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01,
                                            0x01, 0x01, 0x02, 0x04, 0x08, 0x10, 0x08, 0x20, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01);
    const __m256i lut_roll = _mm256_setr_epi8(0, 0, 0, 4, -65, -65, -71, -71, 0, 0, 0, 0, 0, 0, 0, 0,
                                              0, 0, 0, 4, -65, -65, -71, -71, 0, 0, 0, 0, 0, 0, 0, 0);
    // '+' (0x2B) → 62, '-' (0x2D) → 62, '/' (0x2F) → 63.
    const __m256i lut_symbols = _mm256_setr_epi8(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 19, 0, 17, 0, 16,
                                                 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 19, 0, 17, 0, 16);
    const __m256i nibble = _mm256_set1_epi8(0x0F), two = _mm256_set1_epi8(2), underscore = _mm256_set1_epi8('_');
    const __m256i underscore_fix = _mm256_set1_epi8(33);
    const __m256i pack_lanes = _mm256_setr_epi8(2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, -1, -1, -1, -1,
                                                2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, -1, -1, -1, -1);
    const __m256i pack_dwords = _mm256_setr_epi32(0, 1, 2, 4, 5, 6, 3, 7);
    size_t i = 0, o = 0;
    while (i + 32 <= length) {
        __m256i x = _mm256_loadu_si256((const __m256i *)(input + i));
        __m256i hi = _mm256_and_si256(_mm256_srli_epi32(x, 4), nibble);
        __m256i lo = _mm256_and_si256(x, nibble);
        if (!_mm256_testz_si256(_mm256_shuffle_epi8(lut_lo, lo), _mm256_shuffle_epi8(lut_hi, hi))) break;
        __m256i roll = _mm256_shuffle_epi8(lut_roll, hi);
        roll = _mm256_add_epi8(roll, _mm256_and_si256(_mm256_cmpeq_epi8(hi, two), _mm256_shuffle_epi8(lut_symbols, lo)));
        roll = _mm256_add_epi8(roll, _mm256_and_si256(_mm256_cmpeq_epi8(x, underscore), underscore_fix));
        __m256i values = _mm256_add_epi8(x, roll);
        __m256i pairs = _mm256_maddubs_epi16(values, _mm256_set1_epi32(0x01400140));
        __m256i words = _mm256_madd_epi16(pairs, _mm256_set1_epi32(0x00011000));
        __m256i bytes = _mm256_permutevar8x32_epi32(_mm256_shuffle_epi8(words, pack_lanes), pack_dwords);
        _mm256_storeu_si256((__m256i *)(output + o), bytes);
        i += 32;
        o += 24;
    }
    return i;
}

size_t lc_base64_encode_blocks(const uint8_t *input, size_t length, uint8_t *output, int alphabet) {
    return lc_base64_has_simd() ? encode_avx2(input, length, output, alphabet) : 0;
}

size_t lc_base64_decode_blocks(const uint8_t *input, size_t length, uint8_t *output, int alphabet) {
    if (!lc_base64_has_simd()) return 0;
    return alphabet == LC_BASE64_STANDARD ? decode_standard_avx2(input, length, output)
                                           : decode_url_avx2(input, length, output, alphabet == LC_BASE64_EITHER);
}

#else

int lc_base64_has_simd(void) { return 0; }

size_t lc_base64_encode_blocks(const uint8_t *input, size_t length, uint8_t *output, int alphabet) {
    (void)input; (void)length; (void)output; (void)alphabet;
    return 0;
}

size_t lc_base64_decode_blocks(const uint8_t *input, size_t length, uint8_t *output, int alphabet) {
    (void)input; (void)length; (void)output; (void)alphabet;
    return 0;
}

#endif

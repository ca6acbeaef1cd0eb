#ifndef MICS_BYTE_SCAN_H
#define MICS_BYTE_SCAN_H

// Byte classes sixteen at a time, for the JSON scanner's hot loops. `static inline` so that
// the Swift optimizer inlines them (Swift's own SIMD types compile to scalar code here: ~15
// times more instructions). SSE2 is part of every x86-64; elsewhere a plain loop.

#include <stdint.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/// Bit n is set when byte n of the sixteen at `p` needs attention inside a JSON string:
/// `"`, `\`, a control character (< 0x20) or a non-ASCII byte (>= 0x80).
static inline uint32_t mics_string_specials16(const uint8_t *p) {
#if defined(__SSE2__)
    __m128i bytes = _mm_loadu_si128((const __m128i *)p);
    // As signed bytes, < 0x20 also catches >= 0x80 (negative): one compare for both.
    __m128i low = _mm_cmplt_epi8(bytes, _mm_set1_epi8(0x20));
    __m128i quote = _mm_cmpeq_epi8(bytes, _mm_set1_epi8('"'));
    __m128i backslash = _mm_cmpeq_epi8(bytes, _mm_set1_epi8('\\'));
    return (uint32_t)_mm_movemask_epi8(_mm_or_si128(low, _mm_or_si128(quote, backslash)));
#else
    uint32_t mask = 0;
    for (int n = 0; n < 16; n++) {
        uint8_t c = p[n];
        if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') mask |= 1u << n;
    }
    return mask;
#endif
}

/// Bit n is set when byte n of the sixteen at `p` is not an ASCII digit: the end of a run of
/// digits is the lowest bit set (a number's digits, 16 at a time).
static inline uint32_t mics_nondigits16(const uint8_t *p) {
#if defined(__SSE2__)
    __m128i bytes = _mm_loadu_si128((const __m128i *)p);
    // Signed compares: bytes >= 0x80 are negative, so below '0' too.
    __m128i digit = _mm_and_si128(_mm_cmpgt_epi8(bytes, _mm_set1_epi8('0' - 1)),
                                  _mm_cmplt_epi8(bytes, _mm_set1_epi8('9' + 1)));
    return (uint32_t)_mm_movemask_epi8(digit) ^ 0xFFFFu;
#else
    uint32_t mask = 0;
    for (int n = 0; n < 16; n++) {
        if ((uint8_t)(p[n] - '0') >= 10) mask |= 1u << n;
    }
    return mask;
#endif
}

/// Bit n is set when byte n of the sixteen at `p` ends an unquoted run of a CSV cell in
/// COPY's dialect: `,`, `"`, LF or CR (the binary COPY transcoder's cell scan).
static inline uint32_t mics_csv_run_ends16(const uint8_t *p) {
#if defined(__SSE2__)
    __m128i bytes = _mm_loadu_si128((const __m128i *)p);
    __m128i comma = _mm_cmpeq_epi8(bytes, _mm_set1_epi8(','));
    __m128i quote = _mm_cmpeq_epi8(bytes, _mm_set1_epi8('"'));
    __m128i lf = _mm_cmpeq_epi8(bytes, _mm_set1_epi8('\n'));
    __m128i cr = _mm_cmpeq_epi8(bytes, _mm_set1_epi8('\r'));
    return (uint32_t)_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(comma, quote), _mm_or_si128(lf, cr)));
#else
    uint32_t mask = 0;
    for (int n = 0; n < 16; n++) {
        uint8_t c = p[n];
        if (c == ',' || c == '"' || c == '\n' || c == '\r') mask |= 1u << n;
    }
    return mask;
#endif
}

#endif

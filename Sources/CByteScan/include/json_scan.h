#ifndef MICS_JSON_SCAN_H
#define MICS_JSON_SCAN_H

// The JSON scanner's byte-level checks: strings (RFC 8259 escapes, UTF-8 as the Unicode
// standard's table 3-7 says), numbers, and the skip of a whole value nobody selected.
// In C, `static inline`, for the same reason as byte_scan.h: the Swift optimizer then
// inlines them into the scanner, with every index in a register. The Swift side
// (JSONLineScanner+Strings, +Grammar, +Skip) turns the error codes into ScanError reasons.
//
// A line is `p[0..<limit]`; no function reads outside it.

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "byte_scan.h"

/// Inlined into its callers: left to itself clang keeps the string check a call, whose
/// prologue and epilogue cost more than a short key.
#define MICS_INLINE static inline __attribute__((always_inline))

/// What is wrong at a `mics_scan.end` offset (0: nothing).
enum {
    MICS_SCAN_OK = 0,
    MICS_SCAN_UNTERMINATED_STRING,
    MICS_SCAN_CONTROL_CHARACTER,
    MICS_SCAN_INVALID_ESCAPE,
    MICS_SCAN_LONE_SURROGATE,
    MICS_SCAN_NUL_CHARACTER,
    MICS_SCAN_INVALID_UTF8,
    MICS_SCAN_INVALID_NUMBER,
    MICS_SCAN_EXPECTED_VALUE,
};

/// A token's end (the index after it), or with `error` set the offset of the error.
typedef struct {
    ptrdiff_t end;
    int32_t error;
    /// A string that holds backslash escapes.
    int32_t escaped;
} mics_scan;

MICS_INLINE mics_scan mics_scan_error(ptrdiff_t at, int32_t error) {
    mics_scan result = {at, error, 0};
    return result;
}

/// The byte at `k`, or 0 past the end (0 is never valid outside a string).
MICS_INLINE uint8_t mics_at(const uint8_t *p, ptrdiff_t k, ptrdiff_t limit) { return k < limit ? p[k] : 0; }

/// The first byte at or after `*k` that is not JSON whitespace (0 at the end); moves `*k` there.
MICS_INLINE uint8_t mics_next(const uint8_t *p, ptrdiff_t *k, ptrdiff_t limit) {
    uint8_t c = mics_at(p, *k, limit);
    // One compare for the common case: compact JSON has no space, and every byte that can
    // follow one is above ' '.
    while (c <= ' ' && (c == ' ' || c == '\t' || c == '\n' || c == '\r')) c = mics_at(p, ++*k, limit);
    return c;
}

/// Four hex digits at `k` as a UTF-16 code unit; -1 if they are not four hex digits.
static inline int32_t mics_hex4(const uint8_t *p, ptrdiff_t k, ptrdiff_t limit) {
    if (limit - k < 4) return -1;
    int32_t unit = 0;
    for (int n = 0; n < 4; n++) {
        uint8_t c = p[k + n];
        uint8_t lower = c | 0x20;
        int32_t digit;
        if (c >= '0' && c <= '9') digit = c - '0';
        else if (lower >= 'a' && lower <= 'f') digit = lower - 'a' + 10;
        else return -1;
        unit = unit << 4 | digit;
    }
    return unit;
}

/// The escape whose backslash is at `k`.
static inline mics_scan mics_escape_end(const uint8_t *p, ptrdiff_t k, ptrdiff_t limit, int rejects_nul) {
    if (limit - k < 2) return mics_scan_error(k, MICS_SCAN_UNTERMINATED_STRING);
    mics_scan ok = {k + 2, 0, 1};
    switch (p[k + 1]) {
    case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
        return ok;
    case 'u': {
        int32_t unit = mics_hex4(p, k + 2, limit);
        if (unit < 0) return mics_scan_error(k, MICS_SCAN_INVALID_ESCAPE);
        if (unit >= 0xD800 && unit <= 0xDBFF) {
            // A high surrogate must be followed by a low one: together they are one character.
            int32_t low = limit - k >= 12 && p[k + 6] == '\\' && p[k + 7] == 'u' ? mics_hex4(p, k + 8, limit) : -1;
            if (low < 0xDC00 || low > 0xDFFF) return mics_scan_error(k, MICS_SCAN_LONE_SURROGATE);
            ok.end = k + 12;
            return ok;
        }
        if (unit >= 0xDC00 && unit <= 0xDFFF) return mics_scan_error(k, MICS_SCAN_LONE_SURROGATE);
        if (unit == 0 && rejects_nul) return mics_scan_error(k, MICS_SCAN_NUL_CHARACTER);
        ok.end = k + 6;
        return ok;
    }
    default:
        return mics_scan_error(k, MICS_SCAN_INVALID_ESCAPE);
    }
}

/// The multi-byte UTF-8 sequence whose lead byte is at `k`: the index after it, or -1. No
/// overlongs, no surrogates, nothing above U+10FFFF (table 3-7).
static inline ptrdiff_t mics_utf8_end(const uint8_t *p, ptrdiff_t k, ptrdiff_t limit) {
    uint8_t lead = p[k], low = 0x80, high = 0xBF;
    int length;
    if (lead >= 0xC2 && lead <= 0xDF) length = 2;
    else if (lead == 0xE0) { length = 3; low = 0xA0; }
    else if ((lead >= 0xE1 && lead <= 0xEC) || lead == 0xEE || lead == 0xEF) length = 3;
    else if (lead == 0xED) { length = 3; high = 0x9F; }
    else if (lead == 0xF0) { length = 4; low = 0x90; }
    else if (lead >= 0xF1 && lead <= 0xF3) length = 4;
    else if (lead == 0xF4) { length = 4; high = 0x8F; }
    else return -1;
    if (limit - k < length || p[k + 1] < low || p[k + 1] > high) return -1;
    for (int n = 2; n < length; n++) {
        if ((p[k + n] & 0xC0) != 0x80) return -1;
    }
    return k + length;
}

/// The string whose opening quote is at `start`.
MICS_INLINE mics_scan mics_string_end(const uint8_t *p, ptrdiff_t start, ptrdiff_t limit, int rejects_nul) {
    int32_t escaped = 0;
    ptrdiff_t k = start + 1;
    const ptrdiff_t last16 = limit - 16;  // the last index sixteen bytes can be read from
    for (;;) {
        // Sixteen bytes at a time, straight to the first that needs attention; a line's
        // last fifteen bytes one at a time.
        if (k <= last16) {
            uint32_t specials = mics_string_specials16(p + k);
            if (specials == 0) {
                k += 16;
                continue;
            }
            k += __builtin_ctz(specials);
        } else {
            while (k < limit && p[k] >= 0x20 && p[k] < 0x80 && p[k] != '"' && p[k] != '\\') k++;
            if (k >= limit) return mics_scan_error(k, MICS_SCAN_UNTERMINATED_STRING);
        }
        uint8_t c = p[k];
        if (__builtin_expect(c == '"', 1)) {  // the first byte that needs attention is most often the end
            mics_scan result = {k + 1, 0, escaped};
            return result;
        } else if (c == '\\') {
            mics_scan escape = mics_escape_end(p, k, limit, rejects_nul);
            if (escape.error) return escape;
            escaped = 1;
            k = escape.end;
        } else if (c < 0x20) {
            return mics_scan_error(k, MICS_SCAN_CONTROL_CHARACTER);
        } else {
            ptrdiff_t after = mics_utf8_end(p, k, limit);
            if (after < 0) return mics_scan_error(k, MICS_SCAN_INVALID_UTF8);
            k = after;
        }
    }
}

MICS_INLINE int mics_is_digit(uint8_t c) { return (uint8_t)(c - '0') < 10; }

MICS_INLINE ptrdiff_t mics_digits_end(const uint8_t *p, ptrdiff_t k, ptrdiff_t limit) {
    while (limit - k >= 16) {
        uint32_t others = mics_nondigits16(p + k);
        if (others) return k + __builtin_ctz(others);
        k += 16;
    }
    while (k < limit && mics_is_digit(p[k])) k++;
    return k;
}

/// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?` at `start`.
MICS_INLINE mics_scan mics_number_end(const uint8_t *p, ptrdiff_t start, ptrdiff_t limit) {
    ptrdiff_t k = start;
    if (mics_at(p, k, limit) == '-') k++;
    uint8_t first = mics_at(p, k, limit);
    if (first == '0') k++;
    else if (first >= '1' && first <= '9') k = mics_digits_end(p, k + 1, limit);
    else return mics_scan_error(start, MICS_SCAN_EXPECTED_VALUE);
    if (mics_at(p, k, limit) == '.') {
        k++;
        if (!mics_is_digit(mics_at(p, k, limit))) return mics_scan_error(k, MICS_SCAN_INVALID_NUMBER);
        k = mics_digits_end(p, k, limit);
    }
    if ((mics_at(p, k, limit) | 0x20) == 'e') {
        k++;
        if (mics_at(p, k, limit) == '+' || mics_at(p, k, limit) == '-') k++;
        if (!mics_is_digit(mics_at(p, k, limit))) return mics_scan_error(k, MICS_SCAN_INVALID_NUMBER);
        k = mics_digits_end(p, k, limit);
    }
    mics_scan result = {k, 0, 0};
    return result;
}

MICS_INLINE ptrdiff_t mics_literal_end(const uint8_t *p, ptrdiff_t k, ptrdiff_t limit, const char *word, int length) {
    return limit - k >= length && memcmp(p + k, word, (size_t)length) == 0 ? k + length : -1;
}

/// The nesting `mics_skip_value` tracks (one bit per open container in a word).
#define MICS_SKIP_MAX_NESTING 64

/// The index after the valid JSON value at `k`, or -1 when the value is invalid or opens
/// `nesting` containers or more: the caller then walks it one value at a time, which finds
/// the error and names it. The same checks as the walk, in one loop with its state in
/// registers: `objects` has bit n set when open container n (outermost 0) is an object.
static inline ptrdiff_t mics_skip_value(const uint8_t *p, ptrdiff_t k, ptrdiff_t limit, int nesting, int rejects_nul) {
    uint64_t objects = 0;
    int open = 0;
    int key_first = 0;  // `k` is at a key, not a value
    if (nesting > MICS_SKIP_MAX_NESTING) nesting = MICS_SKIP_MAX_NESTING;
    uint8_t c = mics_at(p, k, limit);  // the byte at `k`, never a space
    for (;;) {
        if (key_first) {
            if (c != '"') return -1;
            mics_scan key = mics_string_end(p, k, limit, rejects_nul);
            if (key.error) return -1;
            k = key.end;
            if (mics_next(p, &k, limit) != ':') return -1;
            k++;
            c = mics_next(p, &k, limit);
        }
        switch (c) {
        case '{':
        case '[': {
            if (open >= nesting) return -1;
            k++;
            uint8_t next = mics_next(p, &k, limit);
            if (next != c + 2) {  // not `{}` or `[]` ('}' is '{' + 2, ']' is '[' + 2)
                key_first = c == '{';
                objects |= (uint64_t)key_first << open;
                open++;
                c = next;
                continue;
            }
            k++;
            break;
        }
        case '"': {
            mics_scan string = mics_string_end(p, k, limit, rejects_nul);
            if (string.error) return -1;
            k = string.end;
            break;
        }
        case 't':
            if ((k = mics_literal_end(p, k, limit, "true", 4)) < 0) return -1;
            break;
        case 'f':
            if ((k = mics_literal_end(p, k, limit, "false", 5)) < 0) return -1;
            break;
        case 'n':
            if ((k = mics_literal_end(p, k, limit, "null", 4)) < 0) return -1;
            break;
        default: {
            mics_scan number = mics_number_end(p, k, limit);
            if (number.error) return -1;
            k = number.end;
        }
        }
        // After a value: a comma leads to the next one, a closing bracket ends its container.
        for (;;) {
            if (open == 0) return k;
            c = mics_next(p, &k, limit);
            key_first = (int)(objects >> (open - 1)) & 1;
            if (c == ',') {
                k++;
                c = mics_next(p, &k, limit);
                break;
            }
            if (c != (key_first ? '}' : ']')) return -1;
            k++;
            open--;
            objects &= ~((uint64_t)1 << open);
        }
    }
}

#endif

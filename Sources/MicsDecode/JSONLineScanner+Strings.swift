import MicsVocabulary
import CByteScan
/// Strings: the hot loop of every scan. Sixteen bytes are checked at once (SSE2, CByteScan;
/// the last few eight at a time, SWAR) for the only bytes that need attention — `"`, `\`,
/// control characters and non-ASCII — so long ASCII strings (ids, emails, hashes) cost well
/// under a cycle a byte.
extension JSONLineScanner {
    /// Scans a string starting at its opening quote; leaves `i` after the closing quote.
    /// Returns whether it holds backslash escapes.
    @inline(__always)
    package mutating func string() throws(ScanError) -> Bool {
        var escaped = false
        // A local index: `self.i` would be stored and reloaded on every step (perf showed
        // the store-to-load stall as a quarter of the scan).
        var k = i + 1
        let base = p
        let limit = end
        while true {
            // Sixteen bytes at a time (SSE2), straight to the first that needs attention;
            // the last few eight at a time (SWAR).
            while limit - k >= 16 {
                let specials = mics_string_specials16(base + k)
                if specials != 0 {
                    k &+= specials.trailingZeroBitCount
                    break
                }
                k &+= 16
            }
            while limit - k >= 8 {
                let word = UnsafeRawPointer(base + k).loadUnaligned(as: UInt64.self)
                if Self.needsAttention(word) { break }
                k &+= 8
            }
            guard k < limit else {
                i = k
                throw fail(.unterminatedString)
            }
            let c = base[k]
            if c == UInt8(ascii: "\"") {
                i = k + 1
                return escaped
            } else if c < 0x80 && c >= 0x20 && c != UInt8(ascii: "\\") {
                k &+= 1
                continue
            }
            i = k
            if c == UInt8(ascii: "\\") {
                escaped = true
                try escape()
            } else if c < 0x20 {
                throw fail(.controlCharacter)
            } else {
                try utf8Sequence(lead: c)
            }
            k = i
        }
    }

    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highs: UInt64 = 0x8080_8080_8080_8080

    /// True when any byte is `"`, `\`, < 0x20 or ≥ 0x80 (may also be true for neighbours
    /// of such a byte: the byte loop then decides).
    @inline(__always)
    package static func needsAttention(_ word: UInt64) -> Bool {
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        let hasQuote = (quote &- ones) & ~quote
        let hasBackslash = (backslash &- ones) & ~backslash
        let hasControl = (word &- ones &* 0x20) & ~word
        return (hasQuote | hasBackslash | hasControl | word) & highs != 0
    }

    private mutating func escape() throws(ScanError) {
        guard end - i >= 2 else { throw fail(.unterminatedString) }
        switch p[i + 1] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
            UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            i += 2
        case UInt8(ascii: "u"):
            guard let unit = hex4(at: i + 2) else { throw fail(.invalidEscape) }
            switch unit {
            case 0xD800...0xDBFF:
                // A high surrogate must be followed by a low one: together they are one character.
                guard end - i >= 12, p[i + 6] == UInt8(ascii: "\\"), p[i + 7] == UInt8(ascii: "u"),
                    let low = hex4(at: i + 8), (0xDC00...0xDFFF).contains(low)
                else { throw fail(.loneSurrogate) }
                i += 12
            case 0xDC00...0xDFFF:
                throw fail(.loneSurrogate)
            case 0 where rejectsNul:
                throw fail(.nulCharacter)
            default:
                i += 6
            }
        default:
            throw fail(.invalidEscape)
        }
    }

    /// The four hex digits at `at` as a UTF-16 code unit; nil if they are not four hex digits.
    @inline(__always)
    private func hex4(at: Int) -> Int? {
        guard end - at >= 4 else { return nil }
        var unit = 0
        for k in at..<at + 4 {
            let digit = JSONUnescape.hexValue(p[k])
            guard digit >= 0 else { return nil }
            unit = unit << 4 | digit
        }
        return unit
    }

    /// One multi-byte UTF-8 sequence, checked as the Unicode standard's table 3-7 says
    /// (no overlongs, no surrogates, nothing above U+10FFFF).
    private mutating func utf8Sequence(lead: UInt8) throws(ScanError) {
        let length: Int
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; high = 0x9F
        case 0xF0: length = 4; low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; high = 0x8F
        default: throw fail(.invalidUTF8)
        }
        guard end - i >= length else { throw fail(.invalidUTF8) }
        let second = p[i + 1]
        guard second >= low && second <= high else { throw fail(.invalidUTF8) }
        for k in 2..<length where p[i + k] & 0xC0 != 0x80 {
            throw fail(.invalidUTF8)
        }
        i += length
    }

    /// Appends the value that spans `start..<i` (an object) to the arena as compact JSON.
    package mutating func appendCompactObject(from start: Int, column: Int32) {
        let arenaStart = record.arena.count
        JSONCompact.append(UnsafeBufferPointer(start: p + start, count: i - start), to: &record.arena)
        append(column, ValueRef(kind: .arenaJSON, start: Int32(arenaStart), end: Int32(record.arena.count)))
    }
}

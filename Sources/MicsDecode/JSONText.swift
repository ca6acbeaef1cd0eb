import MicsVocabulary
/// Small helpers on JSON text that the scanner has already validated.
package enum JSONUnescape {
    /// Appends the UTF-8 of a string's raw content (between the quotes), escapes decoded.
    /// A lone surrogate escape becomes U+FFFD, as it cannot be UTF-8.
    package static func append(_ raw: UnsafeRawBufferPointer, to out: inout [UInt8]) {
        var k = 0
        let n = raw.count
        while k < n {
            let c = raw[k]
            guard c == UInt8(ascii: "\\") else {
                out.append(c)
                k += 1
                continue
            }
            let e = raw[k + 1]
            k += 2
            switch e {
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = hex4(raw, k)
                k += 4
                if scalar >= 0xD800 && scalar < 0xDC00, k + 6 <= n, raw[k] == UInt8(ascii: "\\"),
                    raw[k + 1] == UInt8(ascii: "u")
                {
                    let low = hex4(raw, k + 2)
                    if low >= 0xDC00 && low < 0xE000 {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        k += 6
                    }
                }
                appendUTF8(scalar, to: &out)
            default: out.append(e)  // \" \\ \/
            }
        }
    }

    @inline(__always)
    package static func hexValue(_ c: UInt8) -> Int {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return Int(c &- UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return Int(c &- UInt8(ascii: "a")) + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return Int(c &- UInt8(ascii: "A")) + 10
        default: return -1
        }
    }

    private static func hex4(_ raw: UnsafeRawBufferPointer, _ at: Int) -> UInt32 {
        var value: UInt32 = 0
        for k in at..<at + 4 { value = value << 4 | UInt32(hexValue(raw[k])) }
        return value
    }

    private static func appendUTF8(_ scalar: UInt32, to out: inout [UInt8]) {
        let v = (scalar >= 0xD800 && scalar < 0xE000) ? 0xFFFD : scalar
        switch v {
        case ..<0x80: out.append(UInt8(v))
        case ..<0x800:
            out.append(UInt8(0xC0 | v >> 6))
            out.append(UInt8(0x80 | v & 0x3F))
        case ..<0x10000:
            out.append(UInt8(0xE0 | v >> 12))
            out.append(UInt8(0x80 | v >> 6 & 0x3F))
            out.append(UInt8(0x80 | v & 0x3F))
        default:
            out.append(UInt8(0xF0 | v >> 18))
            out.append(UInt8(0x80 | v >> 12 & 0x3F))
            out.append(UInt8(0x80 | v >> 6 & 0x3F))
            out.append(UInt8(0x80 | v & 0x3F))
        }
    }
}

package enum JSONCompact {
    /// Appends valid JSON text without its insignificant white space.
    package static func append(_ text: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        var inString = false
        var k = 0
        let n = text.count
        while k < n {
            let c = text[k]
            if inString {
                out.append(c)
                if c == UInt8(ascii: "\\") {
                    out.append(text[k + 1])
                    k += 2
                    continue
                }
                if c == UInt8(ascii: "\"") { inString = false }
            } else {
                switch c {
                case 0x20, 0x09, 0x0A, 0x0D: break
                case UInt8(ascii: "\""):
                    inString = true
                    out.append(c)
                default: out.append(c)
                }
            }
            k += 1
        }
    }
}

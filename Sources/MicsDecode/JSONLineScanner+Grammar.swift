import MicsVocabulary
/// The validating skip: RFC 8259 grammar for values nobody selected.
extension JSONLineScanner {
    package mutating func skipValue(depth: Int) throws(ScanError) {
        switch byte {
        case UInt8(ascii: "{"):
            guard depth < Self.maxDepth else { throw fail(.tooDeep) }
            i += 1
            skipWhitespace()
            if byte == UInt8(ascii: "}") {
                i += 1
                return
            }
            while true {
                guard byte == UInt8(ascii: "\"") else { throw fail(.expected("a string key")) }
                _ = try string()
                skipWhitespace()
                guard byte == UInt8(ascii: ":") else { throw fail(.expected("':'")) }
                i += 1
                skipWhitespace()
                try skipValue(depth: depth + 1)
                skipWhitespace()
                if byte == UInt8(ascii: ",") {
                    i += 1
                    skipWhitespace()
                } else if byte == UInt8(ascii: "}") {
                    i += 1
                    return
                } else {
                    throw fail(.expected("',' or '}'"))
                }
            }
        case UInt8(ascii: "["):
            guard depth < Self.maxDepth else { throw fail(.tooDeep) }
            i += 1
            skipWhitespace()
            if byte == UInt8(ascii: "]") {
                i += 1
                return
            }
            while true {
                try skipValue(depth: depth + 1)
                skipWhitespace()
                if byte == UInt8(ascii: ",") {
                    i += 1
                    skipWhitespace()
                } else if byte == UInt8(ascii: "]") {
                    i += 1
                    return
                } else {
                    throw fail(.expected("',' or ']'"))
                }
            }
        case UInt8(ascii: "\""): _ = try string()
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        default: try number()
        }
    }

    @inline(__always)
    package mutating func literal(_ word: StaticString) throws(ScanError) {
        let count = word.utf8CodeUnitCount
        guard end - i >= count, memcmp(p + i, word.utf8Start, count) == 0 else {
            throw fail(i < end ? .expected("a value") : .expected("a value, found the end of the line"))
        }
        i += count
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`, kept as text by the caller.
    package mutating func number() throws(ScanError) {
        let start = i
        if byte == UInt8(ascii: "-") { i += 1 }
        switch byte {
        case UInt8(ascii: "0"):
            i += 1
        case UInt8(ascii: "1")...UInt8(ascii: "9"):
            i += 1
            skipDigits()
        default:
            i = start
            throw fail(i < end ? .expected("a value") : .expected("a value, found the end of the line"))
        }
        if byte == UInt8(ascii: ".") {
            i += 1
            guard isDigit(byte) else { throw fail(.invalidNumber) }
            skipDigits()
        }
        if byte | 0x20 == UInt8(ascii: "e") {
            i += 1
            if byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") { i += 1 }
            guard isDigit(byte) else { throw fail(.invalidNumber) }
            skipDigits()
        }
    }

    @inline(__always) private func isDigit(_ c: UInt8) -> Bool { c &- UInt8(ascii: "0") < 10 }

    @inline(__always) private mutating func skipDigits() {
        var k = i
        while k < end && isDigit(p[k]) { k &+= 1 }
        i = k
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

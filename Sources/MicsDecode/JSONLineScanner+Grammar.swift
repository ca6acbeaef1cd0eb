#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MicsVocabulary
import CByteScan
/// The validating skip, one value at a time: RFC 8259 grammar for values nobody selected.
/// `skipValue` (`+Skip`) comes here only for a value it could not pass, so this is the
/// path that finds and names the error.
extension JSONLineScanner {
    package mutating func validateValue(depth: Int) throws(ScanError) {
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
                try validateValue(depth: depth + 1)
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
                try validateValue(depth: depth + 1)
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
            throw Self.missingValue(at: i, limit: end)
        }
        i += count
    }

    /// Where a value should start: a literal or number that is not one.
    static func missingValue(at k: Int, limit: Int) -> ScanError {
        ScanError(offset: k, reason: k < limit ? .expected("a value") : .expected("a value, found the end of the line"))
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`, kept as text by the caller.
    @inline(__always)
    package mutating func number() throws(ScanError) {
        let scanned = mics_number_end(p, i, end)
        try Self.check(scanned, limit: end)
        i = scanned.end
    }
}

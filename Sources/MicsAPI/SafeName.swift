import MicsVocabulary
import MicsProject
import MicsExport
/// Names that come from the API (`result.output_files`, ids) are untrusted: a hostile or
/// broken server could send `../../etc/passwd`, `a/b`, control characters, or a name of
/// megabytes. These functions make such a name harmless where it is used.
public enum SafeName {
    /// One URL path segment: every byte but RFC 3986 unreserved characters is
    /// percent-encoded, so `/`, `%`, `..` text and control characters cannot change the path.
    /// A segment that is only dots is encoded whole (`.` → `%2E`): servers normalise `..`.
    public static func pathSegment(_ name: String) -> String {
        let bytes = Array(name.utf8)
        let onlyDots = !bytes.isEmpty && bytes.allSatisfy { $0 == UInt8(ascii: ".") }
        var out = ""
        out.reserveCapacity(bytes.count)
        for byte in bytes {
            if isUnreserved(byte) && !onlyDots {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }

    /// A component for a local file name: letters, digits, `-`, `_`, `.` kept; anything else
    /// (path separators, control characters, non-ASCII, `%`) becomes `_`; no leading dot (no
    /// hidden files, no `..`); at most `maxLength` bytes; never empty (`file`).
    public static func fileComponent(_ name: String, maxLength: Int = 100) -> String {
        var out = [UInt8]()
        out.reserveCapacity(min(name.utf8.count, maxLength))
        for byte in name.utf8 {
            guard out.count < maxLength else { break }
            let keep =
                isAlphanumeric(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
                || byte == UInt8(ascii: ".")
            out.append(keep ? byte : UInt8(ascii: "_"))
        }
        while out.first == UInt8(ascii: ".") { out[0] = UInt8(ascii: "_") }
        if out.isEmpty { return "file" }
        return String(decoding: out, as: UTF8.self)
    }

    private static func isAlphanumeric(_ b: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(b) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(b)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b)
    }

    private static func isUnreserved(_ b: UInt8) -> Bool {
        isAlphanumeric(b) || b == UInt8(ascii: "-") || b == UInt8(ascii: ".") || b == UInt8(ascii: "_")
            || b == UInt8(ascii: "~")
    }
}

import MicsVocabulary
import MicsAPI
/// The body of one result file: bytes from the fixtures, or synthetic lines made on the fly
/// (for downloads of gigabytes that the sandbox must not hold in memory).
public enum SandboxFile: Sendable {
    case bytes([UInt8])
    /// `lines` fixed-width UserPoint lines: byte `n` is computable, so ranges are cheap.
    case generated(lines: Int)

    public var count: Int {
        switch self {
        case .bytes(let b): return b.count
        case .generated(let lines): return lines * Self.lineWidth
        }
    }

    /// A strong ETag of the content (`"fnv64-SIZE"`): the same bytes give the same tag, a
    /// changed file another one.
    package var etag: String {
        switch self {
        case .bytes(let b):
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in b { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
            return "\"" + String(hash, radix: 16) + "-" + String(b.count) + "\""
        case .generated(let lines):
            return "\"generated-\(lines)\""
        }
    }

    /// The bytes of `range` (the caller keeps ranges small: a write's worth).
    package func bytes(in range: Range<Int>) -> [UInt8] {
        switch self {
        case .bytes(let b):
            return Array(b[range])
        case .generated:
            var out: [UInt8] = []
            out.reserveCapacity(range.count + Self.lineWidth)
            var line = range.lowerBound / Self.lineWidth
            let skip = range.lowerBound % Self.lineWidth
            while out.count < range.count + skip {
                out += Self.line(line)
                line += 1
            }
            return Array(out[skip..<(skip + range.count)])
        }
    }

    /// Line `n`: a 20-digit id, one email, one profile; always `lineWidth` bytes. Made by
    /// writing digits into a template (no String work per line: the sandbox must outrun the
    /// client it is measuring).
    package static func line(_ n: Int) -> [UInt8] {
        var out = template
        let id = 10_000_000_000_000_000_000 as UInt64 + UInt64(n) &* 2_654_435_761 % 8_000_000_000_000_000_000
        writeDigits(id, width: 20, at: idAt, into: &out)
        writeDigits(UInt64(n), width: 10, at: userAt, into: &out)
        let gender: [UInt8] = n % 3 == 0 ? Array(#" "F""#.utf8) : n % 3 == 1 ? Array(#" "M""#.utf8) : Array("null".utf8)
        out.replaceSubrange(genderAt..<genderAt + 4, with: gender)
        writeDigits(UInt64(18 + n % 70), width: 2, at: ageAt, into: &out)
        return out
    }

    private static func writeDigits(_ value: UInt64, width: Int, at start: Int, into out: inout [UInt8]) {
        var v = value
        for k in stride(from: start + width - 1, through: start, by: -1) {
            out[k] = UInt8(ascii: "0") + UInt8(v % 10)
            v /= 10
        }
    }

    private static let template = Array(
        (#"{"id":""# + String(repeating: "I", count: 20) + #"","emails":[{"email":"u"#
            + String(repeating: "U", count: 10)
            + #"@example.com"}],"profiles":[{"gender":GGGG,"age":AA}]}"# + "\n").utf8
    )
    private static func offset(_ marker: String) -> Int {
        let m = Array(marker.utf8)
        return (0...(template.count - m.count)).first { Array(template[$0..<$0 + m.count]) == m }!
    }
    private static let idAt = offset("IIII")
    private static let userAt = offset("UUUU")
    private static let genderAt = offset("GGGG")
    private static let ageAt = offset("AA")

    package static let lineWidth = template.count
}

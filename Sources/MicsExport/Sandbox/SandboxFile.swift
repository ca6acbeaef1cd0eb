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

    /// The bytes of `range` (the caller keeps ranges small: a write's worth).
    func bytes(in range: Range<Int>) -> [UInt8] {
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

    /// Line `n`: a 20-digit id, one email, one profile; always `lineWidth` bytes.
    static func line(_ n: Int) -> [UInt8] {
        let id = String(10_000_000_000_000_000_000 as UInt64 + UInt64(n) &* 2_654_435_761 % 8_000_000_000_000_000_000)
        let user = String(n).leftPadded(to: 10)
        let gender = n % 3 == 0 ? "\"F\"" : n % 3 == 1 ? "\"M\"" : "null"
        let age = String(18 + n % 70).leftPadded(to: 2)
        let text =
            #"{"id":"\#(id)","emails":[{"email":"u\#(user)@example.com"}],"#
            + #""profiles":[{"gender":\#(gender.leftPadded(to: 4, with: " ")),"age":\#(age)}]}"# + "\n"
        return Array(text.utf8)
    }

    static let lineWidth = line(0).count
}

import CIsal

/// Reads one gzip member's header (RFC 1952 §2.3), byte by byte, across chunks:
///
///     1f 8b 08 FLG MTIME(4) XFL OS  [XLEN(2) extra]  [name \0]  [comment \0]  [CRC16]
///
/// `GzipInflater` gives ISA-L only what follows (deflate data, then CRC-32 and length, which
/// ISA-L checks): ISA-L's own header reader reports a wrong header checksum when a header
/// with FHCRC arrives in pieces (ISA-L 2.30), and it judges nothing before the whole header
/// is there, so a file ending in a few non-gzip bytes would read as a truncated member.
struct GzipHeaderReader {
    enum Problem: Error {
        /// The first two bytes are not `1f 8b`.
        case notGzip
        /// The method byte is not 8 (deflate).
        case unknownMethod
        /// One of FLG's reserved bits is set.
        case reservedFlags
        /// FHCRC does not match the header before it.
        case headerChecksum

        /// In zlib's words, which `gzip -t` users know.
        var reason: String {
            switch self {
            case .notGzip: "incorrect header check"
            case .unknownMethod: "unknown compression method"
            case .reservedFlags: "unknown header flags set"
            case .headerChecksum: "header crc mismatch"
            }
        }
    }

    private enum Part { case fixed, extraLength, extra, name, comment, headerCRC, done }

    private static let fhcrc: UInt8 = 0x02, fextra: UInt8 = 0x04, fname: UInt8 = 0x08, fcomment: UInt8 = 0x10

    private var part = Part.fixed
    /// Bytes read of the current part (fixed, extra length, header CRC).
    private var index = 0
    private var flags: UInt8 = 0
    private var extraLeft = 0
    /// CRC-32 of the header bytes read before FHCRC.
    private var crc: UInt32 = 0
    private var storedCRC = 0
    /// Header bytes read so far, the one that made `read` throw included.
    private(set) var bytesRead = 0

    var isComplete: Bool { part == .done }

    /// Reads header bytes from `bytes` until the header ends; returns how many it took.
    mutating func read(_ bytes: UnsafeRawBufferPointer) throws(Problem) -> Int {
        var taken = 0
        while taken < bytes.count && part != .done {
            let byte = bytes[taken]
            taken += 1
            bytesRead += 1
            if part != .headerCRC { crc = withUnsafeBytes(of: byte) { crc32_gzip_refl(crc, $0.baseAddress, 1) } }
            try take(byte)
        }
        return taken
    }

    private mutating func take(_ byte: UInt8) throws(Problem) {
        switch part {
        case .fixed:
            switch index {
            case 0, 1: guard byte == (index == 0 ? 0x1f : 0x8b) else { throw .notGzip }
            case 2: guard byte == 8 else { throw .unknownMethod }
            case 3:
                guard byte & 0xe0 == 0 else { throw .reservedFlags }
                flags = byte
            default: break  // MTIME, XFL, OS
            }
            index += 1
            if index == 10 { next(after: .fixed) }
        case .extraLength:
            extraLeft |= Int(byte) << (8 * index)
            index += 1
            if index == 2 { next(after: .extraLength) }
        case .extra:
            extraLeft -= 1
            if extraLeft == 0 { next(after: .extra) }
        case .name:
            if byte == 0 { next(after: .name) }
        case .comment:
            if byte == 0 { next(after: .comment) }
        case .headerCRC:
            storedCRC |= Int(byte) << (8 * index)
            index += 1
            if index == 2 {
                guard storedCRC == Int(crc & 0xffff) else { throw .headerChecksum }
                part = .done
            }
        case .done:
            break
        }
    }

    /// Moves to the next part the flags ask for after `finished`.
    private mutating func next(after finished: Part) {
        index = 0
        let order: [(Part, UInt8)] = [(.extraLength, Self.fextra), (.name, Self.fname), (.comment, Self.fcomment), (.headerCRC, Self.fhcrc)]
        let from: Int
        switch finished {
        case .fixed: from = 0
        case .extraLength:
            if extraLeft > 0 { part = .extra; return }
            from = 1
        case .extra: from = 1
        case .name: from = 2
        case .comment: from = 3
        default: from = 4
        }
        part = order[from...].first { flags & $0.1 != 0 }?.0 ?? .done
    }
}

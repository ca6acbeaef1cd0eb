import Foundation
import Testing

@testable import MicsAPI
@testable import MicsDecode
@testable import MicsExport
@testable import MicsPipelines
@testable import MicsProject
@testable import MicsSandbox
@testable import MicsSink
@testable import MicsVocabulary

/// The gzip stage against the real `gzip`, bad files, and every chunking.
@Suite("Gzip")
struct GzipTests {
    typealias Support = GzipTestSupport

    /// A few hundred KB: the output spans several 256 KiB pieces.
    static let text = Support.ndjson(bytes: 600_000, seed: 1)
    /// Smaller inputs for the byte-by-byte chunking tests (fast in debug builds).
    static let small = Support.ndjson(bytes: 40_000, seed: 2)
    static let other = Support.ndjson(bytes: 25_000, seed: 3)

    private func withDirectory<T>(_ body: (URL) throws -> T) throws -> T {
        let directory = try Support.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        return try body(directory)
    }

    // MARK: interop with the system gzip

    @Test("our deflate output reads back with gzip -dc", arguments: [1, 6, 9])
    func deflateReadsWithSystemGzip(level: Int) throws {
        try withDirectory { directory in
            let (packed, sizes) = try Support.deflate(Self.text, level: level, blockSize: 64 * 1024)
            #expect(packed.count < Self.text.count / 2)
            #expect(try Support.systemGunzip(packed, in: directory) == Self.text)
            // One whole member per 64 KiB block, each starting with the gzip magic.
            #expect(sizes.count == (Self.text.count + 65_535) / 65_536)
            var offset = 0
            for size in sizes {
                #expect(packed[offset] == 0x1f && packed[offset + 1] == 0x8b)
                offset += size
            }
        }
    }

    @Test("an empty input deflates to a valid empty gzip file")
    func deflateEmpty() throws {
        try withDirectory { directory in
            let (packed, _) = try Support.deflate([], level: 6)
            #expect(packed.starts(with: [0x1f, 0x8b]))
            #expect(try Support.systemGunzip(packed, in: directory) == [])
            #expect(try Support.inflate(packed) == [])
        }
    }

    @Test("deflater counts bytes in and out")
    func deflateCounts() throws {
        let deflater = try GzipDeflater(level: 1)
        var out = 0
        try Self.small.withUnsafeBytes { try deflater.deflate($0) { out += $0.count } }
        try deflater.finish { out += $0.count }
        #expect(deflater.bytesIn == Int64(Self.small.count))
        #expect(deflater.bytesOut == Int64(out))
    }

    @Test("levels outside 1…9 are a usage error", arguments: [0, 10, -1])
    func badLevel(level: Int) {
        let error = #expect(throws: ExportError.self) { try GzipDeflater(level: level) }
        #expect(error?.kind == .usage)
    }

    @Test("files made by gzip -c inflate to the original", arguments: [1, 9])
    func inflateSystemGzip(level: Int) throws {
        try withDirectory { directory in
            let packed = try Support.systemGzip(Self.text, level: level, in: directory)
            #expect(try Support.inflate(packed) == Self.text)
            #expect(try Support.inflate(packed, chunkSize: 65_536) == Self.text)
        }
    }

    @Test("every optional header field (FEXTRA, FNAME, FCOMMENT, FHCRC) is read past, in every chunking")
    func optionalHeaderFields() throws {
        try withDirectory { directory in
            let plain = try Support.systemGzip(Self.small, level: 6, in: directory)
            // gzip -c names no file when it reads stdin: flags 0, the data right after 10 bytes.
            #expect(plain[3] == 0)
            var header: [UInt8] = [0x1f, 0x8b, 8, 0x02 | 0x04 | 0x08 | 0x10, 1, 2, 3, 4, 0, 3]
            header += [5, 0] + Array("ab\u{0}c\u{1f}".utf8)      // XLEN 5, then 5 bytes of FEXTRA
            header += Array("export.ndjson".utf8) + [0]           // FNAME
            header += Array("made by hand, 1f 8b inside: \u{1f}\u{8b}".utf8) + [0]  // FCOMMENT
            let crc = Self.crc32(header)
            header += [UInt8(crc & 0xff), UInt8((crc >> 8) & 0xff)]  // FHCRC: CRC-32's low 16 bits
            let member = header + plain[10...]
            // The system gzip reads it as the same data (it checks the header CRC too).
            #expect(try Support.systemGunzip(member, in: directory) == Self.small)
            for chunkSize in [nil, 1, 3, 11, 100] {
                #expect(try Support.inflate(member + member, chunkSize: chunkSize) == Self.small + Self.small)
            }
            // A wrong header CRC, a reserved flag bit: what zlib says too.
            var badCRC = member
            badCRC[header.count - 1] ^= 0x01
            var reserved = plain
            reserved[3] = 0x20
            for (broken, reason) in [(badCRC, "header crc mismatch"), (reserved, "unknown header flags set")] {
                for chunkSize in [nil, 1] {
                    let error = #expect(throws: ExportError.self) { try Support.inflate(broken, chunkSize: chunkSize) }
                    #expect(error?.message.contains("corrupt gzip data (\(reason))") == true, "\(error?.message ?? "")")
                }
            }
        }
    }

    /// CRC-32 (IEEE, reflected), bit by bit: the test's own, not the library's.
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xffff_ffff
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xedb8_8320 : crc >> 1 }
        }
        return ~crc
    }

    // MARK: members, padding, garbage

    @Test("concatenated members inflate to all contents")
    func multiMember() throws {
        try withDirectory { directory in
            let a = try Support.systemGzip(Self.small, level: 6, in: directory)
            let empty = try Support.systemGzip([], level: 6, in: directory)
            let b = try Support.systemGzip(Self.other, level: 1, in: directory)
            #expect(try Support.inflate(a + b) == Self.small + Self.other)
            #expect(try Support.inflate(a + empty + b, chunkSize: 7) == Self.small + Self.other)
        }
    }

    @Test("trailing zero padding is accepted")
    func zeroPadding() throws {
        try withDirectory { directory in
            let a = try Support.systemGzip(Self.small, level: 6, in: directory)
            #expect(try Support.inflate(a + [UInt8](repeating: 0, count: 1000)) == Self.small)
            #expect(try Support.inflate(a + [0], chunkSize: 1) == Self.small)
        }
    }

    @Test(
        "trailing bytes that are not a gzip member are an error",
        arguments: [Array("hello\n".utf8), [0x1f, 0x00, 0x01], [0x78, 0x9c], [0, 0, 0, 7], [0x1f, 0x8b, 0x09, 0x00]])
    func trailingGarbage(tail: [UInt8]) throws {
        try withDirectory { directory in
            let a = try Support.systemGzip(Self.small, level: 6, in: directory)
            for chunkSize in [nil, 1, 1000] {
                let error = #expect(throws: ExportError.self) { try Support.inflate(a + tail, chunkSize: chunkSize) }
                #expect(error?.kind == .badInput)
                #expect(error.map { $0.message.contains("trailing garbage") || $0.message.contains("corrupt") } == true)
            }
        }
    }

    // MARK: truncated and corrupt

    @Test("a file cut short throws, wherever the cut is")
    func truncated() throws {
        try withDirectory { directory in
            let a = try Support.systemGzip(Self.small, level: 6, in: directory)
            let b = try Support.systemGzip(Self.other, level: 6, in: directory)
            // Inside the 10-byte header, the data, the 8-byte trailer, and inside a second member.
            let cuts = [0, 1, 2, 5, 9, 10, 11, a.count / 2, a.count - 8, a.count - 5, a.count - 1]
            let whole = a + b
            for cut in cuts + [a.count + 1, a.count + 3, a.count + b.count / 2, whole.count - 1] {
                for chunkSize in [nil, 1, 333] {
                    let error = #expect(throws: ExportError.self, "cut at \(cut)") {
                        try Support.inflate(Array(whole[..<cut]), chunkSize: chunkSize)
                    }
                    #expect(error?.kind == .badInput)
                    #expect(error?.message.contains("truncated gzip stream") == true, "cut at \(cut)")
                }
            }
        }
    }

    @Test("a corrupt byte in the middle throws")
    func corrupt() throws {
        try withDirectory { directory in
            let a = try Support.systemGzip(Self.text, level: 6, in: directory)
            for position in [20, a.count / 3, a.count / 2, (a.count * 3) / 4, a.count - 12] {
                var broken = a
                broken[position] ^= 0x55
                let error = #expect(throws: ExportError.self, "flip at \(position)") { try Support.inflate(broken) }
                #expect(error?.kind == .badInput)
                // Either bad data/CRC, or a stream that now wants more bytes than there are.
                let message = error?.message ?? ""
                #expect(message.contains("corrupt gzip data") || message.contains("truncated"), "flip at \(position)")
            }
        }
    }

    @Test("corrupt data is reported with its reason (zlib's words) and the byte offset")
    func corruptMessage() throws {
        try withDirectory { directory in
            let a = try Support.systemGzip(Self.small, level: 6, in: directory)
            // Byte 2 is the compression method; the last 8 bytes are CRC-32 and length.
            for (position, reason) in [(2, "unknown compression method"), (a.count - 6, "incorrect data check")] {
                var broken = a
                broken[position] ^= 0x01
                let error = #expect(throws: ExportError.self) { try Support.inflate(broken, chunkSize: 100) }
                let message = error?.message ?? ""
                #expect(message.contains("corrupt gzip data (\(reason))"), "\(message)")
                // The offset is where the inflater noticed: at or just after the broken byte.
                let offset = message.components(separatedBy: "at compressed byte ").last.flatMap { Int($0) }
                #expect(offset.map { $0 > position && $0 <= position + 8 } == true, "\(message)")
            }
        }
    }

    @Test("errors carry the input name as location")
    func location() throws {
        let inflater = GzipInflater(name: "part-1.ndjson.gz")
        try [UInt8]([0x1f, 0x8b, 0x08]).withUnsafeBytes { try inflater.inflate($0) { _ in } }
        let error = #expect(throws: ExportError.self) { try inflater.finish() }
        #expect(error?.location == "part-1.ndjson.gz")
        #expect(error?.description.contains("hint: ") == true)
    }

    // MARK: every chunking

    @Test("every chunking gives the one-shot result")
    func everyChunking() throws {
        try withDirectory { directory in
            let a = try Support.systemGzip(Self.small, level: 6, in: directory)
            let b = try Support.systemGzip(Self.other, level: 9, in: directory)
            let file = a + b + [0, 0, 0]
            let oracle = try Support.inflate(file)
            #expect(oracle == Self.small + Self.other)
            for chunkSize in 1...500 {
                // A small output buffer so that pieces are cut at every kind of place too.
                let outputChunkSize = [997, 4096, 65_536][chunkSize % 3]
                let result = try Support.inflate(file, chunkSize: chunkSize, outputChunkSize: outputChunkSize)
                #expect(result == oracle, "chunk size \(chunkSize)")
            }
        }
    }

    @Test("tiny output buffers give the same bytes", arguments: [1, 2, 7])
    func tinyOutputBuffer(outputChunkSize: Int) throws {
        try withDirectory { directory in
            let file = try Support.systemGzip(Self.other, level: 9, in: directory)
            for chunkSize in [nil, 1, 100] {
                let result = try Support.inflate(file, chunkSize: chunkSize, outputChunkSize: outputChunkSize)
                #expect(result == Self.other, "chunk size \(String(describing: chunkSize))")
            }
        }
    }

    @Test("deflate under every chunking reads back", arguments: [1, 2, 3, 17, 255, 500, 4096])
    func deflateChunking(chunkSize: Int) throws {
        let (packed, _) = try Support.deflate(Self.small, level: 6, chunkSize: chunkSize, blockSize: 1000)
        #expect(try Support.inflate(packed, chunkSize: 61) == Self.small)
    }
}

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

/// InputDecompressor: gzip found by magic bytes, plain bytes passed through, any chunking.
@Suite("Gzip input detection")
struct GzipInputDecompressorTests {
    typealias Support = GzipTestSupport

    static let plain = Support.ndjson(bytes: 30_000, seed: 4)

    @Test("plain text passes through unchanged under every chunking")
    func plainEveryChunking() throws {
        for chunkSize in 1...500 {
            let (bytes, isGzip) = try Support.decompress(Support.chunks(Self.plain, size: chunkSize))
            #expect(isGzip == false)
            #expect(bytes == Self.plain, "chunk size \(chunkSize)")
        }
        // A 1-byte first chunk, then the rest whole.
        let (bytes, _) = try Support.decompress([[Self.plain[0]], Array(Self.plain[1...])])
        #expect(bytes == Self.plain)
    }

    @Test("plain chunks are forwarded as they come")
    func plainForwardsChunks() throws {
        var decompressor = InputDecompressor()
        var seen: [[UInt8]] = []
        let chunks = [Array(Self.plain[..<1000]), Array(Self.plain[1000...])]
        for chunk in chunks { try decompressor.feed(chunk) { seen.append($0) } }
        try decompressor.finish { seen.append($0) }
        #expect(seen == chunks)
        #expect(decompressor.compressedBytesIn == Int64(Self.plain.count))
        #expect(decompressor.bytesOut == Int64(Self.plain.count))
    }

    @Test("gzip is found by its magic bytes, whatever the name", arguments: ["export.ndjson", "x.gz", "-"])
    func gzipByMagic(name: String) throws {
        let directory = try Support.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let packed = try Support.systemGzip(Self.plain, level: 6, in: directory)
        for chunkSize in [1, 2, 3, 64, 1000, packed.count] {
            let (bytes, isGzip) = try Support.decompress(Support.chunks(packed, size: chunkSize), name: name)
            #expect(isGzip == true)
            #expect(bytes == Self.plain, "chunk size \(chunkSize)")
        }
        // A plain file named .gz stays plain.
        let (bytes, isGzip) = try Support.decompress([Self.plain], name: name)
        #expect(isGzip == false)
        #expect(bytes == Self.plain)
    }

    @Test("feedBytes gives the same text as the array feed: real gzip, plain, every chunking")
    func bytesFeedMatches() throws {
        let directory = try Support.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let packed = try Support.systemGzip(Self.plain, level: 6, in: directory)
        for input in [packed, Self.plain] {
            for chunkSize in [1, 2, 7, 1000, input.count] {
                var decompressor = InputDecompressor(outputChunkSize: 4096)
                var text: [UInt8] = []
                for chunk in Support.chunks(input, size: chunkSize) {
                    try decompressor.feedBytes(chunk, { text.append(contentsOf: $0) })
                }
                try decompressor.finishBytes({ text.append(contentsOf: $0) })
                #expect(text == Self.plain, "chunk size \(chunkSize)")
                #expect(decompressor.bytesOut == Int64(Self.plain.count))
                #expect(decompressor.compressedBytesIn == Int64(input.count))
            }
        }
    }

    @Test("an empty input gives an empty output")
    func empty() throws {
        let (bytes, isGzip) = try Support.decompress([])
        #expect(bytes.isEmpty)
        #expect(isGzip == false)
        let (again, _) = try Support.decompress([[], [], []])
        #expect(again.isEmpty)
    }

    @Test("a single 0x1f byte is plain")
    func singleMagicByte() throws {
        let (bytes, isGzip) = try Support.decompress([[0x1f]])
        #expect(bytes == [0x1f])
        #expect(isGzip == false)
        let (split, _) = try Support.decompress([[], [0x1f], []])
        #expect(split == [0x1f])
    }

    @Test("1f followed by something else is plain")
    func halfMagic() throws {
        let (bytes, isGzip) = try Support.decompress([[0x1f], [0x8c, 0x41]])
        #expect(bytes == [0x1f, 0x8c, 0x41])
        #expect(isGzip == false)
    }

    @Test("a truncated gzip input throws at finish, named")
    func truncated() throws {
        let directory = try Support.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let packed = try Support.systemGzip(Self.plain, level: 6, in: directory)
        let error = #expect(throws: ExportError.self) {
            _ = try Support.decompress([Array(packed.dropLast(4))], name: "in.ndjson")
        }
        #expect(error?.kind == .badInput)
        #expect(error?.location == "in.ndjson")
        #expect(error?.message.contains("truncated") == true)
    }
}

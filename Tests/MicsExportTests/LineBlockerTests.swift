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

/// LineBlocker: chunk boundaries mean nothing. The same input, cut at every size from 1 to
/// 500 bytes with empty chunks mixed in, gives the same lines and line numbers as a plain
/// split on `\n` (STYLE habit 3).
@Suite("Line framing under every chunking")
struct LineBlockerTests {
    typealias Support = LineFramingSupport

    /// BOM, LF and CRLF, blank lines, a long line, escapes, multi-byte text, no final newline.
    static let input: [UInt8] = {
        var text: [UInt8] = [0xEF, 0xBB, 0xBF]
        text += Array("{\"id\":\"1\",\"name\":\"anna\"}\n".utf8)
        text += Array("{\"id\":\"2\",\"name\":\"chloé\"}\r\n".utf8)
        text += Array("\n\r\n   \n".utf8)
        text += Array(("{\"id\":\"3\",\"long\":\"" + String(repeating: "x", count: 300) + "\"}\n").utf8)
        text += Array("{\"id\":\"4\",\"s\":\"a\\nb\"}\r\n".utf8)
        text += Array(("{\"id\":\"5\",\"longer\":\"" + String(repeating: "y", count: 1200) + "\"}\r\n").utf8)
        text += Array("\n{\"id\":\"6\"}\n{}\n".utf8)
        text += Array("{\"id\":\"7\",\"last\":true}".utf8)
        return text
    }()

    @Test("every chunk size from 1 to 500 gives the oracle's lines and numbers", arguments: [1 << 20, 64, 7])
    func everyChunking(blockSize: Int) {
        let expected = Support.oracle(Self.input, maxLineBytes: 1 << 20)
        for size in 1...500 {
            let got = Support.frame(GzipTestSupport.chunks(Self.input, size: size), maxLineBytes: 1 << 20, blockSize: blockSize)
            #expect(got == expected, "chunk size \(size), block size \(blockSize)")
            if got != expected { return }
        }
    }

    @Test("a line longer than the maximum is dropped and reported once, under every chunking",
          arguments: [1 << 20, 200, 64, 7])
    func overlongLines(blockSize: Int) {
        // maxLineBytes 100: the 300- and 1200-byte lines are over, the others well under.
        let expected = Support.oracle(Self.input, maxLineBytes: 100)
        #expect(expected.filter { $0.text == nil }.map(\.number) == [6, 8])
        for size in 1...500 {
            let got = Support.frame(GzipTestSupport.chunks(Self.input, size: size), maxLineBytes: 100, blockSize: blockSize)
            // Where an overlong number is reported is checked below; here, that each line is there once.
            #expect(Support.byNumber(got) == expected, "chunk size \(size), block size \(blockSize)")
            if Support.byNumber(got) != expected { return }
        }
    }

    @Test("bytes read straight into the blocks (fill, as files are read) give the oracle's lines, after a first chunk of every size",
          arguments: [1 << 20, 200, 64, 7])
    func filling(blockSize: Int) throws {
        let inputs = [Self.input, GzipTestSupport.ndjson(bytes: 20_000, seed: 5)]
        for (input, maxLineBytes) in [(inputs[0], 1 << 20), (inputs[0], 100), (inputs[1], 1 << 20), (inputs[1], 60)] {
            let expected = Support.oracle(input, maxLineBytes: maxLineBytes)
            for first in [0, 1, 2, 3, 4, 5, 13, 64, 100, 299, 500, 1500, input.count] {
                let got = try Support.frameFilling(input, firstChunk: first, maxLineBytes: maxLineBytes, blockSize: blockSize)
                #expect(Support.byNumber(got) == expected, "first chunk \(first), block size \(blockSize), max \(maxLineBytes)")
                if maxLineBytes == 1 << 20 { #expect(got == expected) }
                if Support.byNumber(got) != expected { return }
            }
        }
    }

    /// `--on-error fail` stops at the *first* bad line (SPEC 5), and the rejects file is in
    /// line order: so an overlong line must come after the lines before it. LineBlocker puts
    /// it in the `overlongLines` of the block that holds the lines *before* it, which
    /// BlockConverter reads first.
    @Test("an overlong line is reported after the lines before it", arguments: [200, 64, 7])
    func overlongInLineOrder(blockSize: Int) {
        let expected = Support.oracle(Self.input, maxLineBytes: 100)
        for size in [1, 13, 100, 500, Self.input.count] {
            let got = Support.frame(GzipTestSupport.chunks(Self.input, size: size), maxLineBytes: 100, blockSize: blockSize)
            #expect(got.map(\.number) == expected.map(\.number), "chunk size \(size), block size \(blockSize)")
        }
    }

    @Test("a line of exactly the maximum is kept, with LF or CRLF, under every chunking", arguments: [64, 7])
    func lineAtTheMaximum(blockSize: Int) {
        let line = Array(("{\"id\":\"" + String(repeating: "x", count: 91) + "\"}").utf8)
        #expect(line.count == 100)
        let text = line + [0x0A] + line + [0x0D, 0x0A] + line + [0x0D, 0x0A] + line
        let expected = Support.oracle(text, maxLineBytes: 100)
        #expect(expected.allSatisfy { $0.text != nil })
        for size in 1...300 {
            let got = Support.byNumber(Support.frame(GzipTestSupport.chunks(text, size: size), maxLineBytes: 100,
                                                     blockSize: blockSize))
            #expect(got == expected, "chunk size \(size), block size \(blockSize)")
        }
    }

    @Test("the BOM is skipped only at the start, even when it arrives a byte at a time")
    func bomOnlyAtStart() {
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        let text = bom + Array("{\"a\":1}\n".utf8) + bom + Array("{\"a\":2}".utf8)
        for size in 1...12 {
            let got = Support.frame(GzipTestSupport.chunks(text, size: size), maxLineBytes: 1000, blockSize: 4)
            #expect(got.map(\.number) == [1, 2])
            #expect(got.first?.text == Array("{\"a\":1}".utf8), "chunk size \(size)")
            #expect(got.last?.text == bom + Array("{\"a\":2}".utf8), "chunk size \(size)")
        }
    }

    @Test("short sources: empty, one or two bytes, a lone BOM, a lone newline", arguments: [
        [], [0x31], [0x31, 0x32], [0xEF, 0xBB], [0xEF, 0xBB, 0xBF], [0x0A], [0x0A, 0x0A, 0x31],
        [0xEF, 0xBB, 0xBF, 0x0A, 0x31],
    ] as [[UInt8]])
    func shortSources(text: [UInt8]) {
        let expected = Support.oracle(text, maxLineBytes: 100)
        for size in 1...4 {
            #expect(Support.frame(GzipTestSupport.chunks(text, size: size), maxLineBytes: 100, blockSize: 2) == expected)
        }
    }

    @Test("a long random-ish input matches the oracle at a spread of chunk sizes")
    func biggerInput() {
        let text = GzipTestSupport.ndjson(bytes: 40_000, seed: 11)
        let expected = Support.oracle(text, maxLineBytes: 1 << 20)
        for size in [1, 2, 3, 5, 17, 100, 499, 500, 4096, 65_536] {
            let got = Support.frame(GzipTestSupport.chunks(text, size: size), maxLineBytes: 1 << 20, blockSize: 8192)
            #expect(got == expected, "chunk size \(size)")
        }
    }

    @Test("gzip from the real gzip tool, through InputDecompressor then LineBlocker, under every chunking")
    func gzipThenFrame() throws {
        let directory = try GzipTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let packed = try GzipTestSupport.systemGzip(Self.input, level: 9, in: directory)
        let expected = Support.oracle(Self.input, maxLineBytes: 100)
        for size in 1...500 {
            var decompressor = InputDecompressor(name: "in.ndjson", outputChunkSize: 97)
            var plain: [[UInt8]] = []
            for chunk in GzipTestSupport.chunks(packed, size: size) {
                try decompressor.feed(chunk) { plain.append($0) }
            }
            try decompressor.finish { plain.append($0) }
            #expect(decompressor.isGzip == true)
            let got = Support.byNumber(Support.frame(plain, maxLineBytes: 100, blockSize: 64))
            #expect(got == expected, "chunk size \(size)")
            if got != expected { return }
        }
    }

    @Test("blocks hold whole lines, and the block numbers follow one another")
    func blocksHoldWholeLines() {
        var blocker = LineBlocker(maxLineBytes: 1 << 20, blockSize: 32)
        var blocks: [LineBlock] = []
        for chunk in GzipTestSupport.chunks(Self.input, size: 13) {
            chunk.withUnsafeBytes { blocker.feed($0) { blocks.append($0) } }
        }
        blocker.finish { blocks.append($0) }
        #expect(blocks.count > 3)
        var next = 1
        for (index, block) in blocks.enumerated() {
            #expect(block.firstLine == next)
            if index < blocks.count - 1 { #expect(block.bytes.last == 0x0A) }
            next += block.bytes.filter { $0 == 0x0A }.count
        }
    }

    /// Found by fuzzing (fuzz/run.sh lines): the overlong check computed `maxLineBytes + 1`,
    /// which overflows (a crash) when the limit is `Int.max`.
    @Test("a limit of Int.max never overflows", arguments: [1, 7, 64])
    func noLimit(blockSize: Int) {
        let expected = Support.oracle(Self.input, maxLineBytes: Int.max)
        for size in [1, 5, 300] {
            let got = Support.frame(GzipTestSupport.chunks(Self.input, size: size), maxLineBytes: Int.max, blockSize: blockSize)
            #expect(got == expected, "chunk size \(size), block size \(blockSize)")
        }
    }
}

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

/// The splitter alone, against a simple oracle, under many ways of cutting the same rows
/// into blocks: where a block ends must never change where a part ends.
@Suite struct PartSplitterTests {
    /// Rows of varied lengths (up to ~90 bytes), each ending in a newline.
    static func rows(_ count: Int, seed: UInt64) -> [[UInt8]] {
        var state = seed
        return (0..<count).map { index in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let length = Int((state >> 33) % 80)
            // Letters from the generator: text that compresses about as much as real exports.
            let letters = (0..<length).map { offset in
                UInt8(ascii: "a") + UInt8(truncatingIfNeeded: (state >> (offset % 40)) % 26)
            }
            return Array("r\(index):".utf8) + letters + [0x0A]
        }
    }

    /// Feeds `rows` in blocks of the given row counts; returns each part's bytes and rows.
    static func split(
        _ rows: [[UInt8]],
        blocks: [Int],
        splitRows: Int?,
        splitBytes: Int64?,
        gzip: Bool = false
    ) throws
        -> [(bytes: [UInt8], rows: Int)]
    {
        let folder = try WarehouseTestData.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var parts: [AtomicFile] = []
        var splitter = PartSplitter(
            preamble: Array("head\n".utf8),
            splitRows: splitRows,
            splitBytes: splitBytes,
            gzipLevel: gzip ? 6 : nil,
            makePart: { index in
                let part = try AtomicFile(path: folder.appendingPathComponent("p-\(index)").path)
                parts.append(part)
                return part
            }
        )
        var next = 0
        var turn = 0
        while next < rows.count {
            let take = min(blocks[turn % blocks.count], rows.count - next)
            turn += 1
            var bytes: [UInt8] = []
            var ends: [Int32] = []
            for row in rows[next..<next + take] {
                bytes += row
                ends.append(Int32(bytes.count))
            }
            try splitter.write(bytes, rows: take, rowEnds: ends)
            next += take
        }
        try splitter.finish()
        return try parts.map { part in
            let data = Array(try Data(contentsOf: URL(fileURLWithPath: part.temporaryPath)))
            part.remove()
            return (data, part.rows)
        }
    }

    @Test(arguments: [[1], [2, 0, 3], [7], [50], [1000], [13, 1, 0, 29]])
    func rowPartsDoNotDependOnBlocks(blocks: [Int]) throws {
        let rows = Self.rows(503, seed: 1)
        let parts = try Self.split(rows, blocks: blocks, splitRows: 100, splitBytes: nil)
        #expect(parts.map(\.rows) == [100, 100, 100, 100, 100, 3])
        for (index, part) in parts.enumerated() {
            let expected = Array("head\n".utf8) + rows[index * 100..<min(rows.count, (index + 1) * 100)].flatMap { $0 }
            #expect(part.bytes == expected)
        }
    }

    @Test(arguments: [[1], [3, 0, 5], [64], [1000]])
    func plainBytePartsMatchTheOracle(blocks: [Int]) throws {
        let rows = Self.rows(800, seed: 2)
        let limit = 2_000
        // Oracle: add rows until the part reaches the limit.
        var expected: [[UInt8]] = []
        var current = Array("head\n".utf8)
        var open = false
        for row in rows {
            current += row
            open = true
            if current.count >= limit {
                expected.append(current)
                current = Array("head\n".utf8)
                open = false
            }
        }
        if open { expected.append(current) }
        let parts = try Self.split(rows, blocks: blocks, splitRows: nil, splitBytes: Int64(limit))
        #expect(parts.map(\.bytes) == expected)
        #expect(parts.map(\.rows).reduce(0, +) == rows.count)
    }

    @Test func rowsAndBytesTogetherCutAtWhicheverComesFirst() throws {
        let rows = Self.rows(300, seed: 3)
        let parts = try Self.split(rows, blocks: [17], splitRows: 40, splitBytes: 1_500)
        for part in parts.dropLast() {
            #expect(part.rows == 40 || part.bytes.count >= 1_500)
            #expect(part.rows <= 40)
        }
        #expect(parts.map(\.rows).reduce(0, +) == 300)
    }

    @Test func gzipPartsHoldEveryRowOnce() throws {
        let rows = Self.rows(20_000, seed: 4)
        let parts = try Self.split(rows, blocks: [333, 1, 4096], splitRows: nil, splitBytes: 40_000, gzip: true)
        #expect(parts.count > 2)
        var all: [UInt8] = []
        for part in parts {
            var plain: [UInt8] = []
            let inflater = GzipInflater()
            try part.bytes.withUnsafeBytes { try inflater.inflate($0) { plain += $0 } }
            try inflater.finish()
            #expect(plain.starts(with: Array("head\n".utf8)))
            all += plain.dropFirst(5)
        }
        #expect(all == rows.flatMap { $0 })
    }
}

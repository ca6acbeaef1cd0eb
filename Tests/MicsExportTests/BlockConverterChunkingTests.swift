import Testing

@testable import MicsAPI
@testable import MicsDecode
@testable import MicsExport
@testable import MicsPipelines
@testable import MicsProject
@testable import MicsSandbox
@testable import MicsSink
@testable import MicsVocabulary

/// Frame then convert, the parse worker's whole synchronous path: LineBlocker blocks through
/// BlockConverter give the same rows, counts and rejects whatever the chunking and the block
/// size, and the rows are the ones SPEC 1, 3 and 5 say.
@Suite("Framing and converting under every chunking")
struct BlockConverterChunkingTests {
    /// BOM, CRLF, blank and white-space lines, each kind of bad line, a duplicate key, a long
    /// line, and a last line without its newline.
    static let input: [UInt8] = {
        var text: [UInt8] = [0xEF, 0xBB, 0xBF]
        text += Array(#"{"id":"1","e":[{"m":"a"},{"m":"b"}]}"#.utf8) + [0x0D, 0x0A]     // 1
        text += Array("\r\n \t \n".utf8)                                                 // 2, 3 blank
        text += Array(#"{"id":"4","e":[]}"#.utf8) + [0x0A]                                // 4
        text += Array(#"{"id":"5",}"#.utf8) + [0x0A]                                      // 5 bad JSON
        text += Array("[5]\n".utf8)                                                      // 6 not an object
        text += Array(#"{"id":"7"#.utf8) + [0xFF] + Array("\"}\n".utf8)                   // 7 bad UTF-8
        text += Array(("{\"id\":\"8\",\"pad\":\"" + String(repeating: "z", count: 400) + "\"}\n").utf8)  // 8 too long
        text += Array(#"{"id":"9","id":"9b","e":{"m":"c"}}"#.utf8) + [0x0A]               // 9 duplicate key
        text += Array("\n".utf8)                                                         // 10 blank
        text += Array(#"  {"e":[{"m":null},{"x":1}],"id":"11"}  "#.utf8) + [0x0D, 0x0A]   // 11
        text += Array(#"{"id":"12","e":"s"}"#.utf8)                                        // 12, no newline
        return text
    }()

    static let expectedCSV = "1,a|b\n4,\n9b,c\n11,\n12,\n"
    static let expectedRejects = [5, 6, 7, 8]

    struct Outcome: Equatable {
        var csv = ""
        var records = 0
        var rows = 0
        var blankLines = 0
        var rejects: [Int] = []
        var reasons: [String] = []
    }

    static func run(chunkSize: Int, blockSize: Int) -> Outcome {
        var options = ConvertOptions()
        options.onError = .skip
        options.maxLineBytes = 200
        let columns = [ColumnSpec(path: "id"), ColumnSpec(path: "e.m")]
        options.header = false
        var converter = BlockConverter(columns: columns, writer: CSVRowWriter(names: ["id", "e.m"], options: options),
                                       options: options)
        var blocker = LineBlocker(maxLineBytes: options.maxLineBytes, blockSize: blockSize)
        var outcome = Outcome()
        var bytes: [UInt8] = []
        func take(_ block: LineBlock) {
            let converted = converter.convert(block, sourceName: "in.ndjson")
            bytes += converted.bytes
            outcome.records += converted.records
            outcome.rows += converted.rows
            outcome.blankLines += converted.blankLines
            outcome.rejects += converted.rejects.map(\.line)
            outcome.reasons += converted.rejects.map(\.reason)
        }
        for chunk in GzipTestSupport.chunks(input, size: chunkSize) {
            chunk.withUnsafeBytes { blocker.feed($0, take) }
        }
        blocker.finish(take)
        outcome.csv = String(decoding: bytes, as: UTF8.self)
        return outcome
    }

    @Test("one chunk, one block: the rows, counts and rejects SPEC 1, 3 and 5 give")
    func wholeInput() {
        let outcome = Self.run(chunkSize: Self.input.count, blockSize: 1 << 20)
        #expect(outcome.csv == Self.expectedCSV)
        #expect(outcome.records == 5)
        #expect(outcome.rows == 5)
        #expect(outcome.blankLines == 3)
        #expect(outcome.rejects == Self.expectedRejects)
        #expect(outcome.reasons[0] == "invalid JSON at column 11: expected a string key")
        #expect(outcome.reasons[1].contains("not a JSON object"))
        #expect(outcome.reasons[2] == "invalid UTF-8 at column 9")
        #expect(outcome.reasons[3].contains("longer than --max-line-bytes"))
    }

    @Test("generated records with duplicate keys: BlockConverter writes the tree walk's rows", arguments: [7, 8] as [UInt64])
    func duplicateKeysThroughConverter(seed: UInt64) {
        var generator = RandomRecords(seed: seed, duplicateKeys: true)
        for round in 0..<40 {
            let columns = ScannerOracle.columns(generator.paths())
            let lines = (0..<50).map { _ in Array(generator.record().utf8) }
            var options = ScannerOracle.options(round % 2 == 0 ? .join : .json)
            options.header = false
            var converter = BlockConverter(columns: columns, writer: CSVRowWriter(names: columns.map(\.name), options: options),
                                           options: options)
            let block = LineBlock(bytes: Array(lines.joined(separator: [0x0A])), firstLine: 1)
            let converted = converter.convert(block, sourceName: "generated")
            let expected = lines.map { ScannerOracle.tree($0, columns, options).csv }.joined()
            #expect(converted.failure == nil)
            #expect(converted.rows == lines.count)
            #expect(String(decoding: converted.bytes, as: UTF8.self) == expected, "seed \(seed) round \(round)")
            if String(decoding: converted.bytes, as: UTF8.self) != expected { return }
        }
    }

    @Test("every chunk size from 1 to 500 gives the same outcome", arguments: [1 << 20, 256, 64, 5])
    func everyChunking(blockSize: Int) {
        var expected = Self.run(chunkSize: Self.input.count, blockSize: 1 << 20)
        expected.rejects.sort()
        for size in 1...500 {
            var got = Self.run(chunkSize: size, blockSize: blockSize)
            // The order of the rejects is LineBlockerTests' concern; here, that none is lost.
            let order = got.rejects.indices.sorted { got.rejects[$0] < got.rejects[$1] }
            got.rejects = order.map { got.rejects[$0] }
            got.reasons = order.map { got.reasons[$0] }
            #expect(got == expected, "chunk size \(size), block size \(blockSize)")
            if got != expected { return }
        }
    }
}

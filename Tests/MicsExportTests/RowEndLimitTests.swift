import Testing

@testable import MicsDecode
@testable import MicsExport
@testable import MicsSink
@testable import MicsVocabulary

/// Row ends (kept for parts) are 32-bit: a single row past 2 GiB of output is an error naming
/// its line, not a trap (issue 9, item 5). Checked with the limit lowered, so that no test
/// allocates 2 GiB.
struct RowEndLimitTests {
    static func convert(_ text: String, explode: Bool) -> ConvertedBlock {
        var options = ConvertOptions()
        options.header = false
        options.splitRows = 10
        if explode { options.explode = [["e"]] }
        let columns = [ColumnSpec(path: "id"), ColumnSpec(path: "big"), ColumnSpec(path: "e")]
        var converter = BlockConverter(
            columns: columns, writer: CSVRowWriter(names: columns.map(\.name), options: options), options: options)
        converter.rowEndLimit = 300
        return converter.convert(LineBlock(bytes: Array(text.utf8), firstLine: 1), sourceName: "in.ndjson")
    }

    @Test(arguments: [false, true])
    func aRowPastTheLimitStopsTheRunAtItsLine(explode: Bool) {
        let big = String(repeating: "x", count: 300)
        let text = "{\"id\":1,\"e\":[1]}\n{\"id\":2,\"big\":\"\(big)\",\"e\":[1,2]}\n{\"id\":3,\"e\":[1]}\n"
        let result = Self.convert(text, explode: explode)
        let failure = try? #require(result.failure)
        #expect(failure?.kind == .badInput)
        #expect(failure?.location == "in.ndjson:2")
        #expect(failure?.message.contains("past 300 bytes") == true)
        #expect(result.rowEnds.allSatisfy { $0 <= 300 })
    }

    @Test func rowsUnderTheLimitKeepTheirEnds() {
        let result = Self.convert("{\"id\":1}\n{\"id\":2}\n", explode: false)
        #expect(result.failure == nil)
        #expect(result.rowEnds.map(Int.init) == [result.bytes.firstIndex(of: 0x0A)! + 1, result.bytes.count])
    }

    @Test func aTablesRecordPastTheLimitStopsTheRunAtItsLine() throws {
        var options = ConvertOptions()
        options.tables = true
        options.outputPath = "users.csv"  // names the tables; nothing is written here
        let columns = [ColumnSpec(path: "id"), ColumnSpec(path: "e.v")]
        let layout = OutputLayout(columns: columns, arrays: [["e"]], options: options)
        let writers = layout.tables.map { CSVRowWriter(names: $0.names, keyCount: $0.keyCount, options: options) }
        var converter = BlockConverter(columns: columns, writer: writers[0], options: options,
                                       tables: (plan: try #require(layout.plan), writers: writers))
        converter.rowEndLimit = 400
        let big = (1...40).map { "{\"v\":\"value\($0)\"}" }.joined(separator: ",")
        let text = "{\"id\":1,\"e\":[{\"v\":\"a\"}]}\n{\"id\":2,\"e\":[\(big)]}\n{\"id\":3}\n"
        let result = converter.convert(LineBlock(bytes: Array(text.utf8), firstLine: 1), sourceName: "in.ndjson")
        let failure = try #require(result.failure)
        #expect(failure.kind == .badInput)
        #expect(failure.location == "in.ndjson:2")
        #expect(failure.message.contains("past 400 bytes"))
    }
}

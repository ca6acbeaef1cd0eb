import Testing

@testable import MicsAPI
@testable import MicsDecode
@testable import MicsExport
@testable import MicsPipelines
@testable import MicsProject
@testable import MicsSandbox
@testable import MicsSink
@testable import MicsVocabulary

/// A record exploded into very many rows is handed on in pieces (between rows), so the
/// output of one record is never held whole.
@Suite("--explode streams a large record's rows")
struct ExplodeStreamingTests {
    @Test("100,000 elements: pieces of about flushBytes, every row once, in order")
    func largeArrayComesOutInPieces() {
        let count = 100_000
        let elements = (0..<count).map { #"{"ts":\#($0),"events":[{"name":"e\#($0)"}]}"# }
        let line = #"{"id":"7","activities":["# + elements.joined(separator: ",") + "]}\n"
        let block = LineBlock(bytes: Array(line.utf8), firstLine: 1)
        var options = ConvertOptions()
        options.explode = [["activities"]]
        options.header = false
        let columns = [ColumnSpec(path: "id"), ColumnSpec(path: "activities.ts"), ColumnSpec(path: "activities.events.name")]
        var converter = BlockConverter(columns: columns, writer: CSVRowWriter(names: columns.map(\.name), options: options),
                                       options: options)

        var pieces: [ConvertedBlock] = []
        repeat {
            pieces.append(converter.convert(block, sourceName: "big.ndjson"))
        } while pieces.last!.isPartial && pieces.count < 1000

        #expect(pieces.count > 1)
        let longestRow = 40
        for piece in pieces { #expect(piece.bytes.count <= BlockConverter<CSVRowWriter>.flushBytes + longestRow) }
        #expect(pieces.map(\.rows).reduce(0, +) == count)
        #expect(pieces.map(\.records).reduce(0, +) == 1)
        let text = String(decoding: pieces.flatMap(\.bytes), as: UTF8.self)
        let rows = text.split(separator: "\n")
        #expect(rows.count == count)
        #expect(rows.first == "7,0,e0")
        #expect(rows.last == "7,\(count - 1),e\(count - 1)")
        #expect(rows[54_321] == "7,54321,e54321")
    }
}

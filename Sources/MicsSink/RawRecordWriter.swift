import MicsVocabulary
import MicsDecode
import MicsProject
/// Raw: the input record itself, compact, one per line (a clean, validated copy).
package struct RawRecordWriter: RowWriter {
    package init() {}

    package func preamble() -> [UInt8] { [] }

    package mutating func write(record row: RecordRow, text: ValueText, to out: inout [UInt8]) {
        write(row, text: text, to: &out)
    }

    package mutating func write(exploded row: ExplodedRow, text: ValueText, to out: inout [UInt8]) {
        write(row, text: text, to: &out)
    }

    package mutating func write<Row: RowCells>(_ row: Row, text: ValueText, to out: inout [UInt8]) {
        JSONCompact.append(text.line, to: &out)
        out.append(0x0A)
    }

    /// Raw output has no tables (`--tables` needs csv or ndjson).
    package mutating func writeTableRow(
        keys: UnsafeBufferPointer<Int32>, _ row: TableRow, text: ValueText, to out: inout [UInt8]
    ) {
        write(row, text: text, to: &out)
    }

    package var tableRowPrefix: [UInt8] { [] }
    package var types: [ColumnTypeState] { [] }
}

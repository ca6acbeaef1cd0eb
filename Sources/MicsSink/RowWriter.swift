import MicsVocabulary
import MicsDecode
import MicsProject
/// Rows → bytes for one output format. Writers append to a caller's buffer and never
/// do I/O: the sink stage decides when a buffer is full enough to hand on.
package protocol RowWriter {
    /// What starts every output file (and every part): BOM, header row. May be empty.
    func preamble() -> [UInt8]
    mutating func write<Row: RowCells>(_ row: Row, text: ValueText, to out: inout [UInt8])
    /// `write` for the pipeline's two kinds of row. Each writer implements them in this
    /// module, where `write` is specialised for them: a generic call from another module
    /// is not, and cost 15–25 % of a run in witness-table calls per cell.
    mutating func write(record row: RecordRow, text: ValueText, to out: inout [UInt8])
    mutating func write(exploded row: ExplodedRow, text: ValueText, to out: inout [UInt8])
    /// `--tables`: a row without its first key (`_row`, which the writer loop puts in front
    /// after `tableRowPrefix`, as only it knows the record numbers): the other keys, the
    /// cells, the line end.
    mutating func writeTableRow(keys: UnsafeBufferPointer<Int32>, _ row: TableRow, text: ValueText, to out: inout [UInt8])
    /// What goes before the `_row` number of a table row.
    var tableRowPrefix: [UInt8] { get }
    /// Cells changed by `--excel-safe` so far.
    var excelSafeChanges: Int { get }
    /// SPEC 10: the types of the cells written so far, one per data column (keys excluded).
    var types: [ColumnTypeState] { get }
}

extension RowWriter {
    package var excelSafeChanges: Int { 0 }
}

/// Key numbers as decimal digits (`_row`, `_<segment>_idx`).
package enum KeyText {
    @inline(__always)
    package static func append(_ value: Int, to out: inout [UInt8]) {
        if value >= 0 && value < 10 {
            out.append(UInt8(ascii: "0") &+ UInt8(value))
            return
        }
        out.append(contentsOf: String(value).utf8)
    }
}

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
    /// Cells changed by `--excel-safe` so far.
    var excelSafeChanges: Int { get }
}

extension RowWriter {
    package var excelSafeChanges: Int { 0 }
}

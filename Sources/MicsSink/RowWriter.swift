import MicsVocabulary
import MicsDecode
import MicsProject
/// Rows → bytes for one output format. Writers append to a caller's buffer and never
/// do I/O: the sink stage decides when a buffer is full enough to hand on.
package protocol RowWriter {
    /// What starts every output file (and every part): BOM, header row. May be empty.
    func preamble() -> [UInt8]
    mutating func write<Row: RowCells>(_ row: Row, text: ValueText, to out: inout [UInt8])
    /// Cells changed by `--excel-safe` so far.
    var excelSafeChanges: Int { get }
}

extension RowWriter {
    package var excelSafeChanges: Int { 0 }
}

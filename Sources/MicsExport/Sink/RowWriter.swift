/// One output row as the writers see it: for each column, its leaf values and whether
/// the walk crossed an array. A record gives one row, or several with `--explode`.
protocol RowCells {
    func values(_ column: Int) -> UnsafeBufferPointer<ValueRef>
    func crossedArray(_ column: Int) -> Bool
}

/// A whole record as one row.
struct RecordRow: RowCells {
    unowned(unsafe) let record: RecordValues

    @inline(__always) func values(_ column: Int) -> UnsafeBufferPointer<ValueRef> { record.values(column) }
    @inline(__always) func crossedArray(_ column: Int) -> Bool { record.crossedArray(column) }
}

/// Rows → bytes for one output format. Writers append to a caller's buffer and never
/// do I/O: the sink stage decides when a buffer is full enough to hand on.
protocol RowWriter {
    /// What starts every output file (and every part): BOM, header row. May be empty.
    func preamble() -> [UInt8]
    mutating func write<Row: RowCells>(_ row: Row, text: ValueText, to out: inout [UInt8])
    /// Cells changed by `--excel-safe` so far.
    var excelSafeChanges: Int { get }
}

extension RowWriter {
    var excelSafeChanges: Int { 0 }
}

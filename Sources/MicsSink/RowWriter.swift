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

/// One cell of a row: its leaf values and whether the walk crossed an array.
package typealias RowCell = (values: UnsafeBufferPointer<ValueRef>, crossed: Bool)

extension RecordRow {
    /// Column `column`'s cell, read from the row's fields here: `RecordRow`'s own methods
    /// (another module's) are two calls per cell, witness calls through `RowCells`.
    @inline(__always)
    package func cell(_ column: Int) -> RowCell {
        let primary = self.primary[column]
        let list = lists[primary]
        return (UnsafeBufferPointer(start: list.base, count: list.count), crossed[primary])
    }
}

/// Key numbers as decimal digits (`_row`, `_<segment>_idx`), written in place: no `String`
/// per number (a table row has one to three keys, a run millions of rows).
///
/// Not `@inlinable`: a `package` type's methods are not inlined into another module
/// (Swift 6.3), `@inlinable` or not; calls from `MicsExport` are plain calls.
package enum KeyText {
    /// The most bytes `write` writes: `Int.min` is 19 digits and a sign.
    package static let maxBytes = 20

    @inline(__always)
    package static func append(_ value: Int, to out: inout [UInt8]) {
        if value >= 0 && value < 10 {
            out.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value))
            return
        }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: maxBytes) { digits in
            let count = write(value, to: digits.baseAddress!)
            out.append(contentsOf: UnsafeBufferPointer(start: digits.baseAddress, count: count))
        }
    }

    /// Writes `value`'s digits at `start` (room for `maxBytes`) and says how many.
    @inline(__always)
    package static func write(_ value: Int, to start: UnsafeMutablePointer<UInt8>) -> Int {
        var magnitude = value.magnitude
        let sign = value < 0 ? 1 : 0
        if sign == 1 { start[0] = UInt8(ascii: "-") }
        let count = sign + digitCount(magnitude)
        var at = count
        repeat {
            at -= 1
            start[at] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude % 10)
            magnitude /= 10
        } while magnitude > 0
        return count
    }

    @inline(__always)
    package static func digitCount(_ value: UInt) -> Int {
        var count = 1
        var rest = value
        while rest >= 10 {
            rest /= 10
            count += 1
        }
        return count
    }
}

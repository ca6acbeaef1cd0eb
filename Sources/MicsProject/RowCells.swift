import MicsVocabulary
import MicsDecode
/// One output row as the writers see it: for each column, its leaf values and whether
/// the walk crossed an array. A record gives one row, or several with `--explode`.
package protocol RowCells {
    func values(_ column: Int) -> UnsafeBufferPointer<ValueRef>
    func crossedArray(_ column: Int) -> Bool
}

/// A whole record as one row.
package struct RecordRow: RowCells {
    // The record's buffers themselves, not the record: a row is read per cell from another
    // module, where a class reference costs a retain and a release each time. The writers
    // read these fields (`RecordRow.cell` in MicsSink): a field is a load, a method a call.
    package let lists: UnsafeMutablePointer<GrowableList<ValueRef>>
    package let primary: UnsafeMutablePointer<Int>
    package let crossed: UnsafeMutablePointer<Bool>

    @inlinable @inline(__always)
    package func values(_ column: Int) -> UnsafeBufferPointer<ValueRef> { lists[primary[column]].buffer }
    @inlinable @inline(__always)
    package func crossedArray(_ column: Int) -> Bool { crossed[primary[column]] }

    @inlinable @inline(__always)
    package init(record: RecordValues) {
        lists = record.lists
        primary = record.primaryIndices
        crossed = record.crossed
    }
}

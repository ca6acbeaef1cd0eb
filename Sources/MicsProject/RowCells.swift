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
    unowned(unsafe) let record: RecordValues

    @inline(__always) package func values(_ column: Int) -> UnsafeBufferPointer<ValueRef> { record.values(column) }
    @inline(__always) package func crossedArray(_ column: Int) -> Bool { record.crossedArray(column) }
    
    package init(record: RecordValues) {
        self.record = record
    }
}

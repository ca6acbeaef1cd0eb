import MicsVocabulary
import MicsDecode

/// `--tables`: one row of one table, as the writers see it: the table's columns (indices
/// into the conversion's columns), each with the range of its values that belongs to the
/// row's element. Like `RecordRow`, it holds the record's buffers, not the record, so that
/// a writer in another module reads it per cell without a retain.
package struct TableRow: RowCells {
    @usableFromInline var lists: UnsafeMutablePointer<GrowableList<ValueRef>>?
    @usableFromInline var primary: UnsafeMutablePointer<Int>?
    @usableFromInline var crossed: UnsafeMutablePointer<Bool>?
    /// The table's data columns, as conversion column indices.
    @usableFromInline package var columns: [Int] = []
    /// Per conversion column: the values of the row's element.
    @usableFromInline package var ranges: [Range<Int>]

    package init(columnCount: Int) {
        ranges = Array(repeating: 0..<0, count: columnCount)
    }

    /// Reads `record` from now on (call for every record, before its rows).
    package mutating func read(_ record: RecordValues) {
        lists = record.lists
        primary = record.primaryIndices
        crossed = record.crossed
    }

    @inlinable @inline(__always)
    package func values(_ column: Int) -> UnsafeBufferPointer<ValueRef> {
        let global = columns[column]
        return UnsafeBufferPointer(rebasing: lists![primary![global]].buffer[ranges[global]])
    }

    @inlinable @inline(__always)
    package func crossedArray(_ column: Int) -> Bool { crossed![primary![columns[column]]] }
}

/// Which of a column's values belong to one element of its level (`--explode`, `--tables`).
package enum ElementTags {
    /// The values tagged `element`, searching from `start`: values come in document order
    /// and element numbers grow with it (values outside any element, tagged -1, are passed
    /// over), so a cursor per column keeps the work linear in the record.
    @inlinable @inline(__always)
    package static func range(_ tags: UnsafeBufferPointer<Int32>, element: Int32, from start: Int) -> Range<Int> {
        var low = start
        while low < tags.count && tags[low] < element { low += 1 }
        var high = low
        while high < tags.count && tags[high] == element { high += 1 }
        return low..<high
    }
}

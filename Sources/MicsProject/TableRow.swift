import MicsVocabulary
import MicsDecode

/// `--tables`: one row of one table, as the writers see it: per data column of the table,
/// the values of the row's element and whether the walk crossed an array there.
///
/// Plain stored data that the writers in `MicsSink` read field by field. A method of a
/// `package` type is not inlined into another module (Swift 6.3.1, `@inlinable` or not:
/// tried on a two-module example; a `public` type's is), and `RowCells` calls there are
/// witness calls, so a cell read through methods costs two calls where a field is a load.
package struct TableRow: RowCells {
    /// One per data column, in the table's column order; valid while the writer reads the row.
    package let cells: UnsafePointer<TableCell>

    package init(cells: UnsafePointer<TableCell>) {
        self.cells = cells
    }

    package func values(_ column: Int) -> UnsafeBufferPointer<ValueRef> { cells[column].values }

    package func crossedArray(_ column: Int) -> Bool { cells[column].crossed }
}

/// One cell of a `TableRow`.
package struct TableCell {
    package var values: UnsafeBufferPointer<ValueRef>
    package var crossed: Bool

    package init(values: UnsafeBufferPointer<ValueRef>, crossed: Bool) {
        self.values = values
        self.crossed = crossed
    }
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

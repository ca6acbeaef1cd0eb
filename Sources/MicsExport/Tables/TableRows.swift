import MicsVocabulary
import MicsDecode
import MicsProject
import MicsSink

/// `--tables` (SPEC 10): one record's rows, table by table.
///
/// ```
/// {"id":"u1","emails":[{"email":"a"},{"email":"b"}]}      levels: 1 = emails
/// scanner:  email values  [a, b]   tags [0, 1]            elementParent[1] = [0, 0]
/// users          (_row) u1                               one row per record
/// users__emails  (_row) 0 a  |  (_row) 1 b               one row per element of level 1
/// ```
/// The scanner tags every value under a level with its element there (as for `--explode`)
/// and notes each element's parent element; a table at level L has one row per element
/// of L, in document order, keyed by each level's index in its own array, outermost first.
/// The record number (`_row`) is put in front by the writer loop, the only one that knows it.
package struct TableRows {
    /// The plan as flat lists, read per row with no table struct or nested array copied.
    private let tables: [FlatTable]
    /// Every table's data columns (conversion column indices), table by table.
    private let columns: [Int]
    private let levelParent: [Int]
    /// For the current record, per level: where its elements start in `elements` (level
    /// `l`'s are `levelStart[l]..<levelStart[l + 1]`; level 0, the record, has none).
    private var levelStart: [Int]
    private var elements: [Element] = []
    /// Per data column of the table being written: where its values are, and the cell the
    /// writer reads for the current row.
    private var cursors: [ColumnCursor]
    private var cells: [TableCell]
    private var keys: [Int32]

    private struct FlatTable {
        var level: Int
        /// Its data columns: `columns[columns]`.
        var columns: Range<Int>
        /// Its keys after `_row`: one per level, from the outermost down to its own.
        var depth: Int
    }

    private struct Element {
        /// The element's index in its own array.
        var index: Int32
        /// The element of the level above that holds it (-1: none).
        var parent: Int32
    }

    /// A column's values in the record, their element tags, and where the next element's
    /// values start (values come in element order: see `ElementTags`).
    private struct ColumnCursor {
        var values: UnsafeBufferPointer<ValueRef>
        var tags: UnsafeBufferPointer<Int32>
        var next: Int
    }

    package init(plan: TablePlan, columnCount: Int) {
        var start = 0
        tables = plan.tables.map { table in
            defer { start += table.columns.count }
            return FlatTable(level: table.level, columns: start..<start + table.columns.count, depth: table.chain.count)
        }
        columns = plan.tables.flatMap(\.columns)
        levelParent = plan.levelParent
        levelStart = Array(repeating: 0, count: plan.levels.count + 1)
        // At least one of each: every buffer below has a base address.
        let widest = max(1, plan.tables.map(\.columns.count).max() ?? 0)
        let empty = UnsafeBufferPointer<ValueRef>(start: nil, count: 0)
        cursors = Array(repeating: ColumnCursor(values: empty, tags: UnsafeBufferPointer(start: nil, count: 0), next: 0),
                        count: widest)
        cells = Array(repeating: TableCell(values: empty, crossed: false), count: widest)
        keys = Array(repeating: 0, count: max(1, plan.tables.map(\.chain.count).max() ?? 0))
    }

    /// Appends the record's rows to each table's output (`outputs[t]` for `plan.tables[t]`).
    package mutating func write<Writer: RowWriter>(
        _ record: RecordValues, ordinal: Int32, text: ValueText, writers: inout [Writer],
        outputs: inout [TableBlockOutput]
    ) {
        numberElements(record)
        let (tables, columns, levelParent, levelStart) = (tables, columns, levelParent, levelStart)
        // One access to each buffer per record; the rows read plain pointers.
        elements.withUnsafeBufferPointer { elements in
            cursors.withUnsafeMutableBufferPointer { cursors in
                cells.withUnsafeMutableBufferPointer { cells in
                    keys.withUnsafeMutableBufferPointer { keys in
                        for (t, table) in tables.enumerated() {
                            for j in 0..<table.columns.count {
                                let column = columns[table.columns.lowerBound + j]
                                let values = record.values(column)
                                cursors[j] = ColumnCursor(values: values, tags: record.tags(column), next: 0)
                                cells[j] = TableCell(values: values, crossed: record.crossedArray(column))
                            }
                            let buffers = Buffers(elements: elements, cursors: cursors, cells: cells, keys: keys)
                            Self.writeRows(of: table, ordinal, text, buffers, levelParent, levelStart, &writers[t],
                                           &outputs[t])
                        }
                    }
                }
            }
        }
    }

    private struct Buffers {
        var elements: UnsafeBufferPointer<Element>
        var cursors: UnsafeMutableBufferPointer<ColumnCursor>
        var cells: UnsafeMutableBufferPointer<TableCell>
        var keys: UnsafeMutableBufferPointer<Int32>
    }

    /// One table's rows of the record: one in the root table (each cell all its column's
    /// values), one per element of its level in the others.
    @inline(__always)
    private static func writeRows<Writer: RowWriter>(
        of table: FlatTable, _ ordinal: Int32, _ text: ValueText, _ buffers: Buffers, _ levelParent: [Int],
        _ levelStart: [Int], _ writer: inout Writer, _ output: inout TableBlockOutput
    ) {
        let (elements, cursors, cells, keys) = (buffers.elements, buffers.cursors, buffers.cells, buffers.keys)
        let row = TableRow(cells: UnsafePointer(cells.baseAddress!))
        let rowKeys = UnsafeBufferPointer(rebasing: keys[0..<table.depth])
        let width = table.columns.count
        if table.level == 0 {
            writer.writeTableRow(keys: rowKeys, row, text: text, to: &output.bytes)
            output.endRow(ordinal)
            return
        }
        let first = levelStart[table.level]
        for element in first..<levelStart[table.level + 1] {
            // Each level's index, outermost first: up from this element through its parents.
            var at = element
            var level = table.level
            var k = table.depth
            while level > 0 {
                k -= 1
                let up = levelParent[level]
                if at >= 0 {
                    keys[k] = elements[at].index
                    let parent = elements[at].parent
                    at = parent >= 0 ? levelStart[up] + Int(parent) : -1
                } else {
                    keys[k] = -1
                }
                level = up
            }
            let number = Int32(element - first)
            for j in 0..<width {
                let range = ElementTags.range(cursors[j].tags, element: number, from: cursors[j].next)
                cursors[j].next = range.upperBound
                cells[j].values = UnsafeBufferPointer(rebasing: cursors[j].values[range])
            }
            writer.writeTableRow(keys: rowKeys, row, text: text, to: &output.bytes)
            output.endRow(ordinal)
        }
    }
    /// Numbers the record's elements: per level, each element's index in its own array
    /// (the elements of one array come one after another, with the same parent element).
    private mutating func numberElements(_ record: RecordValues) {
        elements.removeAll(keepingCapacity: true)
        for level in 1..<levelStart.count - 1 {
            levelStart[level] = elements.count
            let parents = record.elementParent[level]
            for (element, parent) in parents.enumerated() {
                let index = element > 0 && parent == parents[element - 1] ? elements[elements.count - 1].index + 1 : 0
                elements.append(Element(index: index, parent: parent))
            }
        }
        levelStart[levelStart.count - 1] = elements.count
    }
}

/// What a worker writes for one table from one block: rows without their `_row` number,
/// where each ends, and the record (counted from the block's first) each belongs to.
package struct TableBlockOutput: Sendable {
    package var bytes: [UInt8] = []
    package var rowEnds: [Int32] = []
    package var rowRecords: [Int32] = []

    package init() {}

    package mutating func reserveCapacity(_ size: (bytes: Int, rows: Int)) {
        bytes.reserveCapacity(size.bytes)
        rowEnds.reserveCapacity(size.rows)
        rowRecords.reserveCapacity(size.rows)
    }

    @inline(__always) package mutating func endRow(_ ordinal: Int32) {
        // Checked after the record (BlockConverter.rowEndLimit): past it the run stops.
        rowEnds.append(Int32(truncatingIfNeeded: bytes.count))
        rowRecords.append(ordinal)
    }

    /// The rows as written to the table's file: `prefix` and the record number (`first` +
    /// the row's ordinal) before each row. Also gives where each row ends in the result.
    /// (Run in the writer loop, which is serial: one pass, with no allocation per row.)
    package func assembled(prefix: [UInt8], firstRecord: Int) -> (bytes: [UInt8], rowEnds: [Int32]) {
        let rows = rowEnds.count
        // Ordinals grow: the last row's record number is the widest.
        let widest = KeyText.digitCount(UInt(max(0, firstRecord + Int(rowRecords.last ?? 0))))
        var ends = [Int32](repeating: 0, count: rows)
        let out = [UInt8](unsafeUninitializedCapacity: bytes.count + rows * (prefix.count + widest)) {
            out, count in
            var at = 0
            var start = 0
            bytes.withUnsafeBufferPointer { source in
                prefix.withUnsafeBufferPointer { prefix in
                    rowEnds.withUnsafeBufferPointer { rowEnds in
                        rowRecords.withUnsafeBufferPointer { rowRecords in
                            ends.withUnsafeMutableBufferPointer { ends in
                                // A record's rows have the same number: its digits are copied.
                                var digits = 0..<0
                                for row in 0..<rows {
                                    if let base = prefix.baseAddress {
                                        (out.baseAddress! + at).initialize(from: base, count: prefix.count)
                                        at += prefix.count
                                    }
                                    assert(row == 0 || rowRecords[row] >= rowRecords[row - 1])
                                    if row > 0 && rowRecords[row] == rowRecords[row - 1] {
                                        (out.baseAddress! + at).initialize(from: out.baseAddress! + digits.lowerBound,
                                                                           count: digits.count)
                                        digits = at..<at + digits.count
                                    } else {
                                        digits = at..<at + KeyText.write(firstRecord + Int(rowRecords[row]), to: out.baseAddress! + at)
                                    }
                                    at = digits.upperBound
                                    let end = Int(rowEnds[row])
                                    if end > start {
                                        (out.baseAddress! + at).initialize(from: source.baseAddress! + start, count: end - start)
                                        at += end - start
                                    }
                                    ends[row] = Int32(at)
                                    start = end
                                }
                            }
                        }
                    }
                }
            }
            count = at
        }
        return (out, ends)
    }
}

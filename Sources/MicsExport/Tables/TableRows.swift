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
    let plan: TablePlan
    /// Per level: each element's index in its own array, for the current record.
    private var index: [[Int32]]
    /// Per column: where the next element's values start in its list.
    private var cursors: [Int]
    private var keys: [Int32] = []
    private var row: TableRow

    package init(plan: TablePlan, columnCount: Int) {
        self.plan = plan
        index = Array(repeating: [], count: plan.levels.count)
        cursors = Array(repeating: 0, count: columnCount)
        row = TableRow(columnCount: columnCount)
    }

    /// Appends the record's rows to each table's output (`outputs[t]` for `plan.tables[t]`).
    package mutating func write<Writer: RowWriter>(
        _ record: RecordValues, ordinal: Int32, text: ValueText, writers: inout [Writer],
        outputs: inout [TableBlockOutput]
    ) {
        row.read(record)
        for level in 1..<plan.levels.count {
            let parents = record.elementParent[level]
            index[level].removeAll(keepingCapacity: true)
            for element in parents.indices {
                let next = element > 0 && parents[element] == parents[element - 1] ? index[level][element - 1] + 1 : 0
                index[level].append(next)
            }
        }
        for column in cursors.indices { cursors[column] = 0 }
        for (t, table) in plan.tables.enumerated() {
            if table.level == 0 {
                for column in table.columns {
                    row.ranges[column] = 0..<record.values(column).count
                }
                row.columns = table.columns
                keys.removeAll(keepingCapacity: true)
                keys.withUnsafeBufferPointer { writers[t].writeTableRow(keys: $0, row, text: text, to: &outputs[t].bytes) }
                outputs[t].endRow(ordinal)
                continue
            }
            row.columns = table.columns
            for element in record.elementParent[table.level].indices {
                fillKeys(table, element: Int32(element), record)
                for column in table.columns { row.ranges[column] = range(of: column, element: Int32(element), record) }
                keys.withUnsafeBufferPointer { writers[t].writeTableRow(keys: $0, row, text: text, to: &outputs[t].bytes) }
                outputs[t].endRow(ordinal)
            }
        }
    }

    /// Each level's index, outermost first, for an element of the table's level.
    private mutating func fillKeys(_ table: TablePlan.Table, element: Int32, _ record: RecordValues) {
        keys.removeAll(keepingCapacity: true)
        var level = table.level
        var current = element
        while level > 0 {
            keys.append(current >= 0 ? index[level][Int(current)] : -1)
            let parent = record.levelParent[level]
            current = current >= 0 ? record.elementParent[level][Int(current)] : -1
            level = parent
        }
        keys.reverse()
    }

    /// The values of `column` tagged with `element` (a cursor per column: see `ElementTags`).
    private mutating func range(of column: Int, element: Int32, _ record: RecordValues) -> Range<Int> {
        let range = ElementTags.range(record.tags(column), element: element, from: cursors[column])
        cursors[column] = range.upperBound
        return range
    }
}

/// What a worker writes for one table from one block: rows without their `_row` number,
/// where each ends, and the record (counted from the block's first) each belongs to.
package struct TableBlockOutput: Sendable {
    package var bytes: [UInt8] = []
    package var rowEnds: [Int32] = []
    package var rowRecords: [Int32] = []

    package init() {}

    @inline(__always) package mutating func endRow(_ ordinal: Int32) {
        rowEnds.append(Int32(bytes.count))
        rowRecords.append(ordinal)
    }

    /// The rows as written to the table's file: `prefix` and the record number (`first` +
    /// the row's ordinal) before each row. Also gives where each row ends in the result.
    package func assembled(prefix: [UInt8], firstRecord: Int) -> (bytes: [UInt8], rowEnds: [Int32]) {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + rowEnds.count * (prefix.count + 8))
        var ends: [Int32] = []
        ends.reserveCapacity(rowEnds.count)
        var start = 0
        bytes.withUnsafeBufferPointer { source in
            for (row, end) in rowEnds.enumerated() {
                out.append(contentsOf: prefix)
                KeyText.append(firstRecord + Int(rowRecords[row]), to: &out)
                out.append(contentsOf: UnsafeBufferPointer(rebasing: source[start..<Int(end)]))
                ends.append(Int32(out.count))
                start = Int(end)
            }
        }
        return (out, ends)
    }
}

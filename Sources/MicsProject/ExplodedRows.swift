import MicsVocabulary
import MicsDecode
/// `--explode PATH…`: one row per element of the array at each nested PATH.
///
/// ```
/// explode: activities, activities.events
/// {"id":1,"activities":[{"ts":5,"events":[{"n":"a"},{"n":"b"}]},{"ts":6,"events":[]}]}
/// rows:  id=1 ts=5 n=a  |  id=1 ts=5 n=b  |  id=1 ts=6 n=NULL
/// ```
/// The scanner tags each value under an exploded path with its element number; here the
/// rows walk the elements in order and take, for each column, the values of the chosen
/// element (a cursor per column: values are in document order, so the work is linear in
/// the record, whatever the array sizes). A record whose array is empty or missing keeps
/// one row with those columns null, unless `dropEmpty`. Rows are planned first and taken
/// one by one, so the converter can hand a large record's rows on in several blocks.
package struct ExplodedRows {
    package let levels: Int
    package let dropEmpty: Bool
    private var chosen: [Int32]
    /// `levels` element numbers per planned row (-1: that level had no element).
    private var planned: [Int32] = []
    private var nextRow = 0
    private var cursors: [Int]
    private var row: ExplodedRow

    package init(levels: Int, columnCount: Int, dropEmpty: Bool) {
        self.levels = levels
        self.dropEmpty = dropEmpty
        chosen = Array(repeating: -1, count: levels + 1)
        cursors = Array(repeating: 0, count: columnCount)
        row = ExplodedRow(ranges: Array(repeating: 0..<0, count: columnCount))
    }

    /// Plans the record's rows (the chosen element of each level, per row); `next` then
    /// gives them one at a time, so a caller can stop between rows and come back.
    package mutating func plan(_ record: RecordValues) {
        for column in cursors.indices { cursors[column] = 0 }
        row.record = record
        planned.removeAll(keepingCapacity: true)
        nextRow = 0
        plan(level: 1, parent: 0, record)
    }

    package var hasPendingRows: Bool { nextRow * levels < planned.count }

    /// The next planned row, or nil when the record has no more.
    package mutating func next() -> ExplodedRow? {
        guard hasPendingRows else { return nil }
        for level in 1...levels { chosen[level] = planned[nextRow * levels + level - 1] }
        nextRow += 1
        fillRanges(row.record)
        return row
    }

    private mutating func plan(level: Int, parent: Int32, _ record: RecordValues) {
        guard level <= levels else {
            planned.append(contentsOf: chosen[1...levels])
            return
        }
        var any = false
        let parents = record.elementParent[level]
        for element in parents.indices where parents[element] == parent || level == 1 {
            any = true
            chosen[level] = Int32(element)
            plan(level: level + 1, parent: Int32(element), record)
        }
        if !any && !dropEmpty {
            for deeper in level...levels { chosen[deeper] = -1 }
            planned.append(contentsOf: chosen[1...levels])
        }
    }

    /// For each column, the range of its values that belongs to the chosen elements.
    private mutating func fillRanges(_ record: RecordValues) {
        for column in cursors.indices {
            let level = record.columnExplodeLevel[column]
            if level == 0 {
                row.ranges[column] = 0..<record.values(column).count
                row.forcedNull[column] = false
                continue
            }
            let wanted = chosen[level]
            guard wanted >= 0 else {
                row.ranges[column] = 0..<0
                row.forcedNull[column] = true
                continue
            }
            let range = ElementTags.range(record.tags(column), element: wanted, from: cursors[column])
            cursors[column] = range.lowerBound
            row.ranges[column] = range
            row.forcedNull[column] = false
        }
    }
}

/// One exploded row: a range of each column's values.
package struct ExplodedRow: RowCells {
    unowned(unsafe) var record = RecordValues.empty
    package var ranges: [Range<Int>]
    package var forcedNull: [Bool]

    package init(ranges: [Range<Int>]) {
        self.ranges = ranges
        forcedNull = Array(repeating: false, count: ranges.count)
    }

    @inline(__always) package func values(_ column: Int) -> UnsafeBufferPointer<ValueRef> {
        UnsafeBufferPointer(rebasing: record.values(column)[ranges[column]])
    }
    /// A column whose exploded array had no element is null, not "crossed and empty".
    @inline(__always) package func crossedArray(_ column: Int) -> Bool { !forcedNull[column] && record.crossedArray(column) }
}

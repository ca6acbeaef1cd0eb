/// What one record holds for each column, as found by the scanner: references into the
/// line's bytes (no copy, no allocation per line once the arrays have grown).
///
/// ```
/// {"id":"7","emails":[{"email":"a@x"},{"email":"b@y"}]}
///        ^^^              ^^^^^^^^^^^        ^^^^^^^^^^^
/// column 0: [string 7]            crossedArray: false
/// column 1: [string a@x, string b@y] crossedArray: true
/// ```
struct RecordValues {
    var values: [[ValueRef]]
    /// Per column: whether the walk went through an array in this record (SPEC 3).
    var crossedArray: [Bool]
    /// Compact JSON text of object values at a leaf (`ValueRef.Kind.arenaJSON` points here).
    var arena: [UInt8] = []

    // --explode: which element of each level's array a value came from.
    /// Per column: the deepest explode level above it (0: none).
    let columnExplodeLevel: [Int]
    /// Per column (exploded ones only): the element number of each value, -1 outside.
    var tags: [[Int32]]
    /// Per level (index 0 is the record): the element being walked, -1 outside.
    var currentElement: [Int32]
    /// Per level: for each element, the element of the level above it belongs to.
    var elementParent: [[Int32]]

    init(columns: [ColumnSpec], explode: [[String]] = []) {
        values = Array(repeating: [], count: columns.count)
        crossedArray = Array(repeating: false, count: columns.count)
        columnExplodeLevel = columns.map { column in
            explode.lastIndex { column.path.starts(with: $0) }.map { $0 + 1 } ?? 0
        }
        tags = Array(repeating: [], count: columns.count)
        currentElement = Array(repeating: -1, count: explode.count + 1)
        currentElement[0] = 0
        elementParent = Array(repeating: [], count: explode.count + 1)
    }

    var columnCount: Int { values.count }

    static let empty = RecordValues(columns: [])

    mutating func reset() {
        for index in values.indices {
            values[index].removeAll(keepingCapacity: true)
            crossedArray[index] = false
            if columnExplodeLevel[index] > 0 { tags[index].removeAll(keepingCapacity: true) }
        }
        for level in elementParent.indices { elementParent[level].removeAll(keepingCapacity: true) }
        arena.removeAll(keepingCapacity: true)
    }
}

/// One leaf value: its kind and where its text is.
struct ValueRef: Equatable {
    enum Kind: UInt8 {
        /// A JSON string without escapes: `start..<end` is its content, between the quotes.
        case string
        /// A JSON string with backslash escapes: `start..<end` is the raw content, to unescape.
        case escapedString
        /// A number token, its exact text.
        case number
        case `true`
        case `false`
        /// `null`, a missing key, or a scalar where an object was expected.
        case null
        /// An object at the leaf: compact JSON in `RecordValues.arena[start..<end]`.
        case arenaJSON
    }

    var kind: Kind
    var start: Int32
    var end: Int32

    static let null = ValueRef(kind: .null, start: 0, end: 0)
}

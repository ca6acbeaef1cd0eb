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

    init(columnCount: Int) {
        values = Array(repeating: [], count: columnCount)
        crossedArray = Array(repeating: false, count: columnCount)
    }

    var columnCount: Int { values.count }

    mutating func reset() {
        for index in values.indices {
            values[index].removeAll(keepingCapacity: true)
            crossedArray[index] = false
        }
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

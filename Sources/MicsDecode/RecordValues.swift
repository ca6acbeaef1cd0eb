import MicsVocabulary
/// What one record holds for each column, as found by the scanner: references into the
/// line's bytes (no copy, and no allocation per line once the lists have grown).
///
/// ```
/// {"id":"7","emails":[{"email":"a@x"},{"email":"b@y"}]}
///        ^^^              ^^^^^^^^^^^        ^^^^^^^^^^^
/// column 0: [string 7]            crossedArray: false
/// column 1: [string a@x, string b@y] crossedArray: true
/// ```
///
/// A class over manually grown buffers rather than `[[ValueRef]]`: it is reset and
/// refilled for every line, and arrays of arrays cost reference counting and uniqueness
/// checks on each append (measured: a fifth of the time on short lines).
package final class RecordValues {
    package let columnCount: Int
    /// For each column, the column whose lists it reads (itself, or an earlier column on the
    /// same path). A plain buffer: rows read it per cell with no reference counting.
    @usableFromInline package let primaryIndices: UnsafeMutablePointer<Int>
    @usableFromInline package let lists: UnsafeMutablePointer<GrowableList<ValueRef>>
    /// Per column: whether the walk went through an array in this record (SPEC 3).
    @usableFromInline package let crossed: UnsafeMutablePointer<Bool>
    /// Compact JSON text of object values at a leaf (`ValueRef.Kind.arenaJSON` points here).
    // Hot per-value state: no dynamic exclusivity checks (one scanner owns it; 5 % on short lines).
    @exclusivity(unchecked) package var arena: [UInt8] = []

    // --explode: which element of each level's array a value came from.
    /// Whether a column has lists of its own (false: it shares an earlier column's).
    package func isPrimary(_ column: Int) -> Bool { primaryIndices[column] == column }

    /// Per column: the deepest explode level above it (0: none).
    package let columnExplodeLevel: [Int]
    /// Per column (exploded ones only): the element number of each value, -1 outside.
    private let tagLists: UnsafeMutablePointer<GrowableList<Int32>>
    /// Per level (index 0 is the record): the element being walked, -1 outside.
    @exclusivity(unchecked) package var currentElement: [Int32]
    /// Per level: for each element, the element of the level above it belongs to.
    @exclusivity(unchecked) package var elementParent: [[Int32]]
    /// Per level: the level its arrays sit in (0: the record). `--explode` levels nest
    /// (level − 1); `--tables` levels are a tree (sibling arrays share a parent).
    package let levelParent: [Int]

    package init(columns: [ColumnSpec], explode: [[String]] = [], levelParent: [Int]? = nil) {
        columnCount = columns.count
        primaryIndices = .allocate(capacity: max(1, columns.count))
        primaryIndices.initialize(from: ColumnSpec.primaryIndices(columns), count: columns.count)
        lists = .allocate(capacity: max(1, columns.count))
        lists.initialize(repeating: GrowableList(), count: columns.count)
        tagLists = .allocate(capacity: max(1, columns.count))
        tagLists.initialize(repeating: GrowableList(), count: columns.count)
        crossed = .allocate(capacity: max(1, columns.count))
        crossed.initialize(repeating: false, count: max(1, columns.count))
        columnExplodeLevel = columns.map { column in
            explode.lastIndex { column.path.starts(with: $0) }.map { $0 + 1 } ?? 0
        }
        currentElement = Array(repeating: -1, count: explode.count + 1)
        currentElement[0] = 0
        elementParent = Array(repeating: [], count: explode.count + 1)
        self.levelParent = levelParent ?? [0] + explode.indices.map { $0 }
    }

    deinit {
        for column in 0..<columnCount {
            lists[column].free()
            tagLists[column].free()
        }
        lists.deallocate()
        primaryIndices.deallocate()
        tagLists.deallocate()
        crossed.deallocate()
    }

    /// A placeholder with no columns: nothing in it can change, so sharing it is safe.
    nonisolated(unsafe) package static let empty = RecordValues(columns: [])

    package func reset() {
        for column in 0..<columnCount {
            lists[column].count = 0
            tagLists[column].count = 0
            crossed[column] = false
        }
        if !arena.isEmpty { arena.removeAll(keepingCapacity: true) }
        if elementParent.count > 1 {
            for level in elementParent.indices { elementParent[level].removeAll(keepingCapacity: true) }
            // A scan that stopped inside an element (a bad line, or a duplicate key read
            // again) must not leave that element current for the next walk.
            for level in currentElement.indices.dropFirst() { currentElement[level] = -1 }
        }
    }

    /// `arena`'s bytes during `body`. Read from another module `arena` is a dynamically
    /// checked access (`@exclusivity(unchecked)` holds only in this one): a call costs less.
    package func withArena(_ body: (UnsafeBufferPointer<UInt8>) throws -> Void) rethrows {
        try arena.withUnsafeBufferPointer(body)
    }

    @inline(__always)
    package func append(_ column: Int, _ value: ValueRef) {
        lists[column].append(value)
        let level = columnExplodeLevel[column]
        if level > 0 { tagLists[column].append(currentElement[level]) }
    }

    @inlinable @inline(__always)
    package func values(_ column: Int) -> UnsafeBufferPointer<ValueRef> { lists[primaryIndices[column]].buffer }

    @inline(__always)
    package func tags(_ column: Int) -> UnsafeBufferPointer<Int32> { tagLists[primaryIndices[column]].buffer }

    @inlinable @inline(__always)
    package func crossedArray(_ column: Int) -> Bool { crossed[primaryIndices[column]] }

    @inline(__always)
    package func markCrossed(_ column: Int) { crossed[column] = true }
}

/// A list in a manually managed buffer, doubled when full (owned by `RecordValues`).
package struct GrowableList<Element> {
    @usableFromInline package var base: UnsafeMutablePointer<Element>?
    @usableFromInline package var count = 0
    private var capacity = 0

    @inline(__always)
    package mutating func append(_ element: Element) {
        if count == capacity { grow() }
        (base! + count).initialize(to: element)
        count += 1
    }

    @inlinable package var buffer: UnsafeBufferPointer<Element> { UnsafeBufferPointer(start: base, count: count) }

    private mutating func grow() {
        let newCapacity = max(16, capacity * 2)
        let newBase = UnsafeMutablePointer<Element>.allocate(capacity: newCapacity)
        if let base {
            newBase.moveInitialize(from: base, count: count)
            base.deallocate()
        }
        base = newBase
        capacity = newCapacity
    }

    package func free() { base?.deallocate() }
}

/// One leaf value: its kind and where its text is.
package struct ValueRef: Equatable {
    package enum Kind: UInt8 {
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

    package var kind: Kind
    package var start: Int32
    package var end: Int32

    @inline(__always)
    package init(kind: Kind, start: Int32, end: Int32) {
        self.kind = kind
        self.start = start
        self.end = end
    }

    package static let null = ValueRef(kind: .null, start: 0, end: 0)
}

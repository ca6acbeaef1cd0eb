import MicsVocabulary
/// A byte-level JSON scanner for one ndjson line: it validates the whole line (RFC 8259,
/// UTF-8, a depth limit) and records only the values on selected paths, as references
/// into the line. Unselected subtrees are skipped without building anything.
///
/// Why not Foundation: `JSONSerialization`/`JSONDecoder` turn numbers into Double (ids
/// beyond 2^53 lose digits) and are 5–13× slower per byte (FACTS.md).
///
/// The walk follows SPEC 3: arrays are transparent (each element takes the rest of the
/// path), a missing key, a `null` or a scalar where an object was expected yields one
/// `null` for every column below it.
package struct JSONLineScanner {
    package static let maxDepth = 512

    package var trie: PathTrie
    package var record: RecordValues
    /// Record unselected keys as drift (selected mode) — costs a lookup per unknown key.
    package var trackDrift = true
    /// A `\u0000` escape in any string is a bad line (database loads, SPEC 11).
    package var rejectsNul = false
    /// `--tables` (SPEC 10): a scalar where a level's array is elsewhere is a one-element
    /// array, and an array directly inside a level's element is one JSON value.
    package let tables: Bool

    package var p: UnsafePointer<UInt8>
    package var end = 0
    package var i = 0
    private var stampCounter: UInt64 = 0
    /// Per trie node: the object instance that last held its key, for a selected key past its
    /// parent's 64th (the others are bits of a mask local to the object's walk).
    private var stamps: [UInt64]
    /// Set while a line with a duplicated selected key is read again: in each object, only
    /// the last occurrence of a selected key is walked (SPEC 3: the last one wins).
    private var lastKeyWins = false
    /// In that mode, per trie node: the offset of its key's last occurrence in the object
    /// being walked.
    var lastKeyOffset: [Int] = []

    /// - Parameters:
    ///   - explode: the paths whose arrays make rows: the `--explode` paths (nested), or with
    ///     `levelParent` the `--tables` levels (a tree, parents first; see `TablePlan`).
    package init(columns: [ColumnSpec], explode: [[String]] = [], levelParent: [Int]? = nil,
                 discoverAll: Bool = false) {
        trie = PathTrie(columns: columns, explode: explode, discoverAll: discoverAll)
        record = RecordValues(columns: columns, explode: explode, levelParent: levelParent)
        tables = levelParent != nil
        // Selected nodes are all made here (the data adds unselected ones only).
        stamps = Array(repeating: 0, count: trie.nodes.count)
        p = UnsafePointer(bitPattern: 1)!
    }

    /// Scans one line (without its line end) into `record`.
    ///
    /// A selected key that appears twice in one object is rare: the first walk stops there,
    /// and the line is walked again with only the last occurrence of each selected key taken,
    /// so values, array flags and exploded elements all come from that one walk.
    package mutating func scan(_ line: UnsafeBufferPointer<UInt8>) throws(ScanError) {
        do {
            try scanOnce(line)
        } catch {
            guard error.reason == .duplicateSelectedKey else { throw error }
            lastKeyWins = true
            defer { lastKeyWins = false }
            if lastKeyOffset.count < trie.nodes.count {
                lastKeyOffset = Array(repeating: -1, count: trie.nodes.count)
            }
            try scanOnce(line)
        }
    }

    private mutating func scanOnce(_ line: UnsafeBufferPointer<UInt8>) throws(ScanError) {
        record.reset()
        guard let base = line.baseAddress, line.count > 0 else {
            throw ScanError(offset: 0, reason: .notAnObject)
        }
        p = base
        end = line.count
        i = 0
        skipWhitespace()
        guard byte == UInt8(ascii: "{") else {
            // Validate first, so a broken line says what is broken.
            try skipValue(depth: 0)
            throw ScanError(offset: 0, reason: .notAnObject)
        }
        try object(at: PathTrie.root, depth: 0)
        skipWhitespace()
        if i != end { throw ScanError(offset: i, reason: .trailingData) }
    }

    // MARK: - Bytes

    /// The byte at `i`, or 0 past the end (0 is never valid outside a string).
    @inline(__always) package var byte: UInt8 { i < end ? p[i] : 0 }

    @inline(__always) package mutating func skipWhitespace() {
        // One compare for the common case: compact JSON has no space between tokens.
        guard i < end && p[i] <= 0x20 else { return }
        while i < end {
            switch p[i] {
            case 0x20, 0x09, 0x0A, 0x0D: i += 1
            default: return
            }
        }
    }

    @inline(__always) package func fail(_ reason: ScanError.Reason) -> ScanError {
        ScanError(offset: i, reason: reason)
    }

    // MARK: - Selected walk

    /// A value at a trie node (a selected path, or any path in discovery mode).
    /// `inElement`: already inside an element of this node's exploded array.
    package mutating func value(at node: Int32, depth: Int, inElement: Bool = false) throws(ScanError) {
        let column = trie[node].column
        switch byte {
        case UInt8(ascii: "{"):
            let level = inElement ? 0 : Int(trie[node].explodeLevel)
            if level > 0 { beginElement(level) }  // an object where an array was exploded: one element
            try objectValue(at: node, column: column, depth: depth)
            if level > 0 { endElement(level) }
        case UInt8(ascii: "["):
            try array(at: node, depth: depth, inElement: inElement)
        case UInt8(ascii: "\""):
            let start = i + 1
            let escaped = try string()
            scalar(at: node, column: column, ValueRef(kind: escaped ? .escapedString : .string, start: Int32(start), end: Int32(i - 1)),
                   inElement: inElement)
        case UInt8(ascii: "t"):
            try literal("true")
            scalar(at: node, column: column, ValueRef(kind: .true, start: 0, end: 0), inElement: inElement)
        case UInt8(ascii: "f"):
            try literal("false")
            scalar(at: node, column: column, ValueRef(kind: .false, start: 0, end: 0), inElement: inElement)
        case UInt8(ascii: "n"):
            try literal("null")
            if column >= 0 { append(column, .null) }
            appendNulls(below: node, except: column)
        default:
            let start = i
            try number()
            scalar(at: node, column: column, ValueRef(kind: .number, start: Int32(start), end: Int32(i)), inElement: inElement)
        }
    }

    @inline(__always)
    private mutating func objectValue(at node: Int32, column: Int32, depth: Int) throws(ScanError) {
        let start = i
        if trie.discoverAll {
            trie.markObject(node)
            try object(at: node, depth: depth)
        } else if !trie[node].hasChildren {
            try skipValue(depth: depth)  // an object at a leaf: its text is the value
        } else {
            try object(at: node, depth: depth)
        }
        if column >= 0 { appendCompactObject(from: start, column: column) }
    }

    @inline(__always)
    private mutating func scalar(at node: Int32, column: Int32, _ value: ValueRef, inElement: Bool) {
        // --tables: a scalar where a level's array is elsewhere is a one-element array.
        if tables && !inElement && trie[node].explodeLevel > 0 {
            let level = Int(trie[node].explodeLevel)
            beginElement(level)
            scalar(at: node, column: column, value, inElement: true)
            endElement(level)
            return
        }
        if column >= 0 {
            append(column, value)
        } else if trie.discoverAll {
            trie.markLeafValue(node)
        }
        appendNulls(below: node, except: column)
    }

    /// A `null` for every column under `node` (a missing key, or a scalar where an
    /// object was expected), except the node's own column.
    @inline(__always)
    package mutating func appendNulls(below node: Int32, except column: Int32) {
        if trie.discoverAll { return }
        let columns = trie.subtreeColumns(node)
        if columns.count == 1 && column >= 0 { return }
        for other in columns where other != column {
            append(other, .null)
        }
    }

    /// Appends one leaf value to a column, tagged with its exploded element if any.
    @inline(__always)
    package mutating func append(_ column: Int32, _ value: ValueRef) {
        record.append(Int(column), value)
    }

    /// Entering element number `elementParent[level].count` of the level's exploded array.
    @inline(__always)
    private mutating func beginElement(_ level: Int) {
        record.currentElement[level] = Int32(record.elementParent[level].count)
        record.elementParent[level].append(record.currentElement[record.levelParent[level]])
    }

    @inline(__always)
    private mutating func endElement(_ level: Int) {
        record.currentElement[level] = -1
    }

    package mutating func array(at node: Int32, depth: Int, inElement: Bool) throws(ScanError) {
        guard depth < Self.maxDepth else { throw fail(.tooDeep) }
        trie.markArray(node)
        if tables && inElement && trie[node].explodeLevel > 0 {
            // An array directly inside an element of a table's array: one JSON value.
            let start = i
            try skipValue(depth: depth)
            let column = trie[node].column
            if column >= 0 { appendCompactObject(from: start, column: column) }
            appendNulls(below: node, except: column)
            return
        }
        // The exploded array itself makes rows, not a crossed array.
        let level = inElement ? 0 : Int(trie[node].explodeLevel)
        if !trie.discoverAll && level == 0 {
            for column in trie.subtreeColumns(node) { record.markCrossed(Int(column)) }
        }
        i += 1
        skipWhitespace()
        if byte == UInt8(ascii: "]") {
            i += 1
            return
        }
        while true {
            if level > 0 { beginElement(level) }
            try value(at: node, depth: depth + 1, inElement: true)
            if level > 0 { endElement(level) }
            skipWhitespace()
            switch byte {
            case UInt8(ascii: ","):
                i += 1
                skipWhitespace()
            case UInt8(ascii: "]"):
                i += 1
                return
            default:
                throw fail(.expected("',' or ']'"))
            }
        }
    }

    /// An object at a trie node: selected keys are walked, others skipped (and noted as
    /// drift); selected keys that are absent give their columns a `null`.
    package mutating func object(at node: Int32, depth: Int) throws(ScanError) {
        guard depth < Self.maxDepth else { throw fail(.tooDeep) }
        stampCounter &+= 1
        let stamp = stampCounter
        if lastKeyWins && !trie.discoverAll { try findLastKeys(of: node, depth: depth) }
        i += 1
        skipWhitespace()
        var met: UInt64 = 0  // the selected keys met, as `selectedIndex` bits
        if byte == UInt8(ascii: "}") {
            i += 1
        } else {
            var previous: Int32 = -1  // the node of the previous key: the next one likely follows it
            while true {
                guard byte == UInt8(ascii: "\"") else { throw fail(.expected("a string key")) }
                let keyStart = i + 1
                let keyOffset = i
                let escaped = try string()
                let keyEnd = i - 1
                skipWhitespace()
                guard byte == UInt8(ascii: ":") else { throw fail(.expected("':'")) }
                i += 1
                skipWhitespace()
                var child = trie.expectedKey(after: previous, in: node)
                if escaped || !isExpectedKey(child, from: keyStart, to: keyEnd) {
                    child = lookup(under: node, after: previous, keyStart: keyStart, keyEnd: keyEnd, escaped: escaped)
                }
                if child >= 0 {
                    previous = child
                    let selected = trie[child].selected
                    if selected {
                        // Duplicates and missing keys: a bit in a local mask, not a write to
                        // the trie (whose array would check its uniqueness on every write).
                        let index = trie[child].selectedIndex
                        let repeated: Bool
                        if index >= 0 {
                            let bit: UInt64 = 1 << UInt64(index)
                            repeated = met & bit != 0
                            met |= bit
                        } else {
                            repeated = restamp(child, stamp)
                        }
                        if repeated && !trie.discoverAll && !lastKeyWins {
                            throw ScanError(offset: keyOffset, reason: .duplicateSelectedKey)
                        }
                    }
                    if lastKeyWins && selected && lastKeyOffset[Int(child)] != keyOffset {
                        try skipValue(depth: depth + 1)  // an earlier occurrence: the last one wins
                    } else if selected || trie.discoverAll {
                        try value(at: child, depth: depth + 1)
                    } else {
                        try skipValue(depth: depth + 1)
                    }
                } else {
                    try skipValue(depth: depth + 1)
                }
                skipWhitespace()
                if byte == UInt8(ascii: ",") {
                    i += 1
                    skipWhitespace()
                } else if byte == UInt8(ascii: "}") {
                    i += 1
                    break
                } else {
                    throw fail(.expected("',' or '}'"))
                }
            }
        }
        let all = trie[node].selectedChildBits
        if !trie.discoverAll && (met != all || all == .max) { appendMissing(below: node, met: met, stamp: stamp) }
    }

    /// A `null` for every column of the selected keys an object did not hold (`met`: the bits
    /// of those it held; `stamp`: the object, for keys past the 64th). Out of `object`'s code:
    /// most objects hold every selected key.
    @inline(never)
    private mutating func appendMissing(below node: Int32, met: UInt64, stamp: UInt64) {
        var child = trie[node].firstChild
        while child >= 0 {
            let entry = trie[child]
            if entry.selected {
                let index = entry.selectedIndex
                let found = index >= 0 ? met & (1 << UInt64(index)) != 0 : stamps[Int(child)] == stamp
                if !found { appendNulls(below: child, except: -1) }
            }
            child = entry.nextSibling
        }
    }

    /// A selected key past its parent's 64th: whether its object already held it (`stamp`),
    /// and now it does. Rare, so out of `object`'s registers.
    @inline(never)
    private mutating func restamp(_ node: Int32, _ stamp: UInt64) -> Bool {
        defer { stamps[Int(node)] = stamp }
        return stamps[Int(node)] == stamp
    }
}

import MicsVocabulary
/// The selected column paths as a trie of object keys, walked by the scanner.
///
/// ```
/// columns: id, emails.email, profiles.gender, profiles.age
///
/// root ─┬─ "id"        → column 0
///       ├─ "emails" ── "email"  → column 1
///       └─ "profiles" ┬─ "gender" → column 2
///                     └─ "age"    → column 3
/// ```
///
/// Keys found in the data that no column selects are added as *unselected* children
/// (up to `maxDiscoveredNodes`), so the scanner skips them quickly the next time and the
/// summary can report them as drift. In discovery mode (column inference) every key is
/// walked and every node is a candidate column.
package struct PathTrie {
    /// Plain data only (no arrays inside), so walking the trie costs no reference counting:
    /// keys live in `keyBytes`, children are a linked list, subtree columns a flat range.
    package struct Node {
        package var keyOffset: Int32
        package var keyLength: Int32
        /// The key's first 8 bytes, zero-padded: most keys are told apart by this alone.
        package var keyPrefix: UInt64
        package var parent: Int32
        package var firstChild: Int32 = -1
        package var nextSibling: Int32 = -1
        /// The column this node is the leaf of, or -1.
        package var column: Int32 = -1
        /// Every column at or below this node (`subtreeColumnList[start..<start+count]`):
        /// they get a `null` when this key is missing.
        package var subtreeStart: Int32 = 0
        package var subtreeCount: Int32 = 0
        /// On a selected path (false: discovered in the data only).
        package var selected: Bool
        /// A selected node's number among its parent's selected children when below 64: its
        /// bit (`1 << selectedIndex`) in the scanner's per-object mask of keys met; else -1.
        package var selectedIndex: Int8 = -1
        /// `--explode`: this node's array makes rows, at this level (1 = outermost); 0: no.
        package var explodeLevel: Int16 = 0
        /// Seen in the data at least once.
        package var seen = false
        /// Discovery: held a string, number or boolean at least once.
        package var heldLeafValue = false
        /// Discovery: held an object at least once.
        package var heldObject = false
        /// Held an array at least once (`--tables` learns its levels from this).
        package var heldArray = false
        /// The bits of the selected children (`selectedIndex`): an object that met them all
        /// misses none. All 64 set: there may be more, past 64 (the scanner then checks each).
        package var selectedChildBits: UInt64 = 0
        /// The key order of the data, learned by the scanner: the child whose key came first in
        /// this node's object, and the sibling whose key came after this one, when last looked
        /// up (-1: none yet). The records of one export list their keys in one order.
        package var expectedFirst: Int32 = -1
        package var expectedNext: Int32 = -1

        package var hasChildren: Bool { firstChild >= 0 }
    }

    package static let root: Int32 = 0
    package static let maxDiscoveredNodes = 10_000

    package private(set) var nodes: [Node]
    private var keyBytes: [UInt8] = []
    package private(set) var subtreeColumnList: [Int32] = []
    package private(set) var discoveredCount = 0
    /// Keys refused once `maxDiscoveredNodes` were kept, each (parent node, key) once, as
    /// hashes: the summary counts every path it could not list, not only the kept ones.
    package private(set) var droppedKeys: Set<Int> = []
    /// Past a million dropped keys the count stops growing (it is then a lower bound).
    package static let maxDroppedTracked = 1_000_000
    package let discoverAll: Bool

    package init(columns: [ColumnSpec], explode: [[String]] = [], discoverAll: Bool = false) {
        self.discoverAll = discoverAll
        nodes = [Node(keyOffset: 0, keyLength: 0, keyPrefix: 0, parent: -1, selected: true)]
        // Explode paths are walked even when no column ends there (they still make rows).
        for (level, path) in explode.enumerated() {
            nodes[Int(insert(path))].explodeLevel = Int16(level + 1)
        }
        var subtrees = [[Int32]](repeating: [], count: 0)
        var leaves: [(node: Int32, column: Int32)] = []
        for (index, column) in columns.enumerated() {
            let node = insert(column.path)
            // A second column on the same path reads the first one's values.
            guard nodes[Int(node)].column < 0 else { continue }
            nodes[Int(node)].column = Int32(index)
            leaves.append((node, Int32(index)))
        }
        subtrees = Array(repeating: [], count: nodes.count)
        for (node, column) in leaves {
            var walk = node
            while walk >= 0 {
                subtrees[Int(walk)].append(column)
                walk = nodes[Int(walk)].parent
            }
        }
        // Every node so far is selected (discovered ones come later): number each parent's.
        var selectedChildren = [Int](repeating: 0, count: nodes.count)
        for index in nodes.indices.dropFirst() {
            let parent = Int(nodes[index].parent)
            let number = selectedChildren[parent]
            selectedChildren[parent] += 1
            guard number < 64 else { continue }
            nodes[index].selectedIndex = Int8(number)
            nodes[parent].selectedChildBits |= 1 << UInt64(number)
        }
        for (index, list) in subtrees.enumerated() {
            nodes[index].subtreeStart = Int32(subtreeColumnList.count)
            nodes[index].subtreeCount = Int32(list.count)
            subtreeColumnList.append(contentsOf: list)
        }
    }

    private mutating func insert(_ path: [String]) -> Int32 {
        var node = Self.root
        for key in path {
            let bytes = Array(key.utf8)
            node = bytes.withUnsafeBytes { raw in child(of: node, key: raw) ?? addChild(of: node, key: raw, selected: true) }
        }
        return node
    }

    @inline(__always)
    package subscript(_ index: Int32) -> Node {
        get { nodes[Int(index)] }
    }

    /// The columns at or below a node.
    @inline(__always)
    package func subtreeColumns(_ node: Int32) -> ArraySlice<Int32> {
        let n = nodes[Int(node)]
        return subtreeColumnList[Int(n.subtreeStart)..<Int(n.subtreeStart + n.subtreeCount)]
    }

    /// Finds the child with this key: a linear scan, as objects have few selected keys.
    @inline(__always)
    package func child(of node: Int32, key: UnsafeRawBufferPointer) -> Int32? {
        child(of: node, key: key, prefix: Self.prefix(key))
    }

    /// `prefix`: `Self.prefix(key)`, which the caller may compute faster.
    @inline(__always)
    package func child(of node: Int32, key: UnsafeRawBufferPointer, prefix: UInt64) -> Int32? {
        var child = nodes[Int(node)].firstChild
        while child >= 0 {
            if hasKey(child, key: key, prefix: prefix) { return child }
            child = nodes[Int(child)].nextSibling
        }
        return nil
    }

    /// Whether a node's key is `key` (whose `Self.prefix` is `prefix`). `@_transparent`: the
    /// scanner's check of the likely next key, inlined for certain into its object walk.
    @_transparent
    package func hasKey(_ index: Int32, key: UnsafeRawBufferPointer, prefix: UInt64) -> Bool {
        let candidate = nodes[Int(index)]
        return candidate.keyPrefix == prefix && Int(candidate.keyLength) == key.count
            && (key.count <= 8 || keyRest(candidate, equals: key))
    }

    /// A key of more than 8 bytes, whose first 8 match: up to 16 bytes (`creation_ts`,
    /// `compartment_id`) its last 8 are one load each, not a call to `memcmp`.
    @inline(__always)
    private func keyRest(_ node: Node, equals key: UnsafeRawBufferPointer) -> Bool {
        keyBytes.withUnsafeBytes { stored in
            let start = stored.baseAddress! + Int(node.keyOffset)
            guard key.count <= 16 else { return memcmp(start + 8, key.baseAddress! + 8, key.count - 8) == 0 }
            return start.loadUnaligned(fromByteOffset: key.count - 8, as: UInt64.self)
                == key.loadUnaligned(fromByteOffset: key.count - 8, as: UInt64.self)
        }
    }

    @inline(__always)
    package static func prefix(_ key: UnsafeRawBufferPointer) -> UInt64 {
        if key.count >= 8 { return key.loadUnaligned(as: UInt64.self) }
        var value: UInt64 = 0
        for k in 0..<key.count { value |= UInt64(key[k]) << (8 * UInt64(k)) }
        return value
    }

    /// Adds a key found in the data; nil when the discovery budget is spent.
    package mutating func discover(under node: Int32, key: UnsafeRawBufferPointer) -> Int32? {
        guard discoveredCount < Self.maxDiscoveredNodes else {
            if droppedKeys.count < Self.maxDroppedTracked {
                var hasher = Hasher()
                hasher.combine(node)
                hasher.combine(bytes: key)
                droppedKeys.insert(hasher.finalize())
            }
            return nil
        }
        discoveredCount += 1
        return addChild(of: node, key: key, selected: false)
    }

    private mutating func addChild(of node: Int32, key: UnsafeRawBufferPointer, selected: Bool) -> Int32 {
        let index = Int32(nodes.count)
        nodes.append(Node(keyOffset: Int32(keyBytes.count), keyLength: Int32(key.count), keyPrefix: Self.prefix(key),
                          parent: node, subtreeStart: Int32(subtreeColumnList.count), selected: selected))
        keyBytes.append(contentsOf: key)
        // Append at the end of the sibling list, so children keep their first-seen order.
        if nodes[Int(node)].firstChild < 0 {
            nodes[Int(node)].firstChild = index
        } else {
            var last = nodes[Int(node)].firstChild
            while nodes[Int(last)].nextSibling >= 0 { last = nodes[Int(last)].nextSibling }
            nodes[Int(last)].nextSibling = index
        }
        return index
    }

    /// The likely node of the key after `previous` in an object at `parent` (of its first key
    /// when `previous` is -1); -1 when none is known.
    @inline(__always) package func expectedKey(after previous: Int32, in parent: Int32) -> Int32 {
        previous >= 0 ? nodes[Int(previous)].expectedNext : nodes[Int(parent)].expectedFirst
    }

    /// Learns that `node`'s key came after `previous`'s (first, for -1) in an object at `parent`.
    package mutating func expect(_ node: Int32, after previous: Int32, in parent: Int32) {
        if previous >= 0 {
            if nodes[Int(previous)].expectedNext != node { nodes[Int(previous)].expectedNext = node }
        } else if nodes[Int(parent)].expectedFirst != node {
            nodes[Int(parent)].expectedFirst = node
        }
    }

    /// Written once: a write on every lookup would check the array's uniqueness every time.
    @inline(__always) package mutating func markSeen(_ node: Int32) {
        if !nodes[Int(node)].seen { nodes[Int(node)].seen = true }
    }
    @inline(__always) package mutating func markLeafValue(_ node: Int32) { nodes[Int(node)].heldLeafValue = true }
    @inline(__always) package mutating func markObject(_ node: Int32) { nodes[Int(node)].heldObject = true }
    @inline(__always) package mutating func markArray(_ node: Int32) { nodes[Int(node)].heldArray = true }

    /// The paths that held an array, among the nodes walked (the selected ones, or all in
    /// discovery mode): the levels `--tables` makes tables of (SPEC 10).
    package var arrayPaths: Set<[String]> {
        Set(nodes.indices.dropFirst().filter { nodes[$0].heldArray }.map { path(of: Int32($0)) })
    }

    /// The key of a node, as text.
    package func key(of node: Int32) -> String {
        let n = nodes[Int(node)]
        return String(decoding: keyBytes[Int(n.keyOffset)..<Int(n.keyOffset + n.keyLength)], as: UTF8.self)
    }

    /// The path of a node, for messages and inferred column names.
    package func path(of node: Int32) -> [String] {
        var keys: [String] = []
        var walk = node
        while walk > 0 {
            keys.append(key(of: walk))
            walk = nodes[Int(walk)].parent
        }
        return keys.reversed()
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
struct PathTrie {
    struct Node {
        var key: [UInt8]
        var parent: Int32
        var children: [Int32] = []
        /// The column this node is the leaf of, or -1.
        var column: Int32 = -1
        /// Every column at or below this node: they get a `null` when this key is missing.
        var subtreeColumns: [Int32] = []
        /// On a selected path (false: discovered in the data only).
        var selected: Bool
        /// The object instance that last held this key (duplicate and missing detection).
        var stamp: UInt64 = 0
        /// Seen in the data at least once.
        var seen: Bool = false
        /// Discovery: held a scalar (or null, or an empty array) at least once.
        var heldLeafValue: Bool = false
        /// Discovery: held an object at least once.
        var heldObject: Bool = false
        /// `--explode`: this node's array makes rows, at this level (1 = outermost); 0: no.
        var explodeLevel: Int8 = 0
    }

    static let root: Int32 = 0
    static let maxDiscoveredNodes = 10_000

    private(set) var nodes: [Node]
    private(set) var discoveredCount = 0
    let discoverAll: Bool

    init(columns: [ColumnSpec], explode: [[String]] = [], discoverAll: Bool = false) {
        self.discoverAll = discoverAll
        nodes = [Node(key: [], parent: -1, selected: true)]
        // Explode paths are walked even when no column ends there (they still make rows).
        for (level, path) in explode.enumerated() {
            var node = Self.root
            for key in path {
                node = child(of: node, key: Array(key.utf8)) ?? addChild(of: node, key: Array(key.utf8), selected: true)
            }
            nodes[Int(node)].explodeLevel = Int8(level + 1)
        }
        for (index, column) in columns.enumerated() {
            var node = Self.root
            for key in column.path {
                node = child(of: node, key: Array(key.utf8)) ?? addChild(of: node, key: Array(key.utf8), selected: true)
            }
            nodes[Int(node)].column = Int32(index)
            var walk = node
            while walk >= 0 {
                nodes[Int(walk)].subtreeColumns.append(Int32(index))
                walk = nodes[Int(walk)].parent
            }
        }
    }

    @inline(__always)
    subscript(_ index: Int32) -> Node {
        _read { yield nodes[Int(index)] }
    }

    func child(of node: Int32, key: [UInt8]) -> Int32? {
        key.withUnsafeBufferPointer { child(of: node, key: UnsafeRawBufferPointer($0)) }
    }

    /// Finds the child with this key: a linear scan, as objects have few selected keys.
    @inline(__always)
    func child(of node: Int32, key: UnsafeRawBufferPointer) -> Int32? {
        for child in nodes[Int(node)].children {
            let candidate = nodes[Int(child)].key
            if candidate.count == key.count,
                candidate.withUnsafeBytes({ $0.elementsEqual(key) })
            {
                return child
            }
        }
        return nil
    }

    /// Adds a key found in the data; nil when the discovery budget is spent.
    mutating func discover(under node: Int32, key: UnsafeRawBufferPointer) -> Int32? {
        guard discoveredCount < Self.maxDiscoveredNodes else { return nil }
        discoveredCount += 1
        return addChild(of: node, key: Array(key), selected: false)
    }

    private mutating func addChild(of node: Int32, key: [UInt8], selected: Bool) -> Int32 {
        let index = Int32(nodes.count)
        nodes.append(Node(key: key, parent: node, selected: selected))
        nodes[Int(node)].children.append(index)
        return index
    }

    @inline(__always) mutating func setStamp(_ node: Int32, _ stamp: UInt64) { nodes[Int(node)].stamp = stamp }
    @inline(__always) mutating func markSeen(_ node: Int32) { nodes[Int(node)].seen = true }
    @inline(__always) mutating func markLeafValue(_ node: Int32) { nodes[Int(node)].heldLeafValue = true }
    @inline(__always) mutating func markObject(_ node: Int32) { nodes[Int(node)].heldObject = true }

    /// The dotted path of a node, for messages and inferred column names.
    func path(of node: Int32) -> [String] {
        var keys: [String] = []
        var walk = node
        while walk > 0 {
            keys.append(String(decoding: nodes[Int(walk)].key, as: UTF8.self))
            walk = nodes[Int(walk)].parent
        }
        return keys.reversed()
    }
}

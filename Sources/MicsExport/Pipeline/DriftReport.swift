/// Drift, merged from every worker's trie: keys in the data that no column selects, and
/// columns whose key never appeared.
struct DriftReport: Sendable {
    var unselectedPaths: [String] = []
    var seenColumns: Set<Int> = []

    init() {}

    init(_ trie: PathTrie, columns: [ColumnSpec]) {
        for (index, node) in trie.nodes.enumerated() where index > 0 {
            if !node.selected && node.seen {
                unselectedPaths.append(trie.path(of: Int32(index)).joined(separator: "."))
            }
            if node.column >= 0 && node.seen { seenColumns.insert(Int(node.column)) }
        }
    }

    mutating func merge(_ other: DriftReport) {
        var known = Set(unselectedPaths)
        for path in other.unselectedPaths where known.insert(path).inserted { unselectedPaths.append(path) }
        seenColumns.formUnion(other.seenColumns)
    }
}

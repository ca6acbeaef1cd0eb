import MicsVocabulary
import MicsDecode
import MicsProject
import MicsSink
/// Drift, merged from every worker's trie: keys in the data that no column selects, and
/// columns whose key never appeared.
package struct DriftReport: Sendable {
    package var unselectedPaths: [String] = []
    package var seenColumns: Set<Int> = []

    package init() {}

    package init(_ trie: PathTrie, columns: [ColumnSpec]) {
        for (index, node) in trie.nodes.enumerated() where index > 0 {
            if !node.selected && node.seen {
                unselectedPaths.append(trie.path(of: Int32(index)).joined(separator: "."))
            }
            if node.column >= 0 && node.seen { seenColumns.insert(Int(node.column)) }
        }
    }

    package mutating func merge(_ other: DriftReport) {
        var known = Set(unselectedPaths)
        for path in other.unselectedPaths where known.insert(path).inserted { unselectedPaths.append(path) }
        seenColumns.formUnion(other.seenColumns)
    }
}

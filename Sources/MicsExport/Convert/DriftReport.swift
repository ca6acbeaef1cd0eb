import MicsVocabulary
import MicsDecode
import MicsProject
import MicsSink
/// Drift, merged from every worker's trie: keys in the data that no column selects, and
/// columns whose key never appeared.
package struct DriftReport: Sendable {
    package var unselectedPaths: [String] = []
    /// Unselected keys past the 10,000 the tries keep (`PathTrie.droppedKeys`): counted only.
    package var droppedPaths: Set<Int> = []
    package var seenColumns: Set<Int> = []
    /// `--tables`: selected paths that held an array but are no table level (found after
    /// the sample that decided the tables).
    package var lateArrays: [String] = []

    package init() {}

    package init(_ trie: PathTrie, columns: [ColumnSpec], tables: Bool = false) {
        for (index, node) in trie.nodes.enumerated() where index > 0 {
            if tables && node.selected && node.heldArray && node.explodeLevel == 0 {
                lateArrays.append(trie.path(of: Int32(index)).joined(separator: "."))
            }
            if !node.selected && node.seen {
                unselectedPaths.append(trie.path(of: Int32(index)).joined(separator: "."))
            }
            if node.column >= 0 && node.seen { seenColumns.insert(Int(node.column)) }
        }
        droppedPaths = trie.droppedKeys
    }

    package mutating func merge(_ other: DriftReport) {
        var known = Set(unselectedPaths)
        for path in other.unselectedPaths where known.insert(path).inserted { unselectedPaths.append(path) }
        var late = Set(lateArrays)
        for path in other.lateArrays where late.insert(path).inserted { lateArrays.append(path) }
        seenColumns.formUnion(other.seenColumns)
        droppedPaths.formUnion(other.droppedPaths)
    }
}

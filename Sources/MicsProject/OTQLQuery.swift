import MicsVocabulary
import MicsDecode
/// An OTQL query as far as projection cares: the selection tree, the FROM type, and the
/// columns the tree gives.
///
///     SELECT { id emails { email } profiles { gender age } } FROM UserPoint WHERE …
///
///     selection: id, emails { email }, profiles { gender, age }
///     columns:   id, emails.email, profiles.gender, profiles.age
public struct OTQLQuery: Equatable, Sendable {
    public var selection: [OTQLField]
    /// The type after FROM (`UserPoint`); `nil` when the query stops after the selection.
    public var fromType: String?
    /// The leaf fields of `selection`, in the order written, each path once (first position).
    public var columns: [ColumnSpec]

    public init(selection: [OTQLField], fromType: String?) {
        self.selection = selection
        self.fromType = fromType
        self.columns = OTQLQuery.leafColumns(of: selection)
    }

    /// Depth-first, so a column's position is the position of its field in the text.
    package static func leafColumns(of selection: [OTQLField]) -> [ColumnSpec] {
        var columns: [ColumnSpec] = []
        var seen: Set<[String]> = []
        func walk(_ fields: [OTQLField], _ parent: [String]) {
            for field in fields {
                let path = parent + [field.name]
                if field.children.isEmpty {
                    if seen.insert(path).inserted {
                        columns.append(ColumnSpec(name: path.joined(separator: "."), path: path))
                    }
                } else {
                    walk(field.children, path)
                }
            }
        }
        walk(selection, [])
        return columns
    }
}

/// One selected field; `children` is empty for a leaf (a scalar, or an object taken whole).
public struct OTQLField: Equatable, Sendable {
    public var name: String
    public var children: [OTQLField]

    public init(name: String, children: [OTQLField] = []) {
        self.name = name
        self.children = children
    }
}

import MicsVocabulary

/// SPEC 10 `--tables`: the tables a conversion writes, from its columns and the paths that
/// held an array in the data.
///
/// ```
/// columns id, emails.email, activities.ts, activities.events.name
/// arrays  emails, activities, activities.events
///
/// users                       _row  id
/// users__emails               _row  _emails_idx  email
/// users__activities           _row  _activities_idx  ts
/// users__activities__events   _row  _activities_idx  _events_idx  name
/// ```
/// A column goes to the table of the deepest array its path crosses, named by the rest of
/// its path below it (`value` when nothing is left), or keeps the name it was given. Tables
/// come in the order the columns first cross them, a parent before its child. The levels
/// are the scanner's explode levels: `levels[l]` for `l ≥ 1`, `levelParent[l]` the level
/// its arrays sit in (0: the record).
package struct TablePlan: Sendable, Equatable {
    package struct Table: Sendable, Equatable {
        package var name: String
        /// This table's level (0: the root table).
        package var level: Int
        /// The levels from the outermost down to this table's own.
        package var chain: [Int]
        /// Header names: the keys (`_row`, then one `_<segment>_idx` per level), then the columns.
        package var names: [String]
        /// The conversion's column index of each data column, in order.
        package var columns: [Int]

        package var keyCount: Int { chain.count + 1 }
    }

    /// Each level's path; index 0 is the record itself.
    package private(set) var levels: [[String]] = [[]]
    package private(set) var levelParent: [Int] = [0]
    package private(set) var tables: [Table] = []

    /// - Parameters:
    ///   - arrays: the paths that held an array in the data; only a column's prefixes count.
    ///   - root: the root table's name (the output's file name without its extensions).
    package init(columns: [ColumnSpec], arrays: Set<[String]>, root: String, style: HeaderStyle) {
        var tableOfLevel: [Int: Int] = [0: 0]
        tables = [Table(name: root, level: 0, chain: [], names: ["_row"], columns: [])]
        var dataNames: [[String]] = [[]]
        for (index, column) in columns.enumerated() {
            var parent = 0
            for length in column.path.indices.map({ $0 + 1 }) where arrays.contains(Array(column.path[..<length])) {
                let prefix = Array(column.path[..<length])
                let level = levels.firstIndex(of: prefix) ?? {
                    levels.append(prefix)
                    levelParent.append(parent)
                    return levels.count - 1
                }()
                if tableOfLevel[level] == nil {
                    let chain = tables[tableOfLevel[parent]!].chain + [level]
                    let keys = ["_row"] + chain.map { "_" + Self.segment(levels[$0].last!, style) + "_idx" }
                    tableOfLevel[level] = tables.count
                    tables.append(Table(name: root + prefix.map { "__" + Self.segment($0, style) }.joined(), level: level,
                                        chain: chain, names: keys, columns: []))
                    dataNames.append([])
                }
                parent = level
            }
            let table = tableOfLevel[parent]!
            tables[table].columns.append(index)
            let rest = column.path.dropFirst(levels[parent].count)
            let named = column.name != column.path.joined(separator: ".")
            dataNames[table].append(
                named || parent == 0 ? column.name : rest.isEmpty ? "value" : rest.joined(separator: "."))
        }
        let names = HeaderNames.unique(tables.map(\.name))
        for t in tables.indices {
            tables[t].name = names[t]
            switch style {
            case .snake: tables[t].names = HeaderNames.snake(tables[t].names + dataNames[t])
            case .path: tables[t].names = HeaderNames.unique(tables[t].names) + dataNames[t]
            }
        }
    }

    /// A path segment inside a table or key name: snake in snake style; else as it is, with
    /// `/`, `\` and control characters made `_` (a table's name is also a file's name).
    static func segment(_ key: String, _ style: HeaderStyle) -> String {
        if style == .snake { return HeaderNames.snakeBase(key) }
        let safe = String(
            String.UnicodeScalarView(
                key.unicodeScalars.map { $0 == "/" || $0 == "\\" || $0.value < 0x20 || $0.value == 0x7F ? "_" : $0 }))
        return safe.isEmpty ? "_" : safe
    }
}

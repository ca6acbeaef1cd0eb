import MicsVocabulary
import MicsDecode
import MicsProject
import MicsSink

/// Where a conversion's rows go: one flat table, or with `--tables` one table per array
/// level (SPEC 10), each with its own file beside the output named by `-o`:
///
/// ```
/// -o out/users.csv.gz   flat:     out/users.csv.gz
///                       --tables: out/users.csv.gz, out/users__emails.csv.gz, …
///                       schema:   out/users.schema.json (with --tables or --schema)
/// ```
package struct OutputLayout: Sendable {
    package struct Table: Sendable {
        package var name: String
        /// Header names: the keys (with `--tables`), then the data columns.
        package var names: [String]
        package var keyCount: Int
        /// The conversion's column index of each data column.
        package var columns: [Int]
        /// The table's output (nil: stdout).
        package var path: String?
    }

    package var tables: [Table]
    /// `--tables`: the levels and which columns go where; nil for a flat conversion.
    package var plan: TablePlan?
    /// Where the schema file goes (with `--tables` or `--schema`).
    package var schemaPath: String?

    package init(columns: [ColumnSpec], arrays: Set<[String]>, options: ConvertOptions) {
        let names = options.outputPath.map { PartNames(path: $0, parted: true) }
        let root = names.map { PartNames.fileName($0.stem) } ?? "stdout"
        schemaPath = options.schema ? names.map { $0.stem + ".schema.json" } : nil
        guard options.tables, let names else {
            plan = nil
            tables = [Table(name: root, names: HeaderNames.make(columns, style: options.headerStyle), keyCount: 0,
                            columns: Array(columns.indices), path: options.outputPath)]
            return
        }
        let plan = TablePlan(columns: columns, arrays: arrays, root: root, style: options.headerStyle)
        self.plan = plan
        tables = plan.tables.map { table in
            // The table's own name after the root's: `out/users` + `__emails` + `.csv.gz`.
            let path = table.level == 0 ? options.outputPath : names.stem + table.name.dropFirst(root.count) + names.extensions
            return Table(name: table.name, names: table.names, keyCount: table.keyCount, columns: table.columns, path: path)
        }
    }

    /// The tables as written, typed from the cells' `types` (per table, per data column).
    package func schema(columns: [ColumnSpec], types: [[ColumnTypeState]], rows: [Int]) -> [TableSchema] {
        tables.enumerated().map { t, table in
            let keys = table.names.prefix(table.keyCount).map { SchemaColumn(name: $0, path: nil, state: .fixed(.integer)) }
            let data = zip(table.names.dropFirst(table.keyCount), table.columns).enumerated().map { j, named in
                SchemaColumn(name: named.0, path: columns[named.1].path.joined(separator: "."),
                             state: j < types[t].count ? types[t][j] : ColumnTypeState())
            }
            return TableSchema(name: table.name, files: [table.path ?? "-"], rows: rows[t], columns: keys + data)
        }
    }

    /// The options for one table's output: its own path, the rest as given.
    package func options(for table: Table, _ options: ConvertOptions) -> ConvertOptions {
        var options = options
        options.outputPath = table.path
        return options
    }
}

/// `NAME.schema.json`, written atomically (under a temporary name, then renamed).
package enum SchemaFile {
    package static func write(_ schema: DatasetSchema, to path: String) throws {
        let file = try AtomicFile(path: path)
        do {
            try Array(schema.jsonText().utf8).withUnsafeBytes { try file.write($0) }
            try file.commit()
        } catch {
            file.abort()
            throw error
        }
    }
}

import MicsVocabulary
import MicsProject

/// SPEC 10: what a run wrote, table by table, typed — the schema file `NAME.schema.json`
/// and the value a loader or the lineage reads from the run's summary.
///
/// ```json
/// {"tables": [
///   {"name": "users", "files": ["users.csv.gz"], "rows": 2, "columns": [
///     {"name": "_row", "path": null, "type": "integer"},
///     {"name": "id", "path": "id", "type": "string"}
///   ]}
/// ]}
/// ```
public struct DatasetSchema: Sendable, Equatable {
    public var tables: [TableSchema]
    /// Where the data came from, as the text of a JSON object written under `"source"`
    /// before `"tables"` (a pull's export, execution, dates and query: issue 13). nil for files.
    public var sourceJSON: String?

    public init(tables: [TableSchema], sourceJSON: String? = nil) {
        self.tables = tables
        self.sourceJSON = sourceJSON
    }

    /// The file's text: one line per table and per column, file names relative to the
    /// schema file's folder (every file is written beside it).
    public func jsonText() -> String {
        var out = "{"
        if let sourceJSON { out += "\"source\": " + sourceJSON + ",\n" }
        out += "\"tables\": [\n"
        out += tables.map { table in
            let files = table.files.map { quoted(fileName($0)) }.joined(separator: ", ")
            let columns = table.columns.map { column in
                "    {\"name\": \(quoted(column.name)), \"path\": \(column.path.map(quoted) ?? "null"), "
                    + "\"type\": \"\(column.type.rawValue)\"}"
            }.joined(separator: ",\n")
            return "  {\"name\": \(quoted(table.name)), \"files\": [\(files)], \"rows\": \(table.rows), \"columns\": [\n"
                + columns + "\n  ]}"
        }.joined(separator: ",\n")
        return out + "\n]}\n"
    }

    private func quoted(_ text: String) -> String { String(decoding: JSONEscape.string(text), as: UTF8.self) }
    private func fileName(_ path: String) -> String { path.split(separator: "/").last.map(String.init) ?? path }
}

/// One table as written: its files (parts in order), rows, and typed columns.
public struct TableSchema: Sendable, Equatable {
    public var name: String
    /// The files as written (paths as given to the output), parts in order.
    public var files: [String]
    public var rows: Int
    public var columns: [SchemaColumn]

    public init(name: String, files: [String], rows: Int, columns: [SchemaColumn]) {
        self.name = name
        self.files = files
        self.rows = rows
        self.columns = columns
    }
}

/// A column of a table: its header name, the dot path it reads (nil for the keys), its type.
public struct SchemaColumn: Sendable, Equatable {
    public var name: String
    public var path: String?
    public var type: ColumnType
    /// For `decimal`: the most digits seen before and after the point (for `NUMBER(38, s)`).
    public var integerDigits: Int
    public var scale: Int

    public init(name: String, path: String?, state: ColumnTypeState) {
        self.name = name
        self.path = path
        type = state.type
        integerDigits = Int(state.integerDigits)
        scale = Int(state.scale)
    }
}

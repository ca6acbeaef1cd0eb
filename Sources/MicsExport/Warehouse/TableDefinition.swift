import MicsVocabulary
import MicsDecode
import MicsProject
import MicsSink
import Foundation

/// The table a target loads into, each column with its type (SPEC 10).
///
/// The types come from every value written (`ColumnTypeState`), so each cell of the files
/// parses as its column's type: a column that held `3` and `"3"`, or a joined array
/// (`3|4`), is text. With no data read (`columns --columns …` alone) every column is text;
/// cast after loading (`SAFE_CAST`, `TRY_CAST`, `::int`) then.
package enum TableDefinition {
    package static func render(_ target: WarehouseTarget, table: String, columns: [SchemaColumn]) -> String? {
        func type(_ column: SchemaColumn) -> String {
            column.type.spelling(for: target, integerDigits: column.integerDigits, scale: column.scale) ?? ""
        }
        switch target {
        case .bigquery:
            // A JSON schema file for `bq load` / `bq mk --schema`.
            let fields = columns.map {
                "  {\"name\": \(Manifest.quoted($0.name)), \"type\": \"\(type($0))\", \"mode\": \"NULLABLE\"}"
            }
            return "[\n" + fields.joined(separator: ",\n") + "\n]\n"
        case .snowflake:
            return create(snowflakeName(table), columns.map { snowflakeName($0.name) + " " + type($0) })
        case .redshift:
            // Redshift's VARCHAR means VARCHAR(256): too short for joined arrays and long texts.
            return create(quoted(table), columns.map { quoted($0.name) + " " + type($0) })
        case .postgres:
            return create(quoted(table), columns.map { quoted($0.name) + " " + type($0) })
        case .clickhouse:
            let definitions = columns.map { "`" + $0.name.replacingOccurrences(of: "`", with: "\\`") + "` " + type($0) }
            return create(LoadCommand.identifier(table, for: .clickhouse), definitions, suffix: "\nENGINE = MergeTree\nORDER BY tuple()")
        case .excel:
            return nil
        }
    }

    /// `table`: already quoted for the dialect (as the load command quotes it).
    private static func create(_ table: String, _ columns: [String], suffix: String = "") -> String {
        "CREATE TABLE " + table + " (\n" + columns.map { "  " + $0 }.joined(separator: ",\n") + "\n)" + suffix + ";\n"
    }

    /// Postgres and Redshift fold unquoted names to lower case, so quoting a lower-case
    /// name changes nothing, and it keeps `order` or `user` from being read as keywords.
    package static func quoted(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Snowflake folds unquoted names to UPPER case and a quoted lower-case name stays
    /// case-sensitive (every query would need the quotes): quote only when a name needs it.
    package static func snowflakeName(_ name: String) -> String {
        let plain = name.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == "$"
        }
        let startsWell = name.unicodeScalars.first.map { !("0"..."9").contains($0) && $0 != "$" } ?? false
        guard plain, startsWell, !snowflakeReserved.contains(name.uppercased()) else { return quoted(name) }
        return name
    }

    /// Snowflake's reserved keywords (its "Reserved & limited keywords" list).
    package static let snowflakeReserved: Set<String> = [
        "ACCOUNT", "ALL", "ALTER", "AND", "ANY", "AS", "BETWEEN", "BY", "CASE", "CAST", "CHECK", "COLUMN", "CONNECT",
        "CONNECTION", "CONSTRAINT", "CREATE", "CROSS", "CURRENT", "CURRENT_DATE", "CURRENT_TIME", "CURRENT_TIMESTAMP",
        "CURRENT_USER", "DATABASE", "DELETE", "DISTINCT", "DROP", "ELSE", "EXISTS", "FALSE", "FOLLOWING", "FOR", "FROM",
        "FULL", "GRANT", "GROUP", "GSCLUSTER", "HAVING", "ILIKE", "IN", "INCREMENT", "INNER", "INSERT", "INTERSECT",
        "INTO", "IS", "ISSUE", "JOIN", "LATERAL", "LEFT", "LIKE", "LOCALTIME", "LOCALTIMESTAMP", "MINUS", "NATURAL",
        "NOT", "NULL", "OF", "ON", "OR", "ORDER", "ORGANIZATION", "QUALIFY", "REGEXP", "REVOKE", "RIGHT", "RLIKE",
        "ROW",
        "ROWS", "SAMPLE", "SCHEMA", "SELECT", "SET", "SOME", "START", "TABLE", "TABLESAMPLE", "THEN", "TO", "TRIGGER",
        "TRUE", "TRY_CAST", "UNION", "UNIQUE", "UPDATE", "USING", "VALUES", "VIEW", "WHEN", "WHENEVER", "WHERE", "WITH",
    ]
}

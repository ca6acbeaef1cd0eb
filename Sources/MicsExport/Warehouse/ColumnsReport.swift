import MicsVocabulary
import MicsDecode
import MicsProject
import MicsSink
/// `mics-export columns`: the columns a conversion would write, and with a target the
/// table to create and the command that loads the files written.
///
/// ```
/// --columns / --query / --query-file ─┐
/// or input files (inferred, SPEC 2.3) ─┴─▶ ColumnSpec ─▶ header names ─▶ list
///                                               target ─▶ TableDefinition + LoadCommand
/// ```
/// The settings are resolved as `convert` would resolve them (same preset, same output
/// name), so the names and the load options match the files `convert` writes.
public struct ColumnsReport: Sendable {
    public var columns: [ColumnSpec]
    /// Header names, after `--header-style`.
    public var names: [String]
    /// Resolved as `convert` would, with `output` the files to load.
    public var options: ConvertOptions
    public var table: String
    /// The output path the load command reads (given, or suggested from the table).
    public var output: String
    /// The tables `convert` writes (one without `--tables`), typed from the data when
    /// export files were given (all text otherwise).
    public var tables: [TableSchema]
    /// Whether the types come from data (export files were read).
    public var typed: Bool

    public static func make(
        settings: ConvertSettings,
        inputs: [InputSource],
        table: String?
    ) async throws -> ColumnsReport {
        let given = settings.output.flatMap { $0 == "-" ? nil : $0 }
        let tableName =
            table ?? given.map { HeaderNames.snakeBase(PartNames.fileName(PartNames(path: $0, parted: true).stem)) }
            ?? "mics_export"
        let output = given ?? tableName + (settings.target?.suggestedExtension ?? ".csv")
        var settings = settings
        settings.output = output
        var options = try settings.resolve()
        let columns: [ColumnSpec]
        if let known = options.columns {
            columns = known
        } else if !inputs.isEmpty {
            columns = try await ColumnInference.infer(inputs: inputs, options: options).0
            options.columns = columns
        } else {
            throw ExportError(
                .usage,
                "no columns: give --columns, --query, --query-file or an export file to infer them from"
            )
        }
        let names = HeaderNames.make(columns, style: options.headerStyle)
        let tables: [TableSchema]
        if !inputs.isEmpty {
            // SPEC 10: the types come from every value, so the data is converted once, to nowhere.
            var probe = options
            probe.schema = false
            probe.rejectsPath = nil
            let summary = try await ConvertRunner.run(inputs: inputs, options: probe, stages: { _ in DiscardStage() })
            let root = PartNames.fileName(PartNames(path: output, parted: true).stem)
            tables = summary.tables.map { table in
                var renamed = table
                renamed.name = tableName + table.name.dropFirst(root.count)
                return renamed
            }
        } else {
            guard !options.tables else {
                throw ExportError(.usage, "--tables needs export files: the tables come from the arrays in the data")
            }
            let text = zip(names, columns).map {
                SchemaColumn(name: $0.0, path: $0.1.path.joined(separator: "."), state: ColumnTypeState())
            }
            tables = [TableSchema(name: tableName, files: [output], rows: 0, columns: text)]
        }
        return ColumnsReport(
            columns: columns, names: names, options: options, table: tableName, output: output,
            tables: tables, typed: !inputs.isEmpty
        )
    }

    /// Names the target will refuse (e.g. `--header-style path` with BigQuery).
    public var warnings: [String] {
        guard options.target == .bigquery else { return [] }
        let bad = names.filter { name in
            let word: (Unicode.Scalar) -> Bool = {
                $0.isASCII && ($0.properties.isAlphabetic || $0 == "_" || ("0"..."9").contains($0))
            }
            guard let first = name.unicodeScalars.first, word(first), !("0"..."9").contains(first) else { return true }
            return !name.unicodeScalars.allSatisfy(word) || name.count > 300
        }
        guard !bad.isEmpty else { return [] }
        return [
            "BigQuery column names are [A-Za-z_][A-Za-z0-9_]*: \(bad.prefix(5).joined(separator: ", ")) will be refused;"
                + " drop --header-style path (the bigquery preset uses snake)"
        ]
    }

    /// One name per line (with `--tables`, each table's names after a `# TABLE` line).
    public var list: String {
        guard tables.count > 1 else { return names.map { $0 + "\n" }.joined() }
        return tables.map { "# \($0.name)\n" + $0.columns.map { $0.name + "\n" }.joined() }.joined()
    }

    /// The table for the target (nil without one, or for excel).
    public var tableDefinition: String? { definition(of: 0) }

    /// The load command for the files `convert` writes with these options.
    public var loadCommand: String? { load(of: 0) }

    private func definition(of index: Int) -> String? {
        guard let target = options.target else { return nil }
        return TableDefinition.render(target, table: tables[index].name, columns: tables[index].columns)
    }

    private func load(of index: Int) -> String? {
        guard let target = options.target else { return nil }
        var tableOptions = options
        tableOptions.outputPath = tables[index].files.first ?? output
        guard var command = LoadCommand.render(target, table: tables[index].name, options: tableOptions) else { return nil }
        if target == .clickhouse, tables[index].columns.contains(where: { $0.type == .timestamp }) {
            // RFC 3339 with a zone offset needs ClickHouse's best-effort parser.
            command = command.replacingOccurrences(
                of: "clickhouse-client ", with: "clickhouse-client --date_time_input_format=best_effort ")
        }
        return command
    }

    /// What `columns` prints: the list, or with a target the table and then the load
    /// command, each under a comment line (`--` for SQL, `#` for the shell).
    public func render(show: Part = .all) -> String {
        guard let target = options.target, target != .excel else {
            return list
        }
        let mark = target == .bigquery ? "#" : "--"
        var parts: [String] = []
        for (index, table) in tables.enumerated() {
            if show != .load, let definition = definition(of: index) {
                let types = typed ? "typed from \(table.rows) rows" : "all text (no data read: cast after loading)"
                var title = "\(mark) table \(table.name): \(table.columns.count) columns, \(types)"
                if target == .bigquery { title += "; save the schema with --show table > \(table.name).bigquery.json" }
                parts.append(show == .all ? title + "\n" + definition : definition)
            }
            if show != .table, let load = load(of: index) {
                var tableOptions = options
                tableOptions.outputPath = table.files.first ?? output
                let files = LoadCommand.Files(tableOptions).localPattern
                parts.append(show == .all ? "\(mark) load \(files)\n" + load : load)
            }
        }
        return parts.joined(separator: "\n")
    }

    public enum Part: String, Sendable, CaseIterable {
        case all, table, load
    }
}

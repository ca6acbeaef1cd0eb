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
        return ColumnsReport(
            columns: columns,
            names: HeaderNames.make(columns, style: options.headerStyle),
            options: options,
            table: tableName,
            output: output
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

    /// One name per line.
    public var list: String { names.map { $0 + "\n" }.joined() }

    /// The table for the target (nil without one, or for excel).
    public var tableDefinition: String? {
        guard let target = options.target else { return nil }
        return TableDefinition.render(target, table: table, names: names)
    }

    /// The load command for the files `convert` writes with these options.
    public var loadCommand: String? {
        guard let target = options.target else { return nil }
        return LoadCommand.render(target, table: table, options: options)
    }

    /// What `columns` prints: the list, or with a target the table and then the load
    /// command, each under a comment line (`--` for SQL, `#` for the shell).
    public func render(show: Part = .all) -> String {
        guard let target = options.target, target != .excel else {
            return list
        }
        let mark = target == .bigquery ? "#" : "--"
        var parts: [String] = []
        if show != .load, let tableDefinition {
            var title = "\(mark) table \(table): \(names.count) columns, all text (cast after loading)"
            if target == .bigquery { title += "; save the schema with --show table > \(table).schema.json" }
            parts.append(show == .all ? title + "\n" + tableDefinition : tableDefinition)
        }
        if show != .table, let loadCommand {
            let files = LoadCommand.Files(options).localPattern
            parts.append(show == .all ? "\(mark) load \(files)\n" + loadCommand : loadCommand)
        }
        return parts.joined(separator: "\n")
    }

    public enum Part: String, Sendable, CaseIterable {
        case all, table, load
    }
}

import ArgumentParser
import MicsAPI
import MicsExport
import MicsPipelines
import MicsSandbox

extension ColumnsReport.Part: ExpressibleByArgument {}

struct ColumnsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "columns",
        abstract: "Print the columns a conversion writes; with --target, the table to create and the load command.",
        discussion: """
            The columns come from --columns, --query or --query-file, or are inferred from
            export files. Names follow --header-style (or the target's preset), exactly as
            `convert` with the same flags writes them. With export files, each column is typed
            from all its values (SPEC 10) and --tables prints every table; with --columns or a
            query alone there is no data to type from, and every column is text.

            Examples:
              mics-export columns --query-file query.otql --header-style snake
              mics-export columns export.ndjson --target bigquery --show table > users.bigquery.json
              mics-export columns --query-file query.otql --target redshift --output-path users.csv.gz
            """
    )

    @Argument(help: "Export files to infer the columns from (when no columns are given).")
    var inputs: [String] = []
    @OptionGroup var columnSource: ColumnSourceOptions
    @Option(help: "Header names: path (emails.email) or snake (emails_email).")
    var headerStyle: HeaderStyle?
    @Flag(help: "As given to convert: one table per array level (needs export files).")
    var tables = false
    @Option(help: "bigquery, snowflake, redshift, postgres, clickhouse or excel: print the table and the load command.")
    var target: WarehouseTarget?
    @Option(help: "As given to convert: the null text, for the load command (default: the target's).")
    var nullValue: String?
    @Option(help: "As given to convert: the CSV delimiter, for the load command (default ,).")
    var delimiter: String?
    @Option(help: "The table's name (default: from --output-path, else mics_export).")
    var table: String?
    @Option(help: "The output `convert` writes (-o), for the load command (default: TABLE.csv.gz, or .csv).")
    var outputPath: String?
    @Option(help: "With --target: all, table (the definition only) or load (the command only).")
    var show: ColumnsReport.Part = .all

    func run() async throws {
        try await CLI.guarded {
            var settings = ConvertSettings()
            columnSource.apply(to: &settings)
            settings.headerStyle = headerStyle
            settings.tables = tables ? true : nil
            settings.target = target
            settings.output = outputPath
            settings.nullValue = nullValue
            settings.delimiter = delimiter
            let sources = try inputs.map { try FileSource.make(path: $0) }
            let report = try await ColumnsReport.make(settings: settings, inputs: sources, table: table)
            for warning in report.warnings { CLI.printError("mics-export: warning: " + warning) }
            print(report.render(show: show), terminator: "")
        }
    }
}

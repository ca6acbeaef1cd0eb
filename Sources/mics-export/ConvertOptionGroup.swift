import ArgumentParser
import MicsAPI
import MicsExport
import MicsPipelines
import MicsSandbox

extension ArrayMode: ExpressibleByArgument {}
extension OutputFormat: ExpressibleByArgument {}
extension HeaderStyle: ExpressibleByArgument {}
extension OnError: ExpressibleByArgument {}
extension WarehouseTarget: ExpressibleByArgument {}

/// Every convert option, shared by `convert`, `pull` and `run`. Each is optional: nil
/// means "not given", so a pipeline file's value can stand (flags win over the file).
struct ConvertOptionGroup: ParsableArguments {
    @OptionGroup var columnSource: ColumnSourceOptions
    @OptionGroup var database: LoadOptions

    @Option(help: "Values of a path that crosses an array: join, json or first (default join).")
    var arrays: ArrayMode?
    @Option(help: "Separator for --arrays join (default |).")
    var arraySeparator: String?
    @Option(help: "Text for null and missing values in CSV (default: empty, unquoted).")
    var nullValue: String?
    @Option(help: "One row per element of the array at this path (repeatable, nested paths only).")
    var explode: [String] = []
    @Flag(help: "With --explode: drop records whose array is empty or missing.")
    var explodeDropEmpty = false
    @Flag(inversion: .prefixedNo, help: "One table per array level (NAME.csv, NAME__emails.csv…, keys _row and _<level>_idx), and NAME.schema.json. Needs -o.")
    var tables: Bool?

    @Option(help: "Output format: csv, ndjson or raw (default: from the output name, else csv).")
    var to: OutputFormat?
    @Option(name: [.short, .customLong("output")], help: "Output file (default: stdout). .gz compresses.")
    var output: String?
    @Flag(inversion: .prefixedNo, help: "Compress the output with gzip.")
    var gzip: Bool?
    @Option(help: "gzip level 1…9 (default 6).")
    var level: Int?
    @Option(help: "CSV delimiter: one character, or 'tab' (default ,).")
    var delimiter: String?
    @Flag(inversion: .prefixedNo, help: "CSV lines end with CRLF.")
    var crlf: Bool?
    @Flag(inversion: .prefixedNo, help: "Write the CSV header row (default yes).")
    var header: Bool?
    @Flag(inversion: .prefixedNo, help: "Start the CSV with a UTF-8 BOM (for spreadsheets).")
    var bom: Bool?
    @Flag(inversion: .prefixedNo, help: "Prefix ' to string cells starting with = + - @ tab CR.")
    var excelSafe: Bool?
    @Option(help: "Header names: path (emails.email) or snake (emails_email).")
    var headerStyle: HeaderStyle?
    @Option(help: "Start a new part file every N rows.")
    var splitRows: Int?
    @Option(help: "Start a new part file past this size as written (256MB, 1GiB).")
    var splitBytes: String?
    @Flag(inversion: .prefixedNo, help: "With parts: write NAME.manifest.json (Redshift format).")
    var manifest: Bool?
    @Flag(inversion: .prefixedNo, help: "Write NAME.schema.json: each table's files, rows and typed columns (always with --tables).")
    var schema: Bool?
    @Option(help: "Preset for a warehouse: bigquery, snowflake, redshift, postgres, clickhouse or excel (flags win).")
    var target: WarehouseTarget?

    @Option(help: "On a bad line: fail (default) or skip.")
    var onError: OnError?
    @Option(help: "Keep each bad line, with its line number and reason, in this file (ndjson).")
    var rejects: String?
    @Option(help: "With --on-error skip: stop after more than N bad lines.")
    var maxErrors: Int?
    @Option(help: "Longest line accepted, in bytes (default 67108864).")
    var maxLineBytes: Int?
    @Flag(inversion: .prefixedNo, help: "Fail when the data drifts from the columns.")
    var strict: Bool?

    @Flag(name: .shortAndLong, help: "No progress line and no summary.")
    var quiet = false

    var settings: ConvertSettings {
        var s = ConvertSettings()
        columnSource.apply(to: &s)
        s.arrays = arrays
        s.arraySeparator = arraySeparator
        s.nullValue = nullValue
        s.explode = explode.isEmpty ? nil : explode
        s.explodeDropEmpty = explodeDropEmpty ? true : nil
        s.tables = tables
        s.format = to
        s.output = output
        s.gzip = gzip
        s.level = level
        s.delimiter = delimiter
        s.crlf = crlf
        s.header = header
        s.bom = bom
        s.excelSafe = excelSafe
        s.headerStyle = headerStyle
        s.splitRows = splitRows
        s.splitBytes = splitBytes
        s.manifest = manifest
        s.schema = schema
        s.target = target
        s.onError = onError
        s.rejects = rejects
        s.maxErrors = maxErrors
        s.maxLineBytes = maxLineBytes
        s.strict = strict
        return s
    }
}

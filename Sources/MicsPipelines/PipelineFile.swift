import MicsExport
import MicsAPI
import Yams

/// A pipeline file as written (habit 10: swift-openapi-generator's `UserConfig`): every
/// field optional, nothing defaulted. `decode` reads it, `problems` checks it, and
/// `resolved(overriddenBy:)` applies defaults and command-line flags in one place.
///
/// ```yaml
/// name: segment-emails
/// source: { export: 9879, organisation: 1426, execution: latest }
/// projection: { query-from-export: true, arrays: join }
/// sink: { format: csv, gzip: true, path: "out/segment-emails-${date}.csv.gz", split-bytes: 256MB, manifest: true }
/// on-error: skip
/// ```
///
/// or, into PostgreSQL: `sink: { load: "${MICS_DATABASE_URL}", table: analytics.emails, if-exists: replace }`.
///
/// The projection, sink and error parts map one to one onto `ConvertSettings`, the same
/// struct the command-line flags fill, so "a flag wins over the file" is one
/// `overridden(by:)`. Relative paths are taken from the current directory, like the flags.
public struct PipelineFile: Sendable {
    /// Where the file was read from, for messages.
    public var path: String
    public var name: String?

    // source:
    public var file: String?
    public var files: [String]?
    public var stdin: Bool?
    public var export: String?
    public var organisation: String?
    public var execution: String?
    public var sandbox: Bool?
    /// source.max-erroneous-tasks: `N` or `N%`, refuse an execution with more.
    public var maxErroneousTasks: ErroneousTasksLimit?

    /// projection, sink and the error keys.
    public var settings = ConvertSettings()
    /// projection.query-from-export: take the columns from the export's own OTQL query.
    public var queryFromExport: Bool?
    /// sink.load, sink.table, sink.if-exists: into PostgreSQL instead of a file.
    public var database = PipelineDatabase()

    /// Where each key was written: `source.file`, `projection.explode.2`, `sink`… (values'
    /// positions, or the key's own for a mapping), for the checks after decoding.
    package var marks: [String: PipelinePosition] = [:]
    /// How to move a position inside `projection.query` into the file.
    package var queryPlacement: PipelineQueryPlacement?

    public init(path: String) {
        self.path = path
    }

    /// The keys each section accepts, in the order the docs list them.
    package static let keys: [String: [String]] = [
        "": ["name", "source", "projection", "sink", "on-error", "rejects", "max-errors", "max-line-bytes", "strict"],
        "source": ["file", "files", "stdin", "export", "organisation", "execution", "sandbox", "max-erroneous-tasks"],
        "projection": [
            "columns", "query", "query-file", "query-from-export", "arrays", "array-separator", "explode",
            "explode-drop-empty", "null-value", "infer-rows", "tables",
        ],
        "sink": [
            "format", "path", "gzip", "level", "delimiter", "header-style", "target", "split-rows", "split-bytes",
            "manifest", "bom", "excel-safe", "crlf", "header", "schema", "load", "table", "if-exists",
        ],
    ]

    /// The source kinds: exactly one of these keys must be in `source`.
    package static let sourceKinds = ["file", "files", "stdin", "export", "sandbox"]

    /// The name `run` labels this pipeline with: `name`, else the file name without extension.
    public var label: String {
        if let name, !name.isEmpty { return name }
        var base = path.split(separator: "/").last.map(String.init) ?? path
        for suffix in [".yaml", ".yml"] where base.hasSuffix(suffix) { base.removeLast(suffix.count) }
        return base
    }
}

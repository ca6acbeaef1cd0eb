import MicsExport
import MicsAPI
/// Where a resolved pipeline reads its records from: exactly one kind, checked by
/// `PipelineFile.problems()`.
public enum PipelineSource: Sendable, Equatable {
    /// `file:` or `files:` (a pattern with `*`, `?` or `[` is expanded when the pipeline runs).
    case files([String])
    case stdin
    /// An export of the platform: its latest, a new, or a given execution.
    case export(id: String, organisation: String, execution: String)
    /// The built-in sandbox, started in-process on a free loopback port: no account, no
    /// network. `export` nil takes the sandbox's first export.
    case sandbox(export: String?, execution: String)

    /// Through the Query Exports API (so the export's query can give the columns).
    public var isExport: Bool {
        switch self {
        case .export, .sandbox: return true
        case .files, .stdin: return false
        }
    }
}

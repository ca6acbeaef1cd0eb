import MicsExport
import MicsPostgres

/// `sink: { load: URL, table: [SCHEMA.]NAME, if-exists: fail|replace|append }`: the rows go
/// into PostgreSQL instead of a file (SPEC.md §11), as `--load`, `--table` and `--if-exists` do
/// on the command line (the same flags on `run` win over the file, key by key).
///
/// ```yaml
/// sink:
///   load: ${MICS_DATABASE_URL}     # or leave it out: MICS_DATABASE_URL, then PGHOST PGPORT PGUSER…
///   table: analytics.userpoints
///   if-exists: replace
/// ```
///
/// Kept as written; `PostgresLoadRequest.resolve` turns it into settings when the pipeline is
/// resolved. The URL may hold a password: no message shows it.
public struct PipelineDatabase: Sendable, Equatable {
    public var url: String?
    public var table: String?
    /// `fail`, `replace` or `append` (checked when read).
    public var ifExists: String?

    public init(url: String? = nil, table: String? = nil, ifExists: String? = nil) {
        self.url = url
        self.table = table
        self.ifExists = ifExists
    }

    /// Any of the three given: the pipeline loads. A table alone takes the database from the
    /// environment, as `--table` alone does.
    public var isGiven: Bool { url != nil || table != nil || ifExists != nil }

    /// Each value given in `flags` replaces the file's.
    public func overridden(by flags: PipelineDatabase) -> PipelineDatabase {
        PipelineDatabase(url: flags.url ?? url, table: flags.table ?? table, ifExists: flags.ifExists ?? ifExists)
    }
}

extension PipelineFile {
    /// The checks of a load that need no server and no environment: a table to load into, a
    /// URL of the right shape, a valid table name, and no key that only shapes a file (the
    /// command line's list, `PostgresOutput.fileOnlySettings`). Messages never repeat the URL.
    func checkLoad(_ report: (String, String) -> Void) {
        guard database.isGiven else { return }
        let anchor = ["sink.load", "sink.table", "sink.if-exists"].first { marks[$0] != nil } ?? "sink"
        if let table = database.table {
            do { _ = try PostgresTableName(parsing: table) } catch {
                report("sink.table", "'table': \(Self.text(of: error))")
            }
        } else {
            report(anchor, "'load' needs 'table': the table to load into, [SCHEMA.]NAME")
        }
        if let url = database.url {
            do { try PostgresSettings.checkURL(url) } catch {
                report("sink.load", "'load': \(Self.text(of: error))")
            }
        }
        for setting in PostgresOutput.fileOnlySettings(settings) {
            let key = String(setting.key.split(separator: ".").last ?? "")
            report(
                setting.key,
                "'\(key)' shapes a file, and this pipeline loads into PostgreSQL ('\(anchor.dropFirst(5))'): "
                    + "drop '\(key)', or drop load and table to write a file")
        }
    }

    /// The settings the final check resolves: a load's, as `PostgresOutput.prepare` makes them.
    var settingsAsRun: ConvertSettings {
        var settings = self.settings
        if database.isGiven { try? PostgresOutput.prepare(&settings) }
        return settings
    }
}

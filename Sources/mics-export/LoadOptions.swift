import ArgumentParser
import Foundation
import MicsExport
import MicsPostgres

/// `--load URL --table [SCHEMA.]NAME --if-exists fail|replace|append` (SPEC.md §11): the rows go
/// straight into PostgreSQL, in one transaction, instead of into a file.
struct LoadOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Load into PostgreSQL instead of writing a file: postgres://USER[:PASSWORD]@HOST[:PORT]/DB[?sslmode=MODE].",
            discussion: "Or env MICS_DATABASE_URL; PGHOST PGPORT PGUSER PGPASSWORD PGDATABASE fill what it leaves out."))
    var load: String?
    @Option(help: "With --load: the table, [SCHEMA.]NAME (with --tables the root; children NAME__PATH).")
    var table: String?
    @Option(help: "With --load, when the table exists: fail (default), replace or append.")
    var ifExists: String?

    /// The database output when loading (a flag given, or only `--table` with MICS_DATABASE_URL);
    /// `settings` are set for it. nil: write files as usual.
    func output(adjusting settings: inout ConvertSettings) throws -> PostgresOutput? {
        guard load != nil || table != nil || ifExists != nil else { return nil }
        let request = try PostgresLoadRequest.resolve(
            url: load, table: table, ifExists: ifExists, environment: ProcessInfo.processInfo.environment)
        try PostgresOutput.prepare(&settings)
        return PostgresOutput(request: request)
    }
}

extension CLI {
    /// `convert` / `pull` with `--load`: the same pipeline, the database as its output; the
    /// summary ends with the rows loaded per table.
    static func load(
        into database: PostgresOutput, _ sources: [InputSource], _ options: ConvertOptions, quiet: Bool,
        label: String? = nil, source: SourceLineage? = nil
    ) async throws {
        SignalCleanup.loading = true
        let display = ProgressDisplay(quiet: quiet, label: label)
        var summary = try await database.run(inputs: sources, options: options, progress: display.report)
        summary.source = source
        display.end()
        if !quiet { printError(summary.report(label: label)) }
    }
}

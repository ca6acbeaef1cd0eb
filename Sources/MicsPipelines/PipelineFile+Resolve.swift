import MicsExport
import MicsAPI
import MicsPostgres
import Foundation
extension PipelineFile {
    /// The pipeline to run: checked, then the flags laid over the file (a flag wins).
    ///
    /// Precedence, highest first: command-line flag › pipeline file › default (the defaults
    /// are applied later, in `ConvertSettings.resolve()`, the one place they live).
    /// Columns come from one place as a whole: a `--columns`, `--query` or `--query-file`
    /// flag replaces the file's columns, query and query-from-export together. An export or
    /// sandbox source given no columns takes them from the export's query, as `pull` does
    /// (`query-from-export: false` infers them from the data instead).
    /// A load (`sink.load`/`table`/`if-exists`, or `--load`/`--table`/`--if-exists`, each flag
    /// winning over its key) takes the database from `environment` when the URL leaves gaps.
    /// - Throws: `ExportError(.badInput)` listing every mistake of the file; `.usage` for a load
    ///   that cannot be (no database named, a flag that shapes a file).
    public func resolved(
        overriddenBy flags: ConvertSettings = ConvertSettings(), maxErroneousTasks flag: ErroneousTasksLimit? = nil,
        database databaseFlags: PipelineDatabase = PipelineDatabase(),
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> Pipeline {
        let mistakes = problems()
        guard mistakes.isEmpty else { throw PipelineDiagnostic.error(mistakes) }
        var merged = settings.overridden(by: flags)
        let database = self.database.overridden(by: databaseFlags)
        var load: PostgresLoadRequest?
        if database.isGiven {
            guard PostgresLoadRequest.namesADatabase(url: database.url, environment: environment) else {
                throw ExportError(
                    .usage, "no database to load \(database.table ?? "the table") into", at: path,
                    hint: "set MICS_DATABASE_URL (or PGHOST, PGDATABASE), or give sink.load or --load")
            }
            load = try PostgresLoadRequest.resolve(
                url: database.url, table: database.table, ifExists: database.ifExists, environment: environment)
            try PostgresOutput.prepare(&merged)
        }
        let columnsGiven = merged.columns != nil || merged.query != nil || merged.queryFile != nil
        let source = resolvedSource
        var pipeline = Pipeline(
            name: label, path: path, source: source, settings: merged,
            columnsFromExport: source.isExport && queryFromExport != false && !columnsGiven)
        pipeline.load = load
        pipeline.maxErroneousTasks = flag ?? maxErroneousTasks
        if flag != nil { pipeline.limitGivenAs = "--max-erroneous-tasks" }
        return pipeline
    }

    /// The one source `problems()` has let through.
    package var resolvedSource: PipelineSource {
        let execution = self.execution ?? "latest"
        if sandbox == true { return .sandbox(export: export, execution: execution) }
        if let export { return .export(id: export, organisation: organisation ?? "", execution: execution) }
        if stdin == true { return .stdin }
        return .files(files ?? file.map { [$0] } ?? [])
    }
}

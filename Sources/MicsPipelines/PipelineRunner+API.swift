import MicsExport
import MicsAPI
import Foundation

/// Export and sandbox sources: the same path as `pull` (find and wait for the execution,
/// take the columns from the export's OTQL query, stream every result file through the
/// converter with no temporary copy), over real HTTP, to the platform or to a sandbox
/// started in-process on a free loopback port.
extension PipelineRunner {
    /// Makes the client for `export` sources (the CLI's --api-url/--token/MICS_API_TOKEN).
    public typealias ClientFactory = @Sendable () throws -> APIClient

    package static func runFromAPI(
        _ pipeline: Pipeline, makeClient: ClientFactory?, sandbox launcher: SandboxLauncher?,
        progress: ConvertRunner.Progress?,
        note: @Sendable (String) -> Void
    ) async throws -> ConvertSummary {
        switch pipeline.source {
        case .export(let id, let organisation, let execution):
            guard let makeClient else {
                throw ExportError(.usage, "no API client for export \(id)", at: pipeline.path)
            }
            let client = try makeClient()
            return try await finally(client) {
                try await pull(
                    pipeline, client: client, export: id, organisation: organisation,
                    execution: execution, progress: progress, note: note)
            }
        case .sandbox(let id, let execution):
            guard let launcher else {
                throw ExportError(.usage, "this program cannot start the sandbox", at: pipeline.path)
            }
            let sandbox = try await launcher.start()
            note("sandbox listening on \(sandbox.url) (in-process, no account, no network)")
            do {
                let client = try APIClient(baseURL: sandbox.url, token: sandbox.token)
                guard let exportID = id ?? sandbox.firstExportID else {
                    throw ExportError(.usage, "the sandbox has no export", hint: "name one with source.export")
                }
                let summary = try await finally(client) {
                    try await pull(
                        pipeline, client: client, export: exportID, organisation: sandbox.organisationID,
                        execution: execution, progress: progress, note: note)
                }
                await sandbox.stop()
                return summary
            } catch {
                await sandbox.stop()
                throw error
            }
        case .files, .stdin:
            preconditionFailure("not an API source")
        }
    }

    package static func pull(
        _ pipeline: Pipeline, client: APIClient, export id: String, organisation: String, execution: String,
        progress: ConvertRunner.Progress?, note: @Sendable (String) -> Void
    ) async throws -> ConvertSummary {
        let export = try await client.export(id: id, organisationID: organisation)
        // A long wait says what it waits for, once per status (a scheduler's log stays short).
        let seen = StatusChanges()
        let selection = ExecutionWaiter.Selection(execution)
        let done = try await ExecutionWaiter(client: client).wait(export: export, selection: selection) {
            guard !$0.status.isFinished, seen.changed(to: $0.status) else { return }
            let tasks = $0.numTasks.map { " (\($0) tasks)" } ?? ""
            note("export \(export.id), execution \($0.execution.id) \($0.status)\(tasks): waiting")
        }
        note("export \(export.id), execution \(done.id) \(done.status): \(done.outputFiles.count) file(s)")
        var settings = pipeline.settings
        let prepared = try await PullPreparation.prepare(
            export: export, execution: done, selection: selection, client: client,
            limit: pipeline.maxErroneousTasks, limitOption: pipeline.limitGivenAs,
            columnsFromExport: pipeline.columnsFromExport && settings.format != .raw,
            queryForLineage: settings.schema == true || settings.tables == true)
        if let warning = prepared.warning { note("warning: \(warning)") }
        switch prepared.columns {
        case .columns(_, let text): settings.query = text
        case .infer(let reason): note("warning: \(reason)")
        case nil: break
        }
        let options = try settings.resolve()
        let sources = try await client.resultSources(export: export, execution: done)
        var summary = try await convert(
            pipeline, sources, options, progress, schemaSource: prepared.lineage.jsonText())
        summary.source = prepared.lineage
        return summary
    }

    /// Remembers the last status seen, across the waiter's progress calls.
    // @unchecked: `last` is read and written under `lock` only.
    package final class StatusChanges: @unchecked Sendable {
        private let lock = NSLock()
        private var last: ExecutionStatus?

        package func changed(to status: ExecutionStatus) -> Bool {
            lock.withLock {
                defer { last = status }
                return last != status
            }
        }
    }

    /// `body`, then the client shut down whether it threw or not.
    package static func finally<T>(_ client: APIClient, _ body: () async throws -> T) async throws -> T {
        do {
            let value = try await body()
            try? await client.shutdown()
            return value
        } catch {
            try? await client.shutdown()
            throw error
        }
    }
}

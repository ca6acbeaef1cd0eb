import MicsVocabulary
import MicsAPI
/// How the sandbox's records look on the wire (the shapes of the reference's examples).
extension SandboxState {
    package enum Phase {
        case pending
        /// How far it is, 0…1.
        case running(fraction: Double)
        case succeeded, failed
    }

    package func phase(of execution: StoredExecution, now: ContinuousClock.Instant = .now) -> Phase {
        let fails = export(execution.exportID)?.errorText != nil
        let age = now - execution.born
        if !execution.finishedAtBirth {
            // `reportsEveryPhase`: one phase past the last one reported, at most.
            let next = options.reportsEveryPhase ? (reportedPhase[execution.id] ?? -1) + 1 : 2
            if age < options.pendingFor || next == 0 { return .pending }
            if age < options.pendingFor + options.runFor || next == 1 {
                let fraction = min(1, (age - options.pendingFor) / options.runFor)
                return .running(fraction: fraction)
            }
        }
        return fails ? .failed : .succeeded
    }

    /// Remembers what a poll was told (`reportsEveryPhase`).
    private func reported(_ phase: Phase, of execution: StoredExecution) {
        guard options.reportsEveryPhase else { return }
        let rank: Int
        switch phase {
        case .pending: rank = 0
        case .running: rank = 1
        case .succeeded, .failed: rank = 2
        }
        reportedPhase[execution.id] = max(reportedPhase[execution.id] ?? -1, rank)
    }

    package func json(_ execution: StoredExecution) -> SandboxJSON {
        let stored = export(execution.exportID)
        let phase = phase(of: execution)
        reported(phase, of: execution)
        let status: String
        var result = SandboxJSON.null
        var error = SandboxJSON.null
        var completed: Int64? = nil
        var numTasks: Int64? = nil
        var erroneous: Int64? = nil
        let tasks = stored?.tasks ?? SandboxSeed.Tasks(num: options.numTasks, completed: options.numTasks, erroneous: 0)
        var start: Int64? = nil
        var end: Int64? = nil
        let pending = Int64(options.pendingFor.components.seconds * 1000)
        let run = Int64(options.runFor.components.seconds * 1000)
        switch phase {
        case .pending:
            status = "PENDING"
        case .running(let fraction):
            status = "RUNNING"
            completed = Int64(Double(tasks.completed) * fraction)
            erroneous = Int64(Double(tasks.erroneous) * fraction)
            (numTasks, start) = (tasks.num, execution.creationDate + pending)
        case .succeeded, .failed:
            let failed: Bool
            if case .failed = phase { failed = true } else { failed = false }
            status = failed ? "FAILED" : "SUCCEEDED"
            (completed, numTasks, erroneous) = (tasks.completed, tasks.num, tasks.erroneous)
            start = execution.creationDate + pending
            end = execution.creationDate + pending + run
            if failed {
                error = .object([("message", .string("the export failed: see its error file"))])
            } else {
                let names = (stored?.files ?? []).map { SandboxJSON.string($0.name) }
                result = .object([("output_files", .array(names))])
            }
        }
        return .object([
            ("parameters", .object([])), ("organisation_id", .string(execution.organisationID)),
            ("user_id", .string("2886")), ("result", result), ("error", error), ("id", .string(execution.id)),
            ("status", .string(status)), ("creation_date", .int(execution.creationDate)), ("start_date", .int(start)),
            ("duration", .int(end.flatMap { e in start.map { e - $0 } })), ("cancel_status", .null), ("debug", .null),
            ("is_retryable", .bool(false)), ("permalink_uri", .string("")), ("num_tasks", .int(numTasks)),
            ("completed_tasks", .int(completed)), ("erroneous_tasks", .int(erroneous)),
            ("retry_count", .int(0)), ("job_type", .string("DATAMART_QUERY_EXPORT")), ("end_date", .int(end)),
        ])
    }

    package nonisolated static func json(_ export: Export) -> SandboxJSON {
        .object([
            ("type", .string(export.type ?? "QUERY")), ("id", .string(export.id)),
            ("organisation_id", .string(export.organisationID)), ("name", .string(export.name)),
            ("query_id", .string(export.queryID)), ("datamart_id", .string(export.datamartID)),
            ("output_format", .string(export.outputFormat ?? "JSON")),
        ])
    }

    package nonisolated static func json(_ query: QueryInfo) -> SandboxJSON {
        .object([
            ("id", .string(query.id)), ("datamart_id", .string(query.datamartID)),
            ("query_language", .string(query.queryLanguage)), ("query_text", .string(query.queryText)),
        ])
    }

    /// The bytes of file `name` of a finished, successful execution.
    package func file(executionID: String, name: String) -> SandboxFile? {
        guard let execution = execution(executionID), case .succeeded = phase(of: execution) else { return nil }
        return export(execution.exportID)?.files.first { $0.name == name }?.file
    }

    /// The error file of a failed execution.
    package func errorFile(executionID: String) -> SandboxFile? {
        guard let execution = execution(executionID), case .failed = phase(of: execution) else { return nil }
        return export(execution.exportID)?.errorText.map { .bytes(Array($0.utf8)) }
    }
}

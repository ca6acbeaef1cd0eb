import MicsVocabulary
import MicsProject
import MicsExport
import Foundation

/// Finds the execution to pull and waits until it has finished.
///
/// Picks the newest execution (`latest`: the first item of the list, as the web front end
/// does, unless creation dates say otherwise), starts one (`new`), or takes an id; then
/// polls the executions list with a growing interval (`initialPoll` ×1.5 up to `maxPoll`)
/// until the status is final or `timeout` passes, reporting progress on the way.
public struct ExecutionWaiter: Sendable {
    public enum Selection: Sendable, Hashable, CustomStringConvertible {
        case latest, new
        case id(String)

        /// `latest`, `new`, or an execution id.
        public init(_ text: String) {
            switch text.lowercased() {
            case "latest": self = .latest
            case "new": self = .new
            default: self = .id(text)
            }
        }

        public var description: String {
            switch self {
            case .latest: return "latest"
            case .new: return "new"
            case .id(let id): return id
            }
        }
    }

    /// What the progress display shows while waiting.
    public struct Progress: Sendable {
        public var execution: Execution
        public var elapsed: Duration
        public var status: ExecutionStatus { execution.status }
        public var completedTasks: Int64? { execution.completedTasks }
        public var numTasks: Int64? { execution.numTasks }
    }

    public var client: APIClient
    public var initialPoll: Duration = .seconds(1)
    public var maxPoll: Duration = .seconds(10)
    /// nil waits forever.
    public var timeout: Duration? = nil
    /// Polls in a row that may fail (after the client's own retries) before giving up.
    public var maxFailedPolls = 3

    public init(
        client: APIClient,
        initialPoll: Duration = .seconds(1),
        maxPoll: Duration = .seconds(10),
        timeout: Duration? = nil
    ) {
        self.client = client
        self.initialPoll = initialPoll
        self.maxPoll = maxPoll
        self.timeout = timeout
    }

    /// The selected execution once it has succeeded.
    /// - Throws: `.executionFailed` with the error file's text when it ended without a
    ///   result; `.unavailable` on timeout or API failure; `.usage` when there is none to pick.
    public func wait(
        export: Export,
        selection: Selection,
        onProgress: @Sendable (Progress) -> Void = { _ in }
    ) async throws -> Execution {
        let clock = ContinuousClock()
        let start = clock.now
        var execution = try await select(export: export, selection)
        var interval = initialPoll
        var failedPolls = 0
        while true {
            onProgress(Progress(execution: execution, elapsed: clock.now - start))
            if execution.status.hasResult { return execution }
            if execution.status.isFinished { throw try await failure(export: export, execution) }
            let elapsed = clock.now - start
            if let timeout, elapsed >= timeout {
                throw ExportError(
                    .unavailable,
                    "execution \(execution.id) still \(execution.status) after \(Self.format(elapsed))",
                    at: "export \(export.id)",
                    hint: "raise --timeout, or pull it later with --execution \(execution.id)"
                )
            }
            let wait = timeout.map { min(interval, $0 - elapsed) } ?? interval
            try await Task.sleep(for: wait)
            interval = min(interval * 1.5, maxPoll)
            do {
                execution = try await find(export: export, executionID: execution.id)
                failedPolls = 0
            } catch let error as ExportError where error.kind == .unavailable && failedPolls < maxFailedPolls {
                // A wait can last hours: one outage (already retried by the client) is not the end.
                failedPolls += 1
            }
        }
    }

    package func select(export: Export, _ selection: Selection) async throws -> Execution {
        switch selection {
        case .new:
            return try await client.startExecution(exportID: export.id)
        case .id(let id):
            return try await find(export: export, executionID: id)
        case .latest:
            let recent = try await client.recentExecutions(exportID: export.id)
            guard let newest = Self.newest(recent) else {
                throw ExportError(
                    .usage,
                    "export \(export.id) has no execution yet",
                    hint: "start one with --execution new"
                )
            }
            return newest
        }
    }

    /// The first item, unless every item has a creation date: then the most recent.
    package static func newest(_ executions: [Execution]) -> Execution? {
        let dates = executions.compactMap(\.creationDate)
        guard dates.count == executions.count, dates.count > 1 else { return executions.first }
        return executions.max { ($0.creationDate ?? 0) < ($1.creationDate ?? 0) }
    }

    /// There is no "get one execution" endpoint: look in the recent page, then in all pages.
    package func find(export: Export, executionID: String) async throws -> Execution {
        if let hit = try await client.recentExecutions(exportID: export.id).first(where: { $0.id == executionID }) {
            return hit
        }
        if let hit = try await client.listExecutions(exportID: export.id).first(where: { $0.id == executionID }) {
            return hit
        }
        throw ExportError(
            .unavailable,
            "no execution \(executionID) in export \(export.id)",
            at: "GET /v1/exports/\(export.id)/executions",
            hint: "list them with: mics-export executions list \(export.id)"
        )
    }

    /// `execution 7897897 FAILED: <error file text>` — the error file, else the `error` field.
    package func failure(export: Export, _ execution: Execution) async throws -> ExportError {
        var text = execution.error?.text ?? ""
        if let org = execution.organisationID ?? export.organisationID,
            let file = try? await client.errorFileText(organisationID: org, executionID: execution.id),
            !file.isEmpty
        {
            text = file
        }
        text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty { text = "no error text was given" }
        return ExportError(
            .executionFailed,
            "execution \(execution.id) \(execution.status): \(text)",
            at: "export \(export.id)",
            hint: "fix the export's query or start a new execution with --execution new"
        )
    }

    /// `42s`, `3m07s`.
    public static func format(_ d: Duration) -> String {
        let s = d.components.seconds
        return s >= 60 ? "\(s / 60)m\(String(s % 60).leftPadded(to: 2))s" : "\(s)s"
    }
}

import Foundation
import Synchronization
import Testing

@testable import MicsAPI
@testable import MicsDecode
@testable import MicsExport
@testable import MicsPipelines
@testable import MicsProject
@testable import MicsSandbox
@testable import MicsSink
@testable import MicsVocabulary

@Suite("Waiting for an execution")
struct ExecutionWaiterTests {
    func waiter(_ client: APIClient, timeout: Duration? = nil) -> ExecutionWaiter {
        ExecutionWaiter(client: client, initialPoll: .milliseconds(20), maxPoll: .milliseconds(80), timeout: timeout)
    }

    @Test func latestIsTheSeededFinishedExecution() async throws {
        try await withSandbox { _, client in
            let export = try await client.export(id: "9879", organisationID: nil)
            let execution = try await waiter(client).wait(export: export, selection: .latest)
            #expect(execution.status == .succeeded)
            #expect(execution.outputFiles == ["export"])
        }
    }

    @Test func newStartsOneAndReportsProgressUntilItSucceeds() async throws {
        // Every phase reported at least once, however late the polls come (a busy machine).
        try await withSandbox(options: SandboxOptions(pendingFor: .milliseconds(100), runFor: .seconds(4),
                                                      reportsEveryPhase: true)) {
            _,
            client in
            let export = try await client.export(id: "9872", organisationID: nil)
            let seen = Mutex<[Progress]>([])
            let execution = try await waiter(client).wait(export: export, selection: .new) { progress in
                seen.withLock { $0.append(Progress(status: progress.status, done: progress.completedTasks)) }
            }
            #expect(execution.status == .succeeded)
            let statuses = seen.withLock { $0.map(\.status) }
            #expect(statuses.first == .pending)
            #expect(statuses.contains(.running))
            #expect(statuses.last == .succeeded)
            // Progress goes forward.
            let done = seen.withLock { $0.compactMap(\.done) }
            #expect(done == done.sorted())
            // The newest is now the one just started.
            let latest = try await waiter(client).wait(export: export, selection: .latest)
            #expect(latest.id == execution.id)
        }
    }

    @Test func anExecutionIdIsFoundAndWaitedFor() async throws {
        try await withSandbox { _, client in
            let export = try await client.export(id: "9879", organisationID: nil)
            let started = try await client.startExecution(exportID: "9879")
            let execution = try await waiter(client).wait(export: export, selection: .id(started.id))
            #expect(execution.id == started.id)
            #expect(execution.status == .succeeded)
        }
    }

    @Test func aFailedExecutionThrowsWithTheErrorFileText() async throws {
        try await withSandbox { _, client in
            let export = try await client.export(id: "9891", organisationID: nil)
            for selection in [ExecutionWaiter.Selection.latest, .new] {
                let error = await #expect(throws: ExportError.self) {
                    try await waiter(client).wait(export: export, selection: selection)
                }
                #expect(error?.kind == .executionFailed)
                #expect(error?.kind.exitCode == 70)
                #expect(error?.message.contains("FAILED: Query execution failed: OTQL error at line 1") == true)
            }
        }
    }

    @Test func aTimeoutIsUnavailableAndNamesTheExecution() async throws {
        let slow = SandboxOptions(pendingFor: .seconds(30), runFor: .seconds(30))
        try await withSandbox(options: slow) { _, client in
            let export = try await client.export(id: "9879", organisationID: nil)
            let error = await #expect(throws: ExportError.self) {
                try await waiter(client, timeout: .milliseconds(150)).wait(export: export, selection: .new)
            }
            #expect(error?.kind == .unavailable)
            #expect(error?.message.contains("still PENDING") == true)
        }
    }

    @Test func anUnknownExecutionIdIsUnavailable() async throws {
        try await withSandbox { _, client in
            let export = try await client.export(id: "9879", organisationID: nil)
            let error = await #expect(throws: ExportError.self) {
                try await waiter(client).wait(export: export, selection: .id("31337"))
            }
            #expect(error?.kind == .unavailable)
        }
    }

    @Test func anExportWithoutExecutionsAsksForNew() async throws {
        try await withSandbox { _, client in
            let export = try await client.export(id: "5000", organisationID: nil)
            let error = await #expect(throws: ExportError.self) {
                try await waiter(client).wait(export: export, selection: .latest)
            }
            #expect(error?.hint?.contains("--execution new") == true)
        }
    }

    @Test func newestPrefersCreationDatesOverListOrder() {
        let a = Execution(id: "1", status: .succeeded, creationDate: 100)
        let b = Execution(id: "2", status: .succeeded, creationDate: 300)
        let c = Execution(id: "3", status: .succeeded, creationDate: nil)
        #expect(ExecutionWaiter.newest([a, b])?.id == "2")
        #expect(ExecutionWaiter.newest([a, c, b])?.id == "1")  // a missing date: trust the order
        #expect(ExecutionWaiter.newest([]) == nil)
    }

    @Test func columnsComeFromTheExportsOTQLQuery() async throws {
        try await withSandbox { _, client in
            let userPoints = try await client.export(id: "9872", organisationID: nil)
            guard case .columns(let columns, _) = try await ExportColumns.resolve(export: userPoints, client: client)
            else {
                Issue.record("expected columns")
                return
            }
            #expect(
                columns.map(\.name) == [
                    "id", "emails.email", "profiles.gender", "profiles.age", "activities.ts", "activities.events.name",
                ]
            )
            let sql = try await client.export(id: "9892", organisationID: nil)
            guard case .infer(let reason) = try await ExportColumns.resolve(export: sql, client: client) else {
                Issue.record("expected inference")
                return
            }
            #expect(reason.contains("not OTQL"))
        }
    }

    struct Progress: Sendable {
        var status: ExecutionStatus
        var done: Int64?
    }
}

@Suite("Execution statuses")
struct ExecutionStatusTests {
    @Test(arguments: [
        ("PENDING", false, false), ("RUNNING", false, false), ("WAITING_DEPENDENT_JOB", false, false),
        ("SCHEDULED", false, false), ("SUCCEEDED", true, true), ("FAILED", true, false),
        ("EXECUTOR_NOT_RESPONDING", true, false), ("LOST", true, false), ("CANCELED", true, false),
        ("SOMETHING_NEW", false, false),
    ])
    func finishedAndResult(raw: String, finished: Bool, result: Bool) throws {
        let json = #"{"id":"1","status":"\#(raw)","error":{"message":"boom"},"num_tasks":null}"#
        let execution = try JSONDecoder().decode(Execution.self, from: Data(json.utf8))
        #expect(execution.status.rawValue == raw)
        #expect(execution.status.isFinished == finished)
        #expect(execution.status.hasResult == result)
        #expect(execution.error?.text == "boom")
        #expect(execution.numTasks == nil)
    }

    @Test func errorMayBeAPlainStringAndIdsMayBeNumbers() throws {
        let json = #"{"id":879879879,"status":"FAILED","error":"plain text","organisation_id":1426}"#
        let execution = try JSONDecoder().decode(Execution.self, from: Data(json.utf8))
        #expect(execution.id == "879879879")
        #expect(execution.organisationID == "1426")
        #expect(execution.error?.text == "plain text")
    }

    @Test func envelopesDecodeLooselyMissingTotalAndMaxResultSpelling() throws {
        let json = #"{"status":"ok","data":[],"count":"0","max_result":25}"#
        let envelope = try JSONDecoder().decode(APIEnvelope<[Export]>.self, from: Data(json.utf8))
        #expect(envelope.total == nil)
        #expect(envelope.count == 0)
        #expect(envelope.maxResults == 25)
    }
}

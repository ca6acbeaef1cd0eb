import Foundation
import Testing

@testable import MicsAPI
@testable import MicsDecode
@testable import MicsExport
@testable import MicsPipelines
@testable import MicsProject
@testable import MicsSandbox
@testable import MicsSink
@testable import MicsVocabulary

@Suite("API client against the sandbox")
struct APIClientTests {
    @Test func listsEveryExportAcrossPages() async throws {
        try await withSandbox { sandbox, client in
            let all = try await client.listExports(organisationID: sandbox.organisationID, pageSize: 7)
            // 5 seeded + 60 fillers: well beyond one page of 7 (and the default 50).
            #expect(all.count == 66)
            #expect(Set(all.map(\.id)).count == 66)
            #expect(all.first?.id == "9879")
            let requests = await sandbox.requestCount
            #expect(requests == 10)  // ceil(66 / 7)
            let byDefault = try await client.listExports(organisationID: sandbox.organisationID)
            #expect(byDefault.count == 66)
        }
    }

    @Test func showsAnExportWithStringIds() async throws {
        try await withSandbox { sandbox, client in
            let export = try await client.export(id: "9879", organisationID: sandbox.organisationID)
            #expect(export.queryID == "65987")
            #expect(export.datamartID == "1509")
            #expect(export.outputFormat == "JSON")
        }
    }

    @Test func createsAQueryThenAnExport() async throws {
        try await withSandbox { sandbox, client in
            let query = try await client.createQuery(datamartID: "1509", text: "SELECT { id } FROM UserPoint")
            #expect(query.queryLanguage == "OTQL")
            let export = try await client.createExport(
                organisationID: sandbox.organisationID,
                name: "mine",
                queryID: query.id
            )
            #expect(export.queryID == query.id)
            let fetched = try await client.query(datamartID: "1509", queryID: query.id)
            #expect(fetched.queryText == "SELECT { id } FROM UserPoint")
        }
    }

    @Test func startsAnExecutionThatRunsToSuccess() async throws {
        // Every phase is reported at least once: a poll seconds late (a busy CI machine) once
        // went from PENDING straight to SUCCEEDED here.
        let paced = SandboxOptions(pendingFor: .milliseconds(300), runFor: .seconds(6), reportsEveryPhase: true)
        try await withSandbox(options: paced) { _, client in
            let started = try await client.startExecution(exportID: "9879")
            #expect(started.status == .pending)
            let listed = try await client.listExecutions(exportID: "9879")
            #expect(listed.first?.id == started.id)  // newest first
            #expect(listed.count == 2)
            // Poll as a user would: RUNNING, then SUCCEEDED (PENDING may be over before the
            // first poll: `listExecutions` above reported it).
            var seen: [ExecutionStatus] = []
            var last: Execution?
            for _ in 0..<600 {  // up to ≈ 12 s of polls: the run lasts 6 s
                last = try await client.recentExecutions(exportID: "9879").first
                if let status = last?.status, seen.last != status { seen.append(status) }
                if last?.status.isFinished == true { break }
                if last?.status == .running { #expect(last?.numTasks == 120) }
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(seen.suffix(2) == [.running, .succeeded])
            #expect(last?.outputFiles == ["export"])
        }
    }

    @Test func notFoundIsUnavailableWithTheErrorID() async throws {
        try await withSandbox { sandbox, client in
            let error = await #expect(throws: ExportError.self) {
                try await client.export(id: "424242", organisationID: sandbox.organisationID)
            }
            #expect(error?.kind == .unavailable)
            #expect(error?.kind.exitCode == 69)
            #expect(error?.message.contains("Resource Not Found (error_id ") == true)
            #expect(error?.location == "GET /v1/exports/424242")
            let requests = await sandbox.requestCount
            #expect(requests == 1)  // a 404 is not retried
        }
    }

    @Test func aWrongTokenIsUnavailableWithTheErrorIDAndNeverShown() async throws {
        let secret = "wrong-token-0123456789abcdef"
        try await withSandbox { sandbox, _ in
            let client = try APIClient(baseURL: sandbox.url, token: secret, retry: .fast)
            defer { Task { try? await client.shutdown() } }
            let error = await #expect(throws: ExportError.self) {
                try await client.listExports(organisationID: sandbox.organisationID)
            }
            #expect(error?.kind == .unavailable)
            #expect(error?.message.contains("error_id") == true)
            #expect(error?.message.contains("HTTP 401") == true)
            #expect(error.map { "\($0)" }?.contains(secret) == false)
            #expect(error.map { "\($0)" }?.contains(sandbox.token) == false)
            let requests = await sandbox.requestCount
            #expect(requests == 1)  // a 401 is not retried
        }
    }

    @Test func retriesA429HonouringRetryAfterThenSucceeds() async throws {
        try await withSandbox { sandbox, client in
            await sandbox.setFaults(SandboxFaults(tooManyRequests: 2, retryAfterSeconds: 1))
            let export = try await client.export(id: "9879", organisationID: nil)
            #expect(export.id == "9879")
            let requests = await sandbox.requestCount
            #expect(requests == 3)
        }
    }

    /// Issue 9: a 429 on a HEAD (one attempt, no retry of its own) used to be followed by the
    /// GET 10 ms later; every request to the host now waits the Retry-After.
    @Test func a429OnAHeadDelaysTheNextRequestToTheHost() async throws {
        let patient = RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(1), maxDelay: .milliseconds(10),
                                  maxRetryAfter: .seconds(5))
        try await withSandbox(retry: patient) { sandbox, client in
            await sandbox.setFaults(SandboxFaults(tooManyRequests: 1, retryAfterSeconds: 1))
            var head = APIRequest(path: "/v1/exports/9879")
            head.maxAttempts = 1
            let size = await client.probeSize(head)
            #expect(size == nil)
            let started = ContinuousClock.now
            let export = try await client.export(id: "9879", organisationID: nil)
            #expect(export.id == "9879")
            #expect(ContinuousClock.now - started >= .milliseconds(900))
            let requests = await sandbox.requestCount
            #expect(requests == 2)
        }
    }

    @Test func retriesA503ThenSucceeds() async throws {
        try await withSandbox { sandbox, client in
            await sandbox.setFaults(SandboxFaults(unavailable: 3))
            let executions = try await client.listExecutions(exportID: "9879")
            #expect(executions.count == 1)
            let requests = await sandbox.requestCount
            #expect(requests == 4)
        }
    }

    @Test func givesUpAfterTheLastAttemptWithTheLastAnswer() async throws {
        try await withSandbox { sandbox, client in
            await sandbox.setFaults(SandboxFaults(unavailable: 100))
            let error = await #expect(throws: ExportError.self) {
                try await client.export(id: "9879", organisationID: nil)
            }
            #expect(error?.kind.exitCode == 69)
            #expect(error?.message.contains("gave up after 5 attempts") == true)
            #expect(error?.message.contains("Service Unavailable") == true)
            let requests = await sandbox.requestCount
            #expect(requests == 5)
        }
    }

    @Test func aConnectionRefusedIsRetriedThenUnavailable() async throws {
        // A port that was just open and is now closed: nothing listens there.
        let sandbox = try await SandboxServer.start()
        let url = sandbox.url
        await sandbox.stop()
        let client = try APIClient(
            baseURL: url,
            token: "t0ken-for-nobody",
            retry: .fast,
            connectTimeout: .milliseconds(200)
        )
        let error = await #expect(throws: ExportError.self) {
            try await client.listExports(organisationID: "1")
        }
        try await client.shutdown()
        #expect(error?.kind == .unavailable)
        #expect(error?.message.contains("connection failed") == true)
    }
}

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

@Suite("The sandbox speaks the platform's API")
struct SandboxTests {
    func json(_ client: APIClient, _ request: APIRequest) async throws -> [String: Any] {
        let body = try await client.sendCollecting(request)
        return try #require(try JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any])
    }

    @Test func listsPageBy50ByDefaultWithEveryPagingField() async throws {
        try await withSandbox { sandbox, client in
            let page = try await json(
                client,
                APIRequest(path: "/v1/exports", query: [("organisation_id", sandbox.organisationID)])
            )
            #expect(page["status"] as? String == "ok")
            #expect((page["data"] as? [Any])?.count == 50)
            #expect(page["count"] as? Int == 50)
            #expect(page["total"] as? Int == 66)
            #expect(page["first_result"] as? Int == 0)
            #expect(page["max_result"] as? Int == 50)
            #expect(page["max_results"] as? Int == 50)
            let first = try #require((page["data"] as? [[String: Any]])?.first)
            #expect(first["id"] as? String == "9879")  // ids are strings
        }
    }

    @Test func executionsLookLikeTheReference() async throws {
        try await withSandbox { _, client in
            let page = try await json(client, client.executionsRequest("9879"))
            let execution = try #require((page["data"] as? [[String: Any]])?.first)
            #expect(execution["status"] as? String == "SUCCEEDED")
            #expect((execution["result"] as? [String: Any])?["output_files"] as? [String] == ["export"])
            #expect(execution["error"] is NSNull)
            #expect(execution["job_type"] as? String == "DATAMART_QUERY_EXPORT")
            #expect(execution["creation_date"] is NSNumber)
        }
    }

    @Test("reportsEveryPhase: a poll long after the run's end still sees RUNNING once, then the end; without it, the end at once",
          arguments: [true, false])
    func latePollsSeeEveryPhase(everyPhase: Bool) async throws {
        let options = SandboxOptions(pendingFor: .milliseconds(1), runFor: .milliseconds(1), reportsEveryPhase: everyPhase)
        try await withSandbox(options: options) { _, client in
            let started = try await client.startExecution(exportID: "9879")
            #expect(started.status == .pending)
            try await Task.sleep(for: .milliseconds(50))
            let late = try await client.recentExecutions(exportID: "9879").first
            #expect(late?.id == started.id)
            #expect(late?.status == (everyPhase ? .running : .succeeded))
            let after = try await client.recentExecutions(exportID: "9879").first
            #expect(after?.status == .succeeded)
        }
    }

    @Test func startingAnExecutionNeedsAnEmptyObject() async throws {
        try await withSandbox { _, client in
            var request = client.executionsRequest("9879")
            request.method = .post
            request.body = Array(#"{"x":1}"#.utf8)
            let error = await #expect(throws: ExportError.self) { try await client.sendCollecting(request) }
            #expect(error?.message.contains("empty JSON object") == true)
        }
    }

    @Test func rangesAnswer206WithContentRangeAnd416PastTheEnd() async throws {
        try await withSandbox { _, client in
            let execution = try #require(try await client.recentExecutions(exportID: "9890").first)
            var request = client.resultFileRequest(
                exportID: "9890",
                executionID: execution.id,
                technicalName: "export-part-2"
            )
            request.headers = [("Range", "bytes=10-")]
            let (code, range, body) = try await client.send(request) { response in
                (
                    response.status.code, response.headers.first(name: "Content-Range"),
                    try await response.body.collect(upTo: 1 << 20)
                )
            }
            #expect(code == 206)
            #expect(range == "bytes 10-271/272")
            #expect(body.readableBytes == 262)
            request.headers = [("Range", "bytes=272-")]
            request.alsoAccepted = [416]
            let status = try await client.send(request) { $0.status.code }
            #expect(status == 416)
        }
    }

    @Test func theTwoFileExportServesBothFilesTheFirstWithoutAFinalNewline() async throws {
        try await withSandbox { _, client in
            let export = try await client.export(id: "9890", organisationID: nil)
            let execution = try #require(try await client.recentExecutions(exportID: "9890").first)
            #expect(execution.outputFiles == ["export-part-1", "export-part-2"])
            let sources = try await client.resultSources(export: export, execution: execution)
            let first = try await collect(sources[0])
            let second = try await collect(sources[1])
            #expect(first.last != UInt8(ascii: "\n"))
            #expect(second.last == UInt8(ascii: "\n"))
            #expect(first.split(separator: UInt8(ascii: "\n")).count == 5)
            #expect(second.split(separator: UInt8(ascii: "\n")).count == 4)
        }
    }

    @Test func theErrorFileComesFromTheDataFileRoute() async throws {
        try await withSandbox { sandbox, client in
            let execution = try #require(try await client.recentExecutions(exportID: "9891").first)
            #expect(execution.status == .failed)
            let text = try await client.errorFileText(organisationID: sandbox.organisationID, executionID: execution.id)
            #expect(text.hasPrefix("Query execution failed"))
        }
    }

    @Test func itServesOnlyOnLoopbackAndAnswersWithoutAToken() async throws {
        try await withSandbox { sandbox, _ in
            #expect(sandbox.url.hasPrefix("http://127.0.0.1:"))
            #expect(sandbox.port > 0)
            let anonymous = try APIClient(baseURL: sandbox.url, token: "nope", retry: .fast)
            let error = await #expect(throws: ExportError.self) {
                try await anonymous.sendCollecting(APIRequest(path: "/v1/exports/9879"))
            }
            try await anonymous.shutdown()
            #expect(error?.message.contains("Authentication failed") == true)
        }
    }
}

@Suite("Synthetic sandbox files")
struct SandboxFileTests {
    @Test func generatedLinesHaveOneWidthAndAnyRangeIsASliceOfTheWhole() {
        let file = SandboxFile.generated(lines: 500)
        let whole = file.bytes(in: 0..<file.count)
        #expect(whole == (0..<500).flatMap { SandboxFile.line($0) })
        #expect((0..<500).allSatisfy { SandboxFile.line($0).count == SandboxFile.lineWidth })
        var g = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let a = Int.random(in: 0..<file.count, using: &g)
            let b = Int.random(in: a...file.count, using: &g)
            #expect(file.bytes(in: a..<b) == Array(whole[a..<b]))
        }
    }
}

extension SandboxFileTests {
    @Test func generatedLinesAreTheExpectedJSON() throws {
        let first = String(decoding: SandboxFile.line(0), as: UTF8.self)
        #expect(
            first
                == #"{"id":"10000000000000000000","emails":[{"email":"u0000000000@example.com"}],"profiles":[{"gender": "F","age":18}]}"#
                + "\n"
        )
        let third = String(decoding: SandboxFile.line(2), as: UTF8.self)
        #expect(third.contains(#""gender":null,"age":20"#))
        #expect(try JSONSerialization.jsonObject(with: Data(SandboxFile.line(123_456))) is [String: Any])
    }
}

import Testing

@testable import MicsAPI
@testable import MicsDecode
@testable import MicsExport
@testable import MicsPipelines
@testable import MicsProject
@testable import MicsSandbox
@testable import MicsSink
@testable import MicsVocabulary

@Suite("Resumable downloads")
struct DownloadResumeTests {
    /// ~1.3 MB of ndjson lines with 20-21 digit ids.
    static let big: [UInt8] = {
        var out: [UInt8] = []
        for n in 0..<20_000 {
            let id = 10_000_000_000_000_000_000 as UInt64 + UInt64(n) &* 2_654_435_761
            out += Array(#"{"id":"\#(id)","emails":[{"email":"u\#(n)@example.com"}]}"#.utf8)
            out.append(UInt8(ascii: "\n"))
        }
        return out
    }()

    func source(
        _ sandbox: SandboxServer,
        _ client: APIClient,
        route: APIClient.DownloadRoute = .exports
    )
        async throws -> InputSource
    {
        let execution = await sandbox.addExport(id: "777", name: "big", files: [("export", Self.big)])
        let export = try await client.export(id: "777", organisationID: nil)
        let executions = try await client.recentExecutions(exportID: export.id)
        #expect(executions.first?.id == execution)
        let sources = try await client.resultSources(export: export, execution: executions[0], route: route)
        #expect(sources.count == 1)
        return sources[0]
    }

    @Test(arguments: APIClient.DownloadRoute.allCases)
    func aCleanDownloadIsTheFileWithItsSize(route: APIClient.DownloadRoute) async throws {
        try await withSandbox { sandbox, client in
            let input = try await source(sandbox, client, route: route)
            #expect(input.size == Int64(Self.big.count))
            var chunks: [[UInt8]] = []
            for try await chunk in try await input.open() { chunks.append(chunk) }
            #expect(chunks.flatMap { $0 } == Self.big)
            // Re-batched: every chunk but the last holds at least 64 KiB.
            #expect(chunks.dropLast().allSatisfy { $0.count >= 64 << 10 })
        }
    }

    @Test(arguments: [false, true])
    func aDroppedDownloadResumesByteIdentical(ignoreRange: Bool) async throws {
        try await withSandbox { sandbox, client in
            let input = try await source(sandbox, client)
            let before = await sandbox.requestCount
            // Three answers cut short, at different places of the file.
            await sandbox.setFaults(SandboxFaults(dropAfterBytes: 300_001, dropTimes: 3, ignoreRange: ignoreRange))
            let bytes = try await collect(input)
            #expect(bytes.count == Self.big.count)
            #expect(bytes == Self.big)
            let requests = await sandbox.requestCount - before
            #expect(requests == 4)
        }
    }

    @Test func aDropRightAtTheEndIsComplete() async throws {
        try await withSandbox { sandbox, client in
            let input = try await source(sandbox, client)
            await sandbox.setFaults(SandboxFaults(dropAfterBytes: Self.big.count, dropTimes: 1))
            #expect(try await collect(input) == Self.big)
        }
    }

    @Test func tooManyDropsInARowGiveUp() async throws {
        try await withSandbox { sandbox, client in
            let input = try await source(sandbox, client)
            await sandbox.setFaults(SandboxFaults(dropAfterBytes: 0, dropTimes: 100))
            let error = await #expect(throws: ExportError.self) { try await collect(input) }
            #expect(error?.kind == .unavailable)
            #expect(error?.message.contains("download gave up") == true)
        }
    }

    @Test func fiveHundredsDuringAResumeAreRetried() async throws {
        try await withSandbox { sandbox, client in
            let input = try await source(sandbox, client)
            await sandbox.setFaults(SandboxFaults(dropAfterBytes: 500_000, dropTimes: 1))
            let stream = try await input.open()
            var iterator = stream.makeAsyncIterator()
            var bytes: [UInt8] = []
            // Read past the drop point, then make the resume meet 503s first.
            while bytes.count < 400_000, let chunk = try await iterator.next() { bytes += chunk }
            await sandbox.setFaults(SandboxFaults(unavailable: 2))
            while let chunk = try await iterator.next() { bytes += chunk }
            #expect(bytes == Self.big)
        }
    }

    @Test func hostileOutputFileNamesStayInTheirSegment() async throws {
        let names = [
            "../../etc/passwd", "a/b", "%2e%2e", "..", "x\u{0}y\r\nz", "é l'été?#&=",
            String(repeating: "n", count: 3000),
        ]
        try await withSandbox { sandbox, client in
            let files = names.enumerated().map { (n, name) in (name: name, bytes: Array("{\"file\":\(n)}\n".utf8)) }
            _ = await sandbox.addExport(id: "666", name: "hostile", files: files)
            let export = try await client.export(id: "666", organisationID: nil)
            let execution = try #require(try await client.recentExecutions(exportID: "666").first)
            #expect(execution.outputFiles == names)
            let sources = try await client.resultSources(export: export, execution: execution)
            for (n, input) in sources.enumerated() {
                // Each name reached the server intact and got its own file back.
                #expect(try await collect(input) == files[n].bytes)
                #expect(!input.name.contains("/") && !input.name.contains("\u{0}"))
            }
        }
    }
}

@Suite("Content-Range")
struct ContentRangeTests {
    @Test func startAndTotalAreRead() {
        #expect(ContentRange("bytes 100-199/200")?.start == 100)
        #expect(ContentRange("bytes 100-199/200")?.total == 200)
        #expect(ContentRange("bytes 0-9/*")?.total == nil)
        #expect(ContentRange("items 1-2/3") == nil)
        #expect(ContentRange.total(unsatisfied: "bytes */272") == 272)
        #expect(ContentRange.total(unsatisfied: "bytes 0-1/2") == nil)
    }
}

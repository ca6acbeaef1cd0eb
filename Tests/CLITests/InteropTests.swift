import Foundation
import Testing

/// The tool against an independent implementation of the API (`Tests/interop/reference_api.py`,
/// Python's standard library, written from the reference alone): a different HTTP stack, no
/// `total`, oldest-first executions, no HEAD, Range ignored, a dropped first download.
/// Skipped only outside CI when python3 is missing; under CI (`CI` set, as `.ci/run` runs) a
/// missing python3 is a failure, never a silent skip.
@Suite("Interop with an independent implementation of the API",
       .enabled(if: InteropServer.python != nil || ProcessInfo.processInfo.environment["CI"] != nil))
struct InteropTests {
    @Test func pullListAndFailuresAgainstThePythonServer() async throws {
        guard InteropServer.python != nil else {
            Issue.record("python3 is missing: CI must install it (.ci/run) so that these tests run")
            return
        }
        let server = try InteropServer.start(token: "interop-secret-991")
        defer { server.stop() }
        let env = ["MICS_API_URL": server.url, "MICS_API_TOKEN": "interop-secret-991"]

        let list = try await FetchToolRunner.run(
            ["exports", "list", "--organisation", "1426", "--json"],
            environment: env
        )
        #expect(list.code == 0)
        let exports = try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]]
        #expect(exports?.count == 7)  // three pages of at most 3, no "total"

        // Newest by creation date (the list is oldest first); the download drops once and the
        // server ignores Range: the output must still hold every line exactly once.
        let pull = try await FetchToolRunner.run(["pull", "100", "--organisation", "1426", "-q"], environment: env)
        #expect(pull.code == 0)
        let lines = pull.stdout.split(separator: "\n")
        #expect(lines.first == "id,emails.email,profiles.gender")
        #expect(lines.count == 3001)
        #expect(Set(lines).count == 3001)
        #expect(lines.last == "100000000000023749081,p2999@example.org,F")

        let lost = try await FetchToolRunner.run(["pull", "101", "--organisation", "1426"], environment: env)
        #expect(lost.code == 70)
        #expect(lost.stderr.contains("execution 902 LOST: executor lost while reading segment 12"))

        let missing = try await FetchToolRunner.run(["exports", "show", "999"], environment: env)
        #expect(missing.code == 69)
        #expect(missing.stderr.contains("Resource Not Found (error_id 0ea6b1c2-interop)"))
        for r in [list, pull, lost, missing] { #expect(!r.all.contains("interop-secret-991")) }
    }
}

/// `python3 Tests/interop/reference_api.py TOKEN` on 127.0.0.1, an ephemeral port.
struct InteropServer {
    let process: Process
    let url: String

    static var python: String? {
        ["/usr/bin/python3", "/usr/local/bin/python3"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static func start(token: String) throws -> InteropServer {
        var root = URL(fileURLWithPath: #filePath)
        for _ in 0..<2 { root.deleteLastPathComponent() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python!)
        process.arguments = [root.appendingPathComponent("interop/reference_api.py").path, token]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        // The server prints its port on its first line.
        var text = ""
        while !text.contains("\n") {
            let data = out.fileHandleForReading.availableData
            if data.isEmpty { break }
            text += String(decoding: data, as: UTF8.self)
        }
        guard let port = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            kill(process.processIdentifier, SIGKILL)
            throw InteropError.noPort(text)
        }
        return InteropServer(process: process, url: "http://127.0.0.1:\(port)")
    }

    /// SIGKILL: a child of the test runner may inherit a mask that blocks SIGTERM.
    func stop() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    enum InteropError: Error { case noPort(String) }
}

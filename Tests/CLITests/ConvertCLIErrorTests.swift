import Foundation
import Testing

/// `convert` when things go wrong: usage errors (64), bad input (65), rejects, and the
/// rule that a failed or interrupted run leaves no output file and no temporary file.
@Suite("convert, errors end to end")
struct ConvertCLIErrorTests {
    typealias Tool = ConvertTool

    /// Lines 2 (trailing comma), 4 (not an object) and 6 (invalid UTF-8) are bad.
    static let ragged: [UInt8] = Array("""
        {"id":"1"}
        {"id":"2",}
        {"id":"3"}
        [1,2]
        {"id":"5"}

        """.utf8) + Array(#"{"id":""#.utf8) + [0xC3, 0x28] + Array("\"}\n{\"id\":\"7\"}\n".utf8)

    @Test("wrong usage exits 64 and writes nothing", arguments: [
        ["--nope"],
        ["--level", "12", "-o", "out.csv.gz"],
        ["--level", "0", "--gzip"],
        ["--delimiter", "ab"],
        ["--delimiter", "\""],
        ["--arrays", "all"],
        ["--on-error", "maybe"],
        ["--to", "xml"],
        ["--columns", "id", "--query", "SELECT { id } FROM UserPoint"],
        ["--columns", "id,,email"],
        ["--query", "SELECT { id FROM UserPoint"],
        ["--explode", "a.b", "--explode", "a.c"],
    ])
    func usageErrors(arguments: [String]) async throws {
        let folder = try Tool.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Tool.write("{\"id\":\"1\"}\n", to: folder.appendingPathComponent("in.ndjson"))
        var arguments = arguments
        if !arguments.contains("-o") { arguments += ["-o", "out.csv"] }
        let result = try await Tool.run(["convert", "in.ndjson"] + arguments, in: folder)
        #expect(result.code == 64, "\(result.stderr)")
        #expect(!result.stderr.isEmpty)
        #expect(result.stdout.isEmpty)
        #expect(try Tool.files(in: folder) == ["in.ndjson"])
    }

    @Test("the first bad line stops the run with 65, naming input, line and column; no file is left")
    func failOnBadLine() async throws {
        let folder = try Tool.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data(Self.ragged).write(to: folder.appendingPathComponent("export.ndjson"))
        let result = try await Tool.run(["convert", "export.ndjson", "--columns", "id", "-o", "out.csv"], in: folder)
        #expect(result.code == 65)
        // {"id":"2",} breaks at offset 10: column 11.
        #expect(result.stderr.contains("export.ndjson:2"), "\(result.stderr)")
        #expect(result.stderr.contains("column 11"), "\(result.stderr)")
        #expect(try Tool.files(in: folder) == ["export.ndjson"])
        // On stdout: nothing after the failure may look like a complete file either.
        let toStdout = try await Tool.run(["convert", "export.ndjson", "--columns", "id", "-q"], in: folder)
        #expect(toStdout.code == 65)
    }

    @Test("each kind of bad line is refused with its reason under --on-error fail", arguments: [
        (#"{"id":"1""#, "column 10"),
        ("[1,2]", "not a JSON object"),
        (#"{"id":1} x"#, "column 10"),
        (#"{"id":01}"#, "column 8"),
        (String(repeating: "x", count: 200), "longer than"),
    ])
    func failReasons(line: String, reason: String) async throws {
        let folder = try Tool.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Tool.write("{\"id\":\"0\"}\n" + line + "\n", to: folder.appendingPathComponent("in.ndjson"))
        let result = try await Tool.run(["convert", "in.ndjson", "--columns", "id", "--max-line-bytes", "100",
                                         "-o", "out.csv"], in: folder)
        #expect(result.code == 65)
        #expect(result.stderr.contains("in.ndjson:2"), "\(result.stderr)")
        #expect(result.stderr.contains(reason), "\(result.stderr)")
        #expect(try Tool.files(in: folder) == ["in.ndjson"])
    }

    @Test("--on-error skip --rejects keeps every bad line with its number and reason; good rows all arrive")
    func skipWithRejects() async throws {
        let folder = try Tool.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data(Self.ragged).write(to: folder.appendingPathComponent("export.ndjson"))
        let result = try await Tool.run(["convert", "export.ndjson", "--columns", "id", "-o", "out.csv",
                                         "--on-error", "skip", "--rejects", "bad.ndjson"], in: folder)
        #expect(result.code == 0, "\(result.stderr)")
        #expect(result.stderr.contains("3 rejected"), "\(result.stderr)")
        #expect(try Tool.read(folder.appendingPathComponent("out.csv")) == "id\n1\n3\n5\n7\n")
        let rejects = try Tool.read(folder.appendingPathComponent("bad.ndjson")).split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] ?? [:]
        }
        #expect(rejects.map { $0["line"] as? Int } == [2, 4, 6])
        #expect(rejects.map { $0["source"] as? String } == ["export.ndjson", "export.ndjson", "export.ndjson"])
        let reasons = rejects.map { $0["reason"] as? String ?? "" }
        #expect(reasons[0].contains("column 11"), "\(reasons)")
        #expect(reasons[1].contains("not a JSON object"), "\(reasons)")
        #expect(reasons[2].contains("UTF-8"), "\(reasons)")
        #expect(rejects[0]["text"] as? String == #"{"id":"2",}"#)
        #expect(rejects[1]["text"] as? String == "[1,2]")
        #expect(try Tool.files(in: folder) == ["bad.ndjson", "export.ndjson", "out.csv"])
    }

    @Test("--max-errors N stops past N bad lines with 65, and no file is left", arguments: [(2, 65), (3, 0)])
    func maxErrors(limit: Int, code: Int32) async throws {
        let folder = try Tool.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data(Self.ragged).write(to: folder.appendingPathComponent("export.ndjson"))
        let result = try await Tool.run(["convert", "export.ndjson", "--columns", "id", "-o", "out.csv",
                                         "--on-error", "skip", "--rejects", "bad.ndjson", "--max-errors", "\(limit)"],
                                        in: folder)
        #expect(result.code == code, "\(result.stderr)")
        let expected = code == 0 ? ["bad.ndjson", "export.ndjson", "out.csv"] : ["export.ndjson"]
        #expect(try Tool.files(in: folder) == expected)
    }

    @Test("an over-long line is skipped under --on-error skip, and the lines around it kept")
    func overlongSkipped() async throws {
        let folder = try Tool.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let long = "{\"id\":\"" + String(repeating: "x", count: 5000) + "\"}"
        try Tool.write("{\"id\":\"1\"}\n\(long)\n{\"id\":\"3\"}\n", to: folder.appendingPathComponent("in.ndjson"))
        let result = try await Tool.run(["convert", "in.ndjson", "--columns", "id", "--max-line-bytes", "1000",
                                         "--on-error", "skip", "--rejects", "r.ndjson", "-q"], in: folder)
        #expect(result.code == 0, "\(result.stderr)")
        #expect(result.output == "id\n1\n3\n")
        #expect(try Tool.read(folder.appendingPathComponent("r.ndjson")).contains("\"line\":2"))
    }

    @Test("SIGTERM or SIGINT during a long run leaves no output, no rejects and no temporary file",
          arguments: [(SIGTERM, 143), (SIGINT, 130)] as [(Int32, Int32)])
    func signalLeavesNothing(signal: Int32, status: Int32) async throws {
        try Tool.requireBinary()
        let folder = try Tool.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Tool.binary)
        process.arguments = ["convert", "-", "--columns", "id", "-o", "out.csv.gz", "-q", "--on-error", "skip",
                             "--rejects", "r.ndjson"]
        process.currentDirectoryURL = folder
        let feed = Pipe()
        process.standardInput = feed
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let exited = Task { try await BuiltTool.run(process) }
        for _ in 0..<200 where !process.isRunning { try await Task.sleep(for: .milliseconds(10)) }
        // A slow writer: some data now, the pipe kept open, as a long download would.
        let chunk = Data((1...5000).map { "{\"id\":\"\($0)\",\"pad\":\"\(String(repeating: "p", count: 50))\"}\n" }.joined().utf8)
        feed.fileHandleForWriting.write(chunk)
        var started = false
        for _ in 0..<200 where !started {
            let files = try Tool.files(in: folder)
            started = files.contains { $0.hasPrefix(".out.csv.gz.part-") } && files.contains { $0.hasPrefix(".r.ndjson.part-") }
            if !started { try await Task.sleep(for: .milliseconds(50)) }
        }
        let seen = try Tool.files(in: folder)
        #expect(started, "the temporary output never appeared: \(seen)")
        feed.fileHandleForWriting.write(chunk)
        try await Task.sleep(for: .milliseconds(200))
        kill(process.processIdentifier, signal)
        let code = try await exited.value
        try? feed.fileHandleForWriting.close()
        #expect(code == status)
        #expect(try Tool.files(in: folder) == [])
    }
}

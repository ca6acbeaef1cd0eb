import Foundation
import Testing

/// Runs the built `mics-export` for the convert tests: bytes in, bytes out, exit code.
/// stdout and stderr go to files (no pipe to fill up); the wait does not block a thread of
/// the cooperative pool.
enum ConvertTool {
    struct Result {
        var code: Int32
        var stdout: [UInt8]
        var stderr: String
        var output: String { String(decoding: stdout, as: UTF8.self) }
    }

    static var repository: URL {
        var root = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { root.deleteLastPathComponent() }
        return root
    }

    static var binary: String { BuiltTool.path }

    /// Fails the test with a clear message when the tool was not built.
    static func requireBinary() throws {
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            Issue.record("mics-export is not built at \(binary): run `swift test`, which builds it beside the tests")
            throw CancellationError()
        }
    }

    /// A fresh folder for one test's files; the caller removes it.
    static func scratch() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("mics-convert-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Runs `mics-export ARGS`, stdin from `stdin` (a file) or nothing.
    static func run(_ arguments: [String], stdin: URL? = nil, in directory: URL? = nil) async throws -> Result {
        try requireBinary()
        let folder = try scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("stdout")
        let err = folder.appendingPathComponent("stderr")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        process.standardInput = try stdin.map { try FileHandle(forReadingFrom: $0) } ?? FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        let code = try await wait(process)
        return Result(code: code, stdout: Array(try Data(contentsOf: out)),
                      stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "")
    }

    static func wait(_ process: Process) async throws -> Int32 {
        try await BuiltTool.run(process)
    }

    /// Runs a shell command line (for pipes from `gzip`, slow writers…), in `directory`.
    static func shell(_ command: String, in directory: URL) async throws -> Result {
        try requireBinary()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        process.currentDirectoryURL = directory
        var environment = ProcessInfo.processInfo.environment
        environment["TOOL"] = binary
        process.environment = environment
        let out = directory.appendingPathComponent(".shell-stdout-\(UUID().uuidString)")
        let err = directory.appendingPathComponent(".shell-stderr-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: out)
            try? FileManager.default.removeItem(at: err)
        }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        let code = try await wait(process)
        return Result(code: code, stdout: Array(try Data(contentsOf: out)),
                      stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "")
    }

    /// The files in a folder, hidden ones included (a `.NAME.part-*` left behind shows up).
    static func files(in directory: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
    }

    static func write(_ text: String, to url: URL) throws {
        try Data(text.utf8).write(to: url)
    }

    static func read(_ url: URL) throws -> String {
        String(decoding: try Data(contentsOf: url), as: UTF8.self)
    }
}

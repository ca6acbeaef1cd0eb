import Foundation
@testable import MicsAPI
@testable import MicsDecode
@testable import MicsExport
@testable import MicsPipelines
@testable import MicsProject
@testable import MicsSandbox
@testable import MicsSink
@testable import MicsVocabulary

/// Runs the built `mics-export` binary (end to end, as a user would) and collects its exit
/// code, stdout and stderr. Outputs go to temporary files, and the wait does not block a
/// thread of the cooperative pool, where the in-process sandbox's actors run.
enum FetchToolRunner {
    struct Result {
        var code: Int32
        var stdout: String
        var stderr: String
        var all: String { stdout + stderr }
    }

    static var binary: String { BuiltTool.path }

    static func run(
        _ arguments: [String],
        environment: [String: String] = [:],
        in directory: String? = nil
    ) async throws
        -> Result
    {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("mics-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let out = scratch.appendingPathComponent("stdout")
        let err = scratch.appendingPathComponent("stderr")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["MICS_API_URL"] = nil
        env["MICS_API_TOKEN"] = nil
        env.merge(environment) { $1 }
        process.environment = env
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        let code = try await BuiltTool.run(process)
        return Result(
            code: code,
            stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? ""
        )
    }
}

/// A sandbox for CLI tests (fast executions) and the environment that points the tool at it.
func withToolSandbox(_ body: (SandboxServer, [String: String]) async throws -> Void) async throws {
    let sandbox = try await SandboxServer.start(
        options: SandboxOptions(pendingFor: .milliseconds(100), runFor: .milliseconds(300))
    )
    do {
        try await body(sandbox, ["MICS_API_URL": sandbox.url, "MICS_API_TOKEN": sandbox.token])
        await sandbox.stop()
    } catch {
        await sandbox.stop()
        throw error
    }
}

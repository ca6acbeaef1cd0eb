import Foundation
import MicsPostgres
import NIOCore
import PostgresNIO

/// The throwaway server the live tests talk to (scripts/pg-test-cluster.sh).
///
/// `MICS_TEST_DATABASE_URL` (and `…_TLS`) name it when `.ci/run` or a developer started it;
/// otherwise the first test that needs it starts one with the script and stops it at exit.
/// No server and no way to start one is a test failure, never a silent skip.
package struct TestDatabase: Sendable {
    package let url: String
    package let tlsURL: String
    package let password: String

    package static let shared: Result<TestDatabase, TestDatabaseError> = locate()

    package static func get() throws -> TestDatabase { try shared.get() }

    package var settings: PostgresSettings {
        get throws {
            // Not "mics-export": tests look for the tool's own sessions by that name.
            var settings = try PostgresSettings.resolve(url: url, environment: [:])
            settings.applicationName = "mics-tests"
            return settings
        }
    }

    /// Runs SQL through a fresh connection; every value as text (NULL as nil).
    @discardableResult
    package func query(_ sql: String) async throws -> [[String?]] {
        let connection = try await PostgresConnector(settings: try settings).connect()
        defer { let closed: EventLoopFuture<Void> = connection.close(); closed.whenComplete { _ in } }
        var out: [[String?]] = []
        for try await row in try await connection.query(PostgresQuery(unsafeSQL: sql), logger: PostgresConnector.silentLogger) {
            out.append(try row.map { try $0.decode(String?.self) })
        }
        try await connection.close()
        return out
    }

    /// Copies `blocks` into `table` the server's own way, `COPY … FROM STDIN WITH (options)`
    /// (`FORMAT csv, HEADER true`, `FORMAT binary`…): the oracle our loader's rows are checked against.
    package func copy(into table: String, with options: String, _ blocks: [ByteBuffer]) async throws {
        let connection = try await PostgresConnector(settings: try settings).connect()
        // postgres-nio writes `COPY "<table>" FROM STDIN WITH (FORMAT text)`: ours ends it early.
        try await connection.copyFrom(
            table: "\(table)\" FROM STDIN WITH (\(options)) --", logger: PostgresConnector.silentLogger
        ) { writer in
            for block in blocks { try await writer.write(block) }
        }
        try await connection.close()
    }

    /// A name no other test uses.
    package static func uniqueName(_ prefix: String) -> String {
        "\(prefix)_\(UInt32.random(in: 0...UInt32.max))"
    }

    private static func locate() -> Result<TestDatabase, TestDatabaseError> {
        var environment = ProcessInfo.processInfo.environment
        if environment["MICS_TEST_DATABASE_URL"] == nil {
            switch startCluster() {
            case .success(let started): environment.merge(started) { $1 }
            case .failure(let error): return .failure(error)
            }
        }
        guard let url = environment["MICS_TEST_DATABASE_URL"], let tls = environment["MICS_TEST_DATABASE_URL_TLS"],
            let password = environment["MICS_TEST_PGPASSWORD"]
        else {
            return .failure(TestDatabaseError(message: "MICS_TEST_DATABASE_URL, …_TLS and MICS_TEST_PGPASSWORD must all be set"))
        }
        return .success(TestDatabase(url: url, tlsURL: tls, password: password))
    }

    /// Starts a cluster with the repository's script; its env file is read back.
    private static func startCluster() -> Result<[String: String], TestDatabaseError> {
        let script = repositoryRoot.appendingPathComponent("scripts/pg-test-cluster.sh").path
        let envFile = FileManager.default.temporaryDirectory
            .appendingPathComponent("mics-pg-test-\(getpid()).env").path
        // Output to a file, not a pipe: the server started by the script outlives it, and
        // reading a pipe to its end could then wait for as long as the server runs.
        let logFile = envFile + ".log"
        FileManager.default.createFile(atPath: logFile, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: logFile) }
        let status = runBash([script, "start", envFile], log: logFile)
        let output = (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? ""
        guard status == 0, let text = try? String(contentsOfFile: envFile, encoding: .utf8) else {
            return .failure(
                TestDatabaseError(
                    message: "no MICS_TEST_DATABASE_URL and \(script) start failed "
                        + "(apt-get install -y postgresql openssl python3): \(output)"))
        }
        stopScript = (script, envFile)
        atexit {
            guard let (script, envFile) = TestDatabase.stopScript else { return }
            _ = TestDatabase.runBash([script, "stop", envFile], log: "/dev/null")
        }
        var values: [String: String] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("export ") {
            let pair = line.dropFirst("export ".count)
            guard let equals = pair.firstIndex(of: "=") else { continue }
            values[String(pair[..<equals])] = String(pair[pair.index(after: equals)...]).trimmingCharacters(
                in: CharacterSet(charactersIn: "'"))
        }
        return .success(values)
    }

    /// bash with the output to `log`, waited for with waitpid. (Foundation's `Process` did not
    /// see the script end when started from a test's lazy static: its child stayed a zombie.)
    static func runBash(_ arguments: [String], log: String) -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv: [UnsafeMutablePointer<CChar>?] = (["/bin/bash"] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, "/bin/bash", &actions, nil, argv, environ) == 0 else { return -1 }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : -1
    }

    nonisolated(unsafe) static var stopScript: (String, String)?

    /// Tests/MicsPostgresTestSupport/TestDatabase.swift → the repository.
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
}

package struct TestDatabaseError: Error, CustomStringConvertible {
    package var message: String
    package var description: String { message }
}

import Foundation

/// Where the `mics-export` under test is: the one built with these tests. SwiftPM puts every
/// product of one build in one folder (`swift build --show-bin-path`), so the tool sits
/// beside the test runner, whatever configuration or build path `swift test` was given;
/// a stale `.build/debug` binary is never picked up. `MICS_EXPORT_BINARY` overrides it.
enum BuiltTool {
    static let path: String = {
        if let given = ProcessInfo.processInfo.environment["MICS_EXPORT_BINARY"], !given.isEmpty {
            return given
        }
        #if os(macOS)
        // The tests run inside `NAME.xctest` (a bundle), itself in the products folder.
        if let bundle = Bundle.allBundles.first(where: { $0.bundlePath.hasSuffix(".xctest") }) {
            return bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("mics-export").path
        }
        #endif
        let runner = (Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0]))
            .resolvingSymlinksInPath()
        return runner.deletingLastPathComponent().appendingPathComponent("mics-export").path
    }()
}

extension BuiltTool {
    /// Runs `process` and returns its exit status. Foundation's termination handler alone
    /// once never fired (the child was a zombie, never reaped, and the whole test run hung),
    /// so the wait also watches `/proc/PID/stat`: a zombie's exit code is read there, without
    /// reaping it from under Foundation.
    static func run(_ process: Process) async throws -> Int32 {
        let once = ExitOnce()
        return try await withCheckedThrowingContinuation { continuation in
            once.set(continuation)
            process.terminationHandler = { once.resume($0.terminationStatus) }
            do { try process.run() } catch {
                once.fail(error)
                return
            }
            let pid = process.processIdentifier
            Task.detached {
                while !once.isDone {
                    try? await Task.sleep(for: .milliseconds(50))
                    if let status = zombieStatus(pid) { once.resume(status) }
                }
            }
        }
    }

    /// The exit status of `pid` if it has ended and is not reaped yet (state `Z`), as
    /// Foundation reports it: the exit code, or the signal number.
    static func zombieStatus(_ pid: Int32) -> Int32? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // fields[0] is the state; the exit code (waitpid format) is field 52 of the line.
        guard fields.first == "Z", fields.count >= 50, let raw = Int32(fields[49]) else { return nil }
        return raw & 0x7f == 0 ? (raw >> 8) & 0xff : raw & 0x7f
    }

    // @unchecked: every property is read and written under `lock`.
    final class ExitOnce: @unchecked Sendable {
        private let lock = NSLock()
        private var continuation: CheckedContinuation<Int32, Error>?
        private var done = false

        var isDone: Bool { lock.withLock { done } }

        func set(_ continuation: CheckedContinuation<Int32, Error>) { lock.withLock { self.continuation = continuation } }

        func resume(_ status: Int32) { take()?.resume(returning: status) }

        func fail(_ error: Error) { take()?.resume(throwing: error) }

        private func take() -> CheckedContinuation<Int32, Error>? {
            lock.withLock {
                guard !done else { return nil }
                done = true
                defer { continuation = nil }
                return continuation
            }
        }
    }
}

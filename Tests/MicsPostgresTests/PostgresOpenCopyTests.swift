import Foundation
import MicsPostgresTestSupport
import NIOCore
import PostgresNIO
import Testing

@testable import MicsPostgres

/// What `PostgresOpenCopy`'s safety rests on (its header): a task that prefers the
/// connection's event loop runs on the loop's thread, and between a command's arrival, the
/// check of the channel and the start of a nonisolated async call no event of the loop runs.
@Suite struct PostgresOpenCopyTests {
    /// A nonisolated async function, as postgres-nio's `PostgresCopyFromWriter.write` is: what
    /// it sees on entry and in its continuation's body (where the writer hands its work to the loop).
    nonisolated static func probe(_ flag: Flag, _ loop: any EventLoop) async -> [Bool] {
        let entry = [flag.value, loop.inEventLoop]
        let body = await withCheckedContinuation { (continuation: CheckedContinuation<[Bool], Never>) in
            continuation.resume(returning: [flag.value, loop.inEventLoop])
        }
        return entry + body
    }

    final class Flag: @unchecked Sendable {
        private let lock = NSLock()
        private var set = false
        func raise() { lock.withLock { set = true } }
        var value: Bool { lock.withLock { set } }
    }

    @Test func aCommandRunsOnTheLoopWithNoEventBetweenTheCheckAndTheWritersStart() async throws {
        let database = try TestDatabase.get()
        let connection = try await PostgresConnector(settings: try database.settings).connect()
        let loop = connection.eventLoop
        let (stream, commands) = AsyncStream<Int>.makeStream()
        let task = Task(executorPreference: EventLoopTaskExecutor(loop)) { () -> [[Bool]] in
            var seen: [[Bool]] = []
            for await _ in stream {
                // An event the loop would run at its next turn (a channelInactive, a handler removal).
                let flag = Flag()
                loop.execute { flag.raise() }
                seen.append([loop.inEventLoop] + (await Self.probe(flag, loop)))
            }
            return seen
        }
        for i in 0..<200 {
            commands.yield(i)
            if i % 7 == 0 { try await Task.sleep(for: .milliseconds(1)) }
        }
        commands.finish()
        let seen = await task.value
        #expect(seen.count == 200)
        // On the loop at each step; the event scheduled first has not run yet.
        #expect(seen.allSatisfy { $0 == [true, false, true, false, true] }, "\(Set(seen))")
        try await connection.close()
    }
}

import Foundation
import Logging
import NIOCore
import PostgresNIO

/// One `COPY … FROM STDIN` kept open across many chunks, so that rows stream into the server
/// with no statement between them (postgres-nio's `copyFrom` hands its writer only to a closure;
/// the closure here is a loop that takes the session's chunks one at a time).
///
/// ```
/// start ──▶ task on the connection's event loop: copyFrom { writer ──▶ ready ; loop:
///             command ◀── write(chunk) / finish / cancel     (one at a time, each answered)
///             channel closed? ──▶ wait for the close to end, throw   (never touch the writer)
///             write ──▶ writer.write (suspends while the socket is full: the backpressure)
///             finish ──▶ return: CopyDone ──▶ the server's verdict on every row sent
///             cancel ──▶ throw: CopyFail ──▶ the server leaves copy mode, the statement fails }
/// the connection's close ──▶ fails whatever the session waits for (a write may never return)
/// ```
///
/// Why the loop runs on the event loop, and checks the channel before each writer call:
/// postgres-nio 1.33.2 traps (`preconditionFailure("Copy mode is only supported for extended
/// queries")`, ConnectionStateMachine `checkBackendCanReceiveCopyData` / `sendCopyDone` /
/// `sendCopyFail`) when a writer call reaches the event loop after the server closed the
/// connection (its state `.closed`) but before the channel's handlers are removed (a later
/// turn of the loop). On the loop, `isClosed` (the channel inactive) is exact, and nothing
/// happens between the check and the writer's own synchronous start. And when the server's
/// error (`pg_terminate_backend`: FATAL 57P01) arrives while a write waits for the socket, the
/// library drops that write's promise (ExtendedQueryStateMachine `setAndFireError` in
/// `.copyingData(.pendingBackpressureRelieve)`): the write never returns, so the session waits
/// for the connection's close as well.
final class PostgresOpenCopy: Sendable {
    /// Which of the session's tables this COPY fills.
    let table: Int
    private let commands: AsyncStream<Command>.Continuation
    private let task: Task<Void, any Error>
    private let watch: CloseWatch

    enum Command: Sendable {
        case write(ByteBuffer, OneShot<Void>)
        case finish
        case cancel
    }

    private init(table: Int, commands: AsyncStream<Command>.Continuation, task: Task<Void, any Error>, watch: CloseWatch) {
        self.table = table
        self.commands = commands
        self.task = task
        self.watch = watch
    }

    /// Starts the COPY and returns once the server is ready for data (or throws its refusal).
    static func start(
        table: Int, copyTarget: String, connection: PostgresConnection, watch: CloseWatch, logger: Logger
    ) async throws -> PostgresOpenCopy {
        let ready = OneShot<Void>()
        let (stream, commands) = AsyncStream<Command>.makeStream()
        let loop = EventLoopTaskExecutor(connection.eventLoop)
        let task = Task(executorPreference: loop) {
            do {
                try await connection.copyFrom(table: copyTarget, logger: logger) { writer in
                    ready.fulfil(.success(()))
                    try await Self.run(stream, writer, connection)
                }
            } catch {
                ready.fulfil(.failure(error))
                throw error
            }
        }
        do {
            watch.failOnClose(ready)
            try await withTaskCancellationHandler {
                try await ready.wait()
            } onCancel: {
                task.cancel()
            }
            return PostgresOpenCopy(table: table, commands: commands, task: task, watch: watch)
        } catch {
            task.cancel()
            commands.finish()
            // A connection closed before the COPY began may never answer it.
            if !(error is ConnectionLost) { _ = await task.result }
            throw error
        }
    }

    /// The loop inside `copyFrom`'s closure, on the connection's event loop. Returning sends
    /// CopyDone, throwing CopyFail — unless the channel is closed, where it waits for the close
    /// to complete (the handlers gone: postgres-nio then fails the CopyFail quietly).
    private static func run(
        _ stream: AsyncStream<Command>, _ writer: PostgresCopyFromWriter, _ connection: PostgresConnection
    ) async throws {
        for await command in stream {
            connection.eventLoop.preconditionInEventLoop()
            if connection.isClosed {
                if case .write(_, let done) = command { done.fulfil(.failure(lost)) }
                try? await connection.closeFuture.get()
                throw lost
            }
            switch command {
            case .write(let chunk, let done):
                do {
                    try await writer.write(chunk)
                    done.fulfil(.success(()))
                } catch {
                    done.fulfil(.failure(error))
                    // The library holds the error; its CopyFail below sends a Sync instead.
                    try await endAfterError(connection)
                    throw error
                }
            case .finish:
                return
            case .cancel:
                throw CancellationError()
            }
        }
        throw CancellationError()
    }

    /// After a failed write: on the loop again, the channel checked as before a writer call.
    private static func endAfterError(_ connection: PostgresConnection) async throws {
        connection.eventLoop.preconditionInEventLoop()
        if connection.isClosed {
            try? await connection.closeFuture.get()
        }
    }

    private static let lost = ConnectionLost()

    /// Sends a chunk of whole rows; suspends while postgres-nio's channel is not writable.
    func write(_ chunk: ByteBuffer) async throws {
        let done = OneShot<Void>()
        commands.yield(.write(chunk, done))
        watch.failOnClose(done)
        try await done.wait()
    }

    /// Ends the COPY and waits for the server's answer (an error in any row surfaces here).
    func finish() async throws {
        commands.yield(.finish)
        commands.finish()
        try await result()
    }

    /// Fails the COPY (CopyFail) and waits until the connection has left copy mode (or is closed).
    /// Not cut short by the task's cancellation: the COPY must be over before another statement.
    func cancel() async {
        commands.yield(.cancel)
        commands.finish()
        _ = try? await result(cancellable: false)
    }

    /// The copy task's result, or the connection's loss, whichever comes first.
    private func result(cancellable: Bool = true) async throws {
        let done = OneShot<Void>()
        let task = self.task
        Task {
            done.fulfil(await task.result)
        }
        watch.failOnClose(done)
        try await (cancellable ? done.wait() : done.waitIgnoringCancellation())
    }
}

/// The connection closed under a COPY (the server's own message, if any, came first).
struct ConnectionLost: Error {}

/// The connection's close, seen once per session: it fails what the session is waiting for.
// @unchecked: every stored property is read and written under `lock`.
final class CloseWatch: @unchecked Sendable {
    private let lock = NSLock()
    private var closed = false
    private var waiting: OneShot<Void>?

    init(_ connection: PostgresConnection) {
        connection.closeFuture.whenComplete { [self] _ in
            let waiter: OneShot<Void>? = lock.withLock {
                closed = true
                defer { waiting = nil }
                return waiting
            }
            waiter?.fulfil(.failure(ConnectionLost()))
        }
    }

    /// `shot` fails when the connection closes (at once if it has); the session waits on one at a time.
    func failOnClose(_ shot: OneShot<Void>) {
        let isClosed: Bool = lock.withLock {
            if !closed { waiting = shot }
            return closed
        }
        if isClosed { shot.fulfil(.failure(ConnectionLost())) }
    }
}

/// A NIO event loop as a task executor: a task that prefers it runs its nonisolated code on the
/// loop's thread, one job after another with the loop's own events.
final class EventLoopTaskExecutor: TaskExecutor, @unchecked Sendable {
    let eventLoop: any EventLoop

    init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute {
            job.runSynchronously(on: self.asUnownedTaskExecutor())
        }
    }
}

/// A value set once and awaited once, in either order; a cancelled waiter gets `CancellationError`.
// @unchecked: every stored property is read and written under `lock`.
final class OneShot<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var result: Result<Value, any Error>?
    private var waiter: CheckedContinuation<Value, any Error>?
    private var fulfilled = false

    /// The first call wins; later ones do nothing.
    func fulfil(_ value: Result<Value, any Error>) {
        lock.lock()
        guard !fulfilled else {
            lock.unlock()
            return
        }
        fulfilled = true
        if let waiter {
            self.waiter = nil
            lock.unlock()
            waiter.resume(with: value)
        } else {
            result = value
            lock.unlock()
        }
    }

    func wait() async throws -> Value {
        try await withTaskCancellationHandler {
            try await waitIgnoringCancellation()
        } onCancel: {
            fulfil(.failure(CancellationError()))
        }
    }

    func waitIgnoringCancellation() async throws -> Value {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Value, any Error>) in
            lock.lock()
            if let result {
                self.result = nil
                lock.unlock()
                continuation.resume(with: result)
            } else {
                waiter = continuation
                lock.unlock()
            }
        }
    }
}

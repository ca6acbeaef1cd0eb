import Foundation
import Logging
import NIOCore
import PostgresNIO

/// One `COPY … FROM STDIN` kept open across many chunks, so that rows stream into the server
/// with no statement between them (postgres-nio's `copyFrom` hands its writer only to a closure;
/// the closure here parks until the session ends the COPY, and the session writes meanwhile).
///
/// ```
/// open ──▶ task: copyFrom { writer ──▶ ready ; park until `end` } ──▶ CopyDone ──▶ CommandComplete
/// write(chunk) ×N ──▶ writer.write: suspends while the socket is full (the backpressure)
/// finish ──▶ end(success) ──▶ the task's result: the server's verdict on every row sent
/// cancel ──▶ end(failure) ──▶ CopyFail: the server leaves copy mode, the statement fails
/// ```
final class PostgresOpenCopy: Sendable {
    /// Which of the session's tables this COPY fills.
    let table: Int
    private let writer: PostgresCopyFromWriter
    private let end: OneShot<Void>
    private let task: Task<Void, any Error>

    private init(table: Int, writer: PostgresCopyFromWriter, end: OneShot<Void>, task: Task<Void, any Error>) {
        self.table = table
        self.writer = writer
        self.end = end
        self.task = task
    }

    /// Starts the COPY and returns once the server is ready for data (or throws its refusal).
    static func start(
        table: Int, copyTarget: String, connection: PostgresConnection, logger: Logger
    ) async throws -> PostgresOpenCopy {
        let ready = OneShot<PostgresCopyFromWriter>()
        let end = OneShot<Void>()
        let task = Task {
            do {
                try await connection.copyFrom(table: copyTarget, logger: logger) { writer in
                    ready.fulfil(.success(writer))
                    try await end.wait()
                }
            } catch {
                ready.fulfil(.failure(error))
                throw error
            }
        }
        do {
            let writer = try await withTaskCancellationHandler {
                try await ready.wait()
            } onCancel: {
                task.cancel()
            }
            return PostgresOpenCopy(table: table, writer: writer, end: end, task: task)
        } catch {
            task.cancel()
            _ = await task.result
            throw error
        }
    }

    /// Sends a chunk of whole rows; suspends while postgres-nio's channel is not writable.
    func write(_ chunk: ByteBuffer) async throws {
        try await writer.write(chunk)
    }

    /// Ends the COPY and waits for the server's answer (an error in any row surfaces here).
    /// Cancelling the waiting task fails the COPY instead.
    func finish() async throws {
        end.fulfil(.success(()))
        let task = self.task
        try await withTaskCancellationHandler {
            try await task.value
        } onCancel: {
            task.cancel()
        }
    }

    /// Fails the COPY (CopyFail) and waits until the connection has left copy mode.
    func cancel() async {
        end.fulfil(.failure(CancellationError()))
        task.cancel()
        _ = await task.result
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
        } onCancel: {
            fulfil(.failure(CancellationError()))
        }
    }
}

import MicsVocabulary
import MicsProject
import MicsExport
import AsyncHTTPClient
import Foundation
import NIOCore

/// The retry loop every call goes through.
///
///     attempt ──2xx──▶ handle(response) ──▶ value
///        │ 429, 5xx, connection error          │ body read fails (idempotent only)
///        ▼                                     ▼
///     wait (Retry-After or backoff) ◀──────────┘   … at most `retry.maxAttempts` in all
///        │ other 4xx: fatal, never retried (401, 403, 404 …)
extension APIClient {
    /// Sends `request`, retrying transient failures, and hands a 2xx response (body unread)
    /// to `handle`. A failure inside `handle` that is not an `ExportError` (the connection
    /// dropped mid-body) counts as transient for idempotent requests.
    package func send<T>(
        _ request: APIRequest,
        timeout: TimeAmount? = nil,
        _ handle: (HTTPClientResponse) async throws -> T
    ) async throws -> T {
        var attempt = 0
        while true {
            attempt += 1
            try await hostPause.wait()
            var outcome = await self.attempt(request, timeout: timeout ?? requestTimeout)
            if case .success(let response) = outcome {
                do {
                    return try await handle(response)
                } catch let error as ExportError {
                    throw error
                } catch is CancellationError {
                    throw CancellationError()
                } catch {
                    guard request.isIdempotent else { throw unavailable(request, "\(error)") }
                    outcome = .transient(summary: "connection lost while reading the answer: \(error)", retryAfter: nil)
                }
            }
            switch outcome {
            case .success:
                continue  // unreachable: handled above
            case .fatal(let error):
                throw error
            case .transient(let summary, let retryAfter):
                // The host asked every request to wait, not only this one.
                if let retryAfter { hostPause.hold(for: retry.delay(beforeRetry: attempt, retryAfter: retryAfter)) }
                guard attempt < (request.maxAttempts ?? retry.maxAttempts) else {
                    throw unavailable(
                        request,
                        "gave up after \(attempt) attempts; last answer: \(summary)",
                        hint: "the API or the network is unavailable; try again later"
                    )
                }
                try await Task.sleep(for: retry.delay(beforeRetry: attempt, retryAfter: retryAfter))
            }
        }
    }

    /// Sends `request` and returns the whole body (bounded: API answers are small).
    package func sendCollecting(_ request: APIRequest, limit: Int = 64 << 20) async throws -> ByteBuffer {
        try await send(request) { response in
            try await response.body.collect(upTo: limit)
        }
    }

    /// Sends `request` and decodes the enveloped answer.
    package func sendDecoding<T: Decodable>(_ type: T.Type, _ request: APIRequest) async throws -> APIEnvelope<T> {
        let body = try await sendCollecting(request)
        do {
            return try JSONDecoder().decode(APIEnvelope<T>.self, from: Data(body.readableBytesView))
        } catch {
            throw unavailable(
                request,
                "unexpected answer from the API (not the JSON expected): \(Self.describe(decoding: error))"
            )
        }
    }

    private func attempt(_ request: APIRequest, timeout: TimeAmount) async -> AttemptOutcome {
        var http = HTTPClientRequest(url: request.url(base: baseURL))
        switch request.method {
        case .get: http.method = .GET
        case .post: http.method = .POST
        case .head: http.method = .HEAD
        }
        http.headers.add(name: "Authorization", value: token)
        http.headers.add(name: "Accept", value: "application/json")
        http.headers.add(name: "User-Agent", value: "mics-export/\(MicsExportVersion.string)")
        for (name, value) in request.headers { http.headers.add(name: name, value: value) }
        if let body = request.body {
            http.headers.add(name: "Content-Type", value: "application/json")
            http.body = .bytes(ByteBuffer(bytes: body))
        }
        let response: HTTPClientResponse
        do {
            response = try await self.http.execute(http, timeout: timeout)
        } catch is CancellationError {
            return .fatal(ExportError(.other, "cancelled", at: request.location))
        } catch {
            return .transient(summary: "connection failed: \(error)", retryAfter: nil)
        }
        let code = response.status.code
        if (200..<300).contains(code) || request.alsoAccepted.contains(code) {
            return .success(response)
        }
        let body = (try? await response.body.collect(upTo: 1 << 20)) ?? ByteBuffer()
        let summary = describe(code: code, reason: response.status.reasonPhrase, body: body)
        let retryable = code == 429 || code == 503 || (request.isIdempotent && code >= 500)
        if retryable {
            let retryAfter = RetryPolicy.parseRetryAfter(response.headers.first(name: "Retry-After"))
            return .transient(summary: summary, retryAfter: retryAfter)
        }
        return .fatal(unavailable(request, summary, hint: Self.hint(forStatus: code)))
    }

    /// `Resource Not Found (error_id 9eed…)` from the error envelope, else `HTTP 404 Not Found`
    /// and the start of the body.
    package func describe(code: UInt, reason: String, body: ByteBuffer) -> String {
        let bytes = Data(body.readableBytesView)
        if let envelope = try? JSONDecoder().decode(APIErrorEnvelope.self, from: bytes), let summary = envelope.summary
        {
            return "\(summary) [HTTP \(code)]"
        }
        var text = "HTTP \(code) \(reason)"
        let snippet = String(decoding: bytes.prefix(200), as: UTF8.self)
            .filter { !$0.isNewline && $0.asciiValue.map { $0 >= 32 } ?? true }
        if !snippet.isEmpty { text += ": \(snippet)" }
        return text
    }

    package func unavailable(_ request: APIRequest, _ message: String, hint: String? = nil) -> ExportError {
        ExportError(.unavailable, redact(message), at: request.location, hint: hint)
    }

    package static func hint(forStatus code: UInt) -> String? {
        switch code {
        case 401: return "check the API token (MICS_API_TOKEN or --token)"
        case 403: return "the token's user may not see this organisation or export"
        case 404: return "check the ids (export, execution, organisation)"
        default: return nil
        }
    }

    package static func describe(decoding error: Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            return "missing '\(key.stringValue)' at \(path(context.codingPath))"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            return "unexpected value at \(path(context.codingPath))"
        case DecodingError.dataCorrupted(let context):
            return "invalid JSON at \(path(context.codingPath))"
        default:
            return "\(error)"
        }
    }

    private static func path(_ keys: [CodingKey]) -> String {
        keys.isEmpty ? "top level" : keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }
}

/// The time before which no request goes to the host (a `Retry-After` it sent).
// @unchecked: `until` is only touched under `lock`.
package final class HostPause: @unchecked Sendable {
    private let lock = NSLock()
    private var until: ContinuousClock.Instant?

    package init() {}

    /// No request before `now + delay` (a later pause already set stays).
    package func hold(for delay: Duration) {
        let end = ContinuousClock.now + delay
        lock.withLock {
            if until.map({ $0 < end }) ?? true { until = end }
        }
    }

    /// Waits until the pause, if any, is over.
    package func wait() async throws {
        guard let end = lock.withLock({ until }), end > ContinuousClock.now else { return }
        try await Task.sleep(until: end, clock: .continuous)
    }
}

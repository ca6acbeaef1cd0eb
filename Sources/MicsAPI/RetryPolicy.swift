import MicsVocabulary
import MicsProject
import MicsExport
import Foundation

/// How often and how patiently the client retries a request that failed for a reason that
/// may pass: a connection error, `429 Too Many Requests`, or a `5xx`.
///
/// Delays grow exponentially (`baseDelay`, ×2 each retry, capped at `maxDelay`) with
/// "equal jitter" (a random half of the delay is dropped) so that many clients that failed
/// together do not retry together. A `Retry-After` answer (seconds) is honoured as is,
/// capped at `maxRetryAfter`. Tests use tiny delays.
public struct RetryPolicy: Sendable {
    /// Attempts in all, the first one included. 1 means no retry.
    public var maxAttempts: Int
    public var baseDelay: Duration
    public var maxDelay: Duration
    public var maxRetryAfter: Duration

    public init(
        maxAttempts: Int = 6,
        baseDelay: Duration = .milliseconds(500),
        maxDelay: Duration = .seconds(30),
        maxRetryAfter: Duration = .seconds(300)
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxRetryAfter = maxRetryAfter
    }

    /// For tests: many quick attempts.
    public static let fast = RetryPolicy(
        maxAttempts: 5,
        baseDelay: .milliseconds(1),
        maxDelay: .milliseconds(10),
        maxRetryAfter: .milliseconds(20)
    )

    /// The wait before retry number `retry` (1 for the first retry).
    /// - Parameter unit: a random number in 0..<1 (injectable for tests).
    public func delay(
        beforeRetry retry: Int,
        retryAfter: Duration? = nil,
        unit: Double = .random(in: 0..<1)
    ) -> Duration {
        if let retryAfter {
            return min(max(retryAfter, .zero), maxRetryAfter)
        }
        let exponent = min(max(retry - 1, 0), 30)
        let full = min(baseDelay * (1 << exponent), maxDelay)
        return full / 2 + (full / 2) * unit
    }

    /// `Retry-After: 7` → 7 s; `Retry-After: Wed, 21 Oct 2026 07:28:00 GMT` → the time until
    /// then (zero if past). Anything else is nil: the normal backoff applies.
    package static func parseRetryAfter(_ value: String?, now: Date = Date()) -> Duration? {
        guard let text = value?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        if let seconds = Int(text) { return seconds >= 0 ? .seconds(seconds) : nil }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: text) else { return nil }
        return .milliseconds(max(0, Int64(date.timeIntervalSince(now) * 1000)))
    }
}

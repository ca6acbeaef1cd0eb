import MicsVocabulary
import MicsProject
import MicsExport
import AsyncHTTPClient
import Foundation
import NIOCore

/// A client of the platform's Query Exports API (see `reference/query-exports-api.md`).
///
/// It sends the API token raw in `Authorization` (no `Bearer`), unwraps the
/// `{"status","data"}` envelope, pages lists, and retries what may pass (connection errors,
/// 429, 5xx) per its `RetryPolicy`. Every failure is an `ExportError` whose text never holds
/// the token. Call `shutdown()` when done (or use `withClient`).
public final class APIClient: Sendable {
    public static let defaultBaseURL = "https://api.mediarithmics.com"

    /// Scheme, host, port and path prefix, without a trailing `/`.
    public let baseURL: String
    package let token: String
    package let http: HTTPClient
    public let retry: RetryPolicy
    /// Deadline for one JSON request (downloads use `downloadTimeout`, per connection).
    package let requestTimeout: TimeAmount
    package let downloadTimeout: TimeAmount
    /// After a `Retry-After` (429, 503) on any request, a HEAD too: no request to the API's
    /// host before it has passed (one client talks to one host).
    package let hostPause = HostPause()

    /// - Throws: `ExportError(.usage)` for a malformed URL, an empty token, or a plain
    ///   `http://` URL whose host is not loopback (the token would travel in clear text).
    public init(
        baseURL: String = APIClient.defaultBaseURL,
        token: String,
        retry: RetryPolicy = RetryPolicy(),
        requestTimeout: Duration = .seconds(60),
        readTimeout: Duration = .seconds(120),
        connectTimeout: Duration = .seconds(15)
    ) throws {
        self.baseURL = try Self.checkedBaseURL(baseURL)
        guard !token.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw ExportError(
                .usage,
                "no API token",
                hint: "set MICS_API_TOKEN or pass --token (mediarithmics: your API token)"
            )
        }
        self.token = token
        self.retry = retry
        self.requestTimeout = Self.timeAmount(requestTimeout)
        self.downloadTimeout = .hours(48)
        var config = HTTPClient.Configuration(
            // AHC keeps trying a refused connection until this passes: it bounds each attempt.
            timeout: .init(connect: Self.timeAmount(connectTimeout), read: Self.timeAmount(readTimeout)),
            decompression: .disabled  // gzip bytes go to our own inflate stage untouched
        )
        // Redirects keep working; AHC drops `Authorization` when one leaves the origin.
        config.redirectConfiguration = .follow(max: 5, allowCycles: false)
        self.http = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: config)
    }

    public func shutdown() async throws {
        try await http.shutdown()
    }

    /// Runs `body` with a client and shuts it down afterwards, whether `body` throws or not.
    public static func withClient<T>(
        baseURL: String,
        token: String,
        retry: RetryPolicy = RetryPolicy(),
        _ body: (APIClient) async throws -> T
    ) async throws -> T {
        let client = try APIClient(baseURL: baseURL, token: token, retry: retry)
        do {
            let value = try await body(client)
            try? await client.shutdown()
            return value
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    /// Replaces the token wherever it might have slipped into a text meant for the user.
    package func redact(_ text: String) -> String {
        token.count >= 4 ? text.replacingOccurrences(of: token, with: "<token>") : text
    }

    package static func checkedBaseURL(_ raw: String) throws -> String {
        var text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        while text.hasSuffix("/") { text.removeLast() }
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), let host = url.host,
            !host.isEmpty, url.query == nil
        else {
            throw ExportError(
                .usage,
                "invalid API URL '\(raw)'",
                hint: "expected e.g. https://api.mediarithmics.com"
            )
        }
        switch scheme {
        case "https":
            return text
        case "http" where isLoopback(host):
            return text
        case "http":
            throw ExportError(
                .usage,
                "refusing to send the API token over plain http:// to '\(host)'",
                hint: "use https://, or http:// only to a loopback address (127.0.0.1, localhost, ::1)"
            )
        default:
            throw ExportError(.usage, "unsupported URL scheme '\(scheme)' in the API URL", hint: "use https://")
        }
    }

    package static func timeAmount(_ d: Duration) -> TimeAmount {
        .nanoseconds(d.components.seconds * 1_000_000_000 + d.components.attoseconds / 1_000_000_000)
    }

    /// 127.0.0.0/8, `localhost`, `::1`.
    package static func isLoopback(_ rawHost: String) -> Bool {
        var host = rawHost.lowercased()
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host == "localhost" || host == "::1" || host == "0:0:0:0:0:0:0:1" { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, parts.allSatisfy({ $0.count <= 3 && UInt8($0) != nil }) else { return false }
        return parts[0] == "127"
    }
}

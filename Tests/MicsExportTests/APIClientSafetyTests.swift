import Foundation
import Testing

@testable import MicsAPI
@testable import MicsDecode
@testable import MicsExport
@testable import MicsPipelines
@testable import MicsProject
@testable import MicsSandbox
@testable import MicsSink
@testable import MicsVocabulary

@Suite("Where the token may go")
struct APIClientSafetyTests {
    @Test(arguments: [
        "http://api.mediarithmics.com", "http://10.0.0.1:8080", "http://127.example.com", "http://128.0.0.1",
    ])
    func plainHTTPToANonLoopbackHostIsRefused(url: String) {
        let error = #expect(throws: ExportError.self) { try APIClient(baseURL: url, token: "secret-token-42") }
        #expect(error?.kind == .usage)
        #expect(error?.kind.exitCode == 64)
        #expect(error.map { "\($0)" }?.contains("secret-token-42") == false)
    }

    @Test(arguments: [
        "https://api.mediarithmics.com", "http://127.0.0.1:8080", "http://127.1.2.3", "http://localhost:9",
        "http://[::1]:8080/", "https://example.com/prefix/",
    ])
    func httpsOrLoopbackIsAccepted(url: String) async throws {
        let client = try APIClient(baseURL: url, token: "secret-token-42")
        #expect(!client.baseURL.hasSuffix("/"))
        try await client.shutdown()
    }

    @Test(arguments: ["", "ftp://x.y", "not a url", "https://"])
    func aMalformedURLIsAUsageError(url: String) {
        let error = #expect(throws: ExportError.self) { try APIClient(baseURL: url, token: "secret-token-42") }
        #expect(error?.kind == .usage)
    }

    @Test func anEmptyTokenIsAUsageError() {
        let error = #expect(throws: ExportError.self) { try APIClient(baseURL: "https://a.b", token: " ") }
        #expect(error?.kind == .usage)
    }

    @Test func theTokenIsRedactedFromAnyMessage() async throws {
        let client = try APIClient(baseURL: "https://a.b", token: "secret-token-42")
        #expect(client.redact("echo: secret-token-42!") == "echo: <token>!")
        try await client.shutdown()
    }

    @Test func backoffGrowsWithJitterAndHonoursRetryAfter() {
        let policy = RetryPolicy(maxAttempts: 6, baseDelay: .milliseconds(100), maxDelay: .seconds(1))
        #expect(policy.delay(beforeRetry: 1, unit: 0) == .milliseconds(50))
        #expect(policy.delay(beforeRetry: 1, unit: 0.999) < .milliseconds(100))
        #expect(policy.delay(beforeRetry: 3, unit: 0) == .milliseconds(200))
        #expect(policy.delay(beforeRetry: 20, unit: 1) == .seconds(1))
        #expect(policy.delay(beforeRetry: 1, retryAfter: .seconds(7)) == .seconds(7))
        #expect(policy.delay(beforeRetry: 1, retryAfter: .seconds(9_999)) == .seconds(300))
        #expect(RetryPolicy.parseRetryAfter(" 12 ") == .seconds(12))
        let now = Date(timeIntervalSince1970: 1_445_412_470)  // 2015-10-21 07:27:50 GMT
        #expect(RetryPolicy.parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", now: now) == .seconds(10))
        #expect(RetryPolicy.parseRetryAfter("Wed, 21 Oct 2015 07:27:00 GMT", now: now) == .zero)
        #expect(RetryPolicy.parseRetryAfter("soon") == nil)
    }
}

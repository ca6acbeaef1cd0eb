import MicsVocabulary
import MicsProject
import MicsExport
import AsyncHTTPClient
import NIOCore

/// One call to the API, before the base URL and the token are added.
package struct APIRequest: Sendable {
    package var method: APIMethod = .get
    /// Already percent-encoded path, from the root: `/v1/exports/9879`.
    package var path: String
    package var query: [(String, String)] = []
    package var body: [UInt8]? = nil
    package var headers: [(String, String)] = []
    /// Status codes besides 2xx that the caller handles itself (e.g. 416 on a resume).
    package var alsoAccepted: Set<UInt> = []
    /// Overrides the policy's attempts (a best-effort probe tries once).
    package var maxAttempts: Int? = nil

    /// `GET /v1/exports/9879`: where, for error messages (no query string, no token).
    package var location: String { "\(method.rawValue) \(path)" }

    /// GETs are retried on any transient failure; a POST only when the server surely did
    /// not act on it (429, 503), so that a retry never starts a second execution.
    package var isIdempotent: Bool { method != .post }

    package func url(base: String) -> String {
        guard !query.isEmpty else { return base + path }
        let items = query.map { "\(Self.encodeQuery($0.0))=\(Self.encodeQuery($0.1))" }
        return base + path + "?" + items.joined(separator: "&")
    }

    /// Everything but RFC 3986 unreserved characters is escaped.
    package static func encodeQuery(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }
}

extension String {
    package func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}

/// The verbs the API needs (kept here so callers need not import NIOHTTP1).
package enum APIMethod: String, Sendable {
    case get = "GET"
    case post = "POST"
    case head = "HEAD"
}

/// What one attempt gave.
package enum AttemptOutcome {
    case success(HTTPClientResponse)
    /// Worth another try; `summary` is what the user sees if it was the last one.
    case transient(summary: String, retryAfter: Duration?)
    case fatal(ExportError)
}

import MicsVocabulary
import MicsAPI
import Foundation
import Hummingbird

/// In front of every route: injects the counted faults (429, 503), then checks the token
/// the way the platform does (raw `Authorization`, a 401 error envelope otherwise).
package struct SandboxGate: RouterMiddleware {
    package typealias Context = BasicRequestContext
    package let state: SandboxState
    package let token: String

    package func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws
        -> Response
    {
        await state.countRequest()
        if let fault = await state.nextRequestFault() {
            if fault.status == 429 {
                var headers = HTTPFields()
                headers[.retryAfter] = String(fault.retryAfter)
                return SandboxEnvelope.error(.tooManyRequests, "Too Many Requests", headers: headers)
            }
            return SandboxEnvelope.error(.serviceUnavailable, "Service Unavailable")
        }
        guard request.headers[.authorization] == token else {
            return SandboxEnvelope.error(.unauthorized, "Authentication failed: missing or invalid API token")
        }
        return try await next(request, context)
    }
}

/// Reading the request: paging parameters and small JSON bodies.
extension Request {
    package func intParameter(_ name: String) -> Int? {
        uri.queryParameters[name[...]].flatMap { Int($0) }
    }

    package func stringParameter(_ name: String) -> String? {
        uri.queryParameters[name[...]].map(String.init)
    }

    /// The body as a JSON object, or nil when it is not one.
    package mutating func jsonObject() async throws -> [String: Any]? {
        let buffer = try await collectBody(upTo: 1 << 20)
        let data = Data(buffer.readableBytesView)
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    }
}

/// One page of `items` per `first_result` / `max_results`.
package func sandboxPage(_ items: [SandboxJSON], request: Request, defaultSize: Int) -> Response {
    let first = max(0, request.intParameter("first_result") ?? 0)
    let size = min(
        max(1, request.intParameter("max_results") ?? request.intParameter("max_result") ?? defaultSize),
        1000
    )
    let slice = first < items.count ? Array(items[first..<min(items.count, first + size)]) : []
    return SandboxEnvelope.page(slice, total: items.count, first: first, max: size)
}

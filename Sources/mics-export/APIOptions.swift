import ArgumentParser
import Foundation
import MicsAPI
import MicsExport
import MicsPipelines
import MicsSandbox

/// Where the API is and who we are, shared by every command that talks to it.
/// The token is best given through the environment: a flag shows in `ps` and shell history.
struct APIOptions: ParsableArguments {
    @Option(
        name: .customLong("api-url"),
        help: "API base URL (env MICS_API_URL; default https://api.mediarithmics.com)."
    )
    var apiURL: String?

    @Option(
        help: ArgumentHelp(
            "API token, sent raw in Authorization (env MICS_API_TOKEN; prefer the env).",
            valueName: "token"
        )
    )
    var token: String?

    @Option(help: "Attempts per request on 429, 5xx and connection errors (default 6).")
    var maxAttempts: Int?

    var baseURL: String {
        apiURL ?? ProcessInfo.processInfo.environment["MICS_API_URL"].flatMap { $0.isEmpty ? nil : $0 }
            ?? APIClient.defaultBaseURL
    }

    func validate() throws {
        if let maxAttempts, maxAttempts < 1 { throw ValidationError("--max-attempts must be at least 1") }
    }

    /// A client for these options (the caller shuts it down, see `withClient`).
    func makeClient() throws -> APIClient {
        let token = self.token ?? ProcessInfo.processInfo.environment["MICS_API_TOKEN"] ?? ""
        var retry = RetryPolicy()
        if let maxAttempts { retry.maxAttempts = maxAttempts }
        return try APIClient(baseURL: baseURL, token: token, retry: retry)
    }

    /// Runs `body` with a client, shut down afterwards; errors print and exit as `CLI.guarded` does.
    func withClient(_ body: (APIClient) async throws -> Void) async throws {
        try await CLI.guarded {
            let client = try makeClient()
            do {
                try await body(client)
            } catch {
                try? await client.shutdown()
                throw error
            }
            try? await client.shutdown()
        }
    }
}

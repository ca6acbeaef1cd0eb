@testable import MicsAPI
@testable import MicsDecode
@testable import MicsExport
@testable import MicsPipelines
@testable import MicsProject
@testable import MicsSandbox
@testable import MicsSink
@testable import MicsVocabulary

/// A sandbox on 127.0.0.1, port 0, with fast executions, and a client with tiny retry
/// delays; both shut down after `body`, whether it throws or not.
func withSandbox<T>(
    options: SandboxOptions = SandboxOptions(pendingFor: .milliseconds(100), runFor: .milliseconds(300)),
    retry: RetryPolicy = .fast,
    _ body: (SandboxServer, APIClient) async throws -> T
) async throws -> T {
    let sandbox = try await SandboxServer.start(options: options)
    let client: APIClient
    do {
        client = try APIClient(baseURL: sandbox.url, token: sandbox.token, retry: retry)
    } catch {
        await sandbox.stop()
        throw error
    }
    do {
        let value = try await body(sandbox, client)
        try await client.shutdown()
        await sandbox.stop()
        return value
    } catch {
        try? await client.shutdown()
        await sandbox.stop()
        throw error
    }
}

/// Reads a whole input (for tests only: real callers stream).
func collect(_ source: InputSource) async throws -> [UInt8] {
    var out: [UInt8] = []
    for try await chunk in try await source.open() { out += chunk }
    return out
}

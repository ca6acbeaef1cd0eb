import MicsPipelines
import MicsVocabulary

extension SandboxLauncher {
    /// The in-process sandbox on a free loopback port, seeded from the bundled fixtures.
    public static let inProcess = SandboxLauncher {
        let server = try await SandboxServer.start()
        let first = try SandboxSeed.defaultDirectory().flatMap { try SandboxSeed.load(directory: $0).exports.first?.id }
        return .init(
            url: server.url, token: server.token, organisationID: server.organisationID, firstExportID: first,
            stop: { await server.stop() })
    }
}

import MicsPipelines
import MicsVocabulary

extension SandboxLauncher {
    /// The in-process sandbox on a free loopback port, seeded from the bundled fixtures.
    public static let inProcess = SandboxLauncher {
        let server = try await SandboxServer.start()
        return .init(
            url: server.url, token: server.token, organisationID: server.organisationID,
            firstExportID: server.firstExportID,
            stop: { await server.stop() })
    }
}

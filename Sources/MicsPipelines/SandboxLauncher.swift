import Foundation

/// Starts the local sandbox for `sandbox: true` sources. The pipeline files target links no
/// HTTP server: the CLI (and tests) hand in the one from `MicsSandbox`.
public struct SandboxLauncher: Sendable {
    /// A sandbox that is listening.
    public struct Running: Sendable {
        public var url: String
        public var token: String
        public var organisationID: String
        /// The first export of its seed, read when a pipeline names none.
        public var firstExportID: String?
        public var stop: @Sendable () async -> Void

        public init(
            url: String, token: String, organisationID: String, firstExportID: String?,
            stop: @escaping @Sendable () async -> Void
        ) {
            self.url = url
            self.token = token
            self.organisationID = organisationID
            self.firstExportID = firstExportID
            self.stop = stop
        }
    }

    public var start: @Sendable () async throws -> Running

    public init(start: @escaping @Sendable () async throws -> Running) {
        self.start = start
    }
}

import MicsVocabulary
import MicsPipelines
import MicsAPI
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// A local stand-in of the Query Exports API, on Hummingbird, that runs in-process: the
/// tests start one on `127.0.0.1` port 0 and talk to it over real HTTP; `mics-export
/// sandbox` starts one for users to try the tool without an account.
///
/// ```swift
/// let sandbox = try await SandboxServer.start()
/// let client = try APIClient(baseURL: sandbox.url, token: sandbox.token)
/// …
/// await sandbox.stop()
/// ```
public final class SandboxServer: Sendable {
    /// `http://127.0.0.1:PORT`
    public let url: String
    public let port: Int
    public let token: String
    public let organisationID: String
    /// The seed's first export (what a pipeline with `sandbox: true` and no `export` reads).
    public let firstExportID: String?
    package let state: SandboxState
    private let group: ServiceGroup
    private let task: Task<Void, Error>

    private init(
        url: String,
        port: Int,
        token: String,
        organisationID: String,
        firstExportID: String?,
        state: SandboxState,
        group: ServiceGroup,
        task: Task<Void, Error>
    ) {
        self.url = url
        self.port = port
        self.token = token
        self.organisationID = organisationID
        self.firstExportID = firstExportID
        self.state = state
        self.group = group
        self.task = task
    }

    /// Starts a sandbox seeded from `dataDirectory` (default: the bundled `Fixtures/sandbox`).
    /// - Parameter host: only loopback hosts make sense: the sandbox is for this machine.
    public static func start(
        host: String = "127.0.0.1",
        port: Int = 0,
        dataDirectory: String? = nil,
        options: SandboxOptions = SandboxOptions()
    ) async throws -> SandboxServer {
        guard let directory = dataDirectory ?? SandboxSeed.defaultDirectory() else {
            throw ExportError(.usage, "no sandbox data found", hint: "pass --data DIR (a folder holding seed.json)")
        }
        let seed = try SandboxSeed.load(directory: directory)
        let state = SandboxState(options: options)
        try await state.load(seed, directory: directory)
        let token = options.token ?? "sandbox-" + UUIDText.random().replacingOccurrences(of: "-", with: "")

        let router = Router()
        router.middlewares.add(SandboxGate(state: state, token: token))
        SandboxRoutes.add(to: router, state: state)
        SandboxDownloads.add(to: router, state: state)

        var logger = Logger(label: "mics-export.sandbox")
        logger.logLevel = .critical
        let (stream, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(host, port: port), serverName: "mics-export-sandbox"),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            },
            logger: logger
        )
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
        let task = Task { try await group.run() }
        var iterator = stream.makeAsyncIterator()
        guard let bound = await iterator.next(), bound > 0 else {
            task.cancel()
            _ = try? await task.value
            throw ExportError(.other, "the sandbox could not listen on \(host):\(port)")
        }
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return SandboxServer(
            url: "http://\(shownHost):\(bound)",
            port: bound,
            token: token,
            organisationID: seed.organisationID,
            firstExportID: seed.exports.first?.id,
            state: state,
            group: group,
            task: task
        )
    }

    /// Stops serving and waits until the port is closed.
    public func stop() async {
        await group.triggerGracefulShutdown()
        _ = try? await task.value
    }

    /// Serves until the task is cancelled or the server stops (the CLI's `sandbox`).
    public func wait() async throws {
        try await task.value
    }

    /// Arms the failures of `faults` (see `SandboxFaults`); counters go down as they fire.
    public func setFaults(_ faults: SandboxFaults) async {
        await state.setFaults(faults)
    }

    /// API requests served so far (faults included).
    public var requestCount: Int {
        get async { await state.requests }
    }

    /// Adds an export whose one execution has SUCCEEDED with these files (tests of odd names
    /// and large files). Returns the execution id.
    public func addExport(id: String, name: String, files: [(name: String, bytes: [UInt8])]) async -> String {
        let export = Export(id: id, organisationID: organisationID, name: name, queryID: "1", datamartID: "1509")
        return await state.addExport(export, files: files.map { ($0.name, .bytes($0.bytes)) }, finishedExecution: true)
            ?? ""
    }
}

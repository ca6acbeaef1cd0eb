import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO

/// Opens one connection, the way libpq would for the same settings, retrying what may pass
/// (refused, timed out, server starting up or full) a bounded number of times with backoff.
/// A refused login is not retried: the same password fails the same way.
public struct PostgresConnector: Sendable {
    public var settings: PostgresSettings
    /// Attempts in all (1 = no retry).
    public var attempts: Int
    /// The pause after the first failed attempt; doubled after each.
    public var backoff: Duration
    public var connectTimeout: Duration

    public init(
        settings: PostgresSettings, attempts: Int = 4, backoff: Duration = .milliseconds(250),
        connectTimeout: Duration = .seconds(10)
    ) {
        self.settings = settings
        self.attempts = max(1, attempts)
        self.backoff = backoff
        self.connectTimeout = connectTimeout
    }

    public func connect(logger: Logger = PostgresConnector.silentLogger) async throws -> PostgresConnection {
        let configuration = try makeConfiguration()
        var pause = backoff
        var attempt = 1
        while true {
            do {
                return try await PostgresConnection.connect(
                    configuration: configuration, id: attempt, logger: logger)
            } catch {
                let mapped = classify(error)
                guard mapped.retry, attempt < attempts, !Task.isCancelled else { throw mapped.error }
                try await Task.sleep(for: pause)
                pause *= 2
                attempt += 1
            }
        }
    }

    /// postgres-nio logs queries with their text at debug level; we keep it quiet.
    public static let silentLogger = Logger(label: "mics-export.postgres", factory: { _ in SwiftLogNoOpLogHandler() })

    func makeConfiguration() throws -> PostgresConnection.Configuration {
        let tls: PostgresConnection.Configuration.TLS
        do {
            switch settings.sslMode {
            case .disable:
                tls = .disable
            case .prefer, .require:
                // libpq's `prefer` and `require` encrypt but do not check the certificate.
                var tlsConfiguration = TLSConfiguration.makeClientConfiguration()
                tlsConfiguration.certificateVerification = .none
                let context = try NIOSSLContext(configuration: tlsConfiguration)
                tls = settings.sslMode == .require ? .require(context) : .prefer(context)
            case .verifyFull:
                let context = try NIOSSLContext(configuration: .makeClientConfiguration())
                tls = .require(context)
            }
        } catch {
            throw PostgresLoadError(.settings, "\(settings): cannot set up TLS: \(error)")
        }
        var configuration = PostgresConnection.Configuration(
            host: settings.host, port: settings.port, username: settings.user, password: settings.password,
            database: settings.database, tls: tls)
        configuration.options.connectTimeout = .nanoseconds(
            connectTimeout.components.seconds * 1_000_000_000 + connectTimeout.components.attoseconds / 1_000_000_000)
        configuration.options.additionalStartupParameters = [("application_name", settings.applicationName)]
        if settings.sslMode == .verifyFull {
            configuration.options.tlsServerName = settings.host
        }
        return configuration
    }

    /// Our error for a failed connection, and whether another attempt may succeed.
    func classify(_ error: any Error) -> (error: PostgresLoadError, retry: Bool) {
        let target = settings.description
        if error is CancellationError {
            return (PostgresLoadError(.cancelled, "connecting to \(target): cancelled"), false)
        }
        guard let psql = error as? PSQLError else {
            return (PostgresLoadError(.unreachable, "cannot connect to \(target): \(Self.describe(error))"), true)
        }
        switch psql.code {
        case .server:
            let state = psql.serverInfo?[.sqlState] ?? "?"
            let message = psql.serverInfo?[.message] ?? "the server refused the connection"
            let text = "\(message) (SQLSTATE \(state))"
            switch state {
            case "57P03", "53300", "53000":  // starting up / shutting down, too many connections, resources
                return (PostgresLoadError(.unreachable, "cannot connect to \(target): \(text)"), true)
            default:
                return (PostgresLoadError(.loginRefused, "cannot log in to \(target): \(text)"), false)
            }
        case .sslUnsupported:
            return (
                PostgresLoadError(
                    .loginRefused, "cannot connect to \(target): the server does not accept TLS (sslmode=require)"),
                false
            )
        case .authMechanismRequiresPassword:
            return (
                PostgresLoadError(
                    .loginRefused,
                    "cannot log in to \(target): the server asks for a password; put it in the URL or set PGPASSWORD"),
                false
            )
        case .unsupportedAuthMechanism, .saslError:
            return (
                PostgresLoadError(
                    .loginRefused, "cannot log in to \(target): authentication failed (\(psql.code))"),
                false
            )
        default:
            let cause = psql.underlying.map(Self.describe) ?? "\(psql.code)"
            return (PostgresLoadError(.unreachable, "cannot connect to \(target): \(cause)"), true)
        }
    }

    /// A short cause: `connection refused`, not NIO's whole error value.
    static func describe(_ error: any Error) -> String {
        if let io = error as? IOError {
            return io.description
        }
        if let nio = error as? NIOConnectionError {
            if let first = nio.connectionErrors.first {
                return describe(first.error)
            }
            if let dns = nio.dnsAAAAError ?? nio.dnsAError {
                return "cannot resolve the host name (\(dns))"
            }
            return "no address to connect to"
        }
        if error is ChannelError, case .connectTimeout = error as? ChannelError {
            return "timed out"
        }
        return "\(error)"
    }
}

/// Everything that can go wrong loading into PostgreSQL, as one error type with a kind the
/// command line maps to an exit code (SPEC.md §5, §11).
///
/// The message never holds the password: settings are shown by their `description`, and the
/// server's own messages (which never echo a password) are the only other text.
public struct PostgresLoadError: Error, Sendable, CustomStringConvertible, Equatable {
    public enum Kind: Sendable, Equatable {
        /// A URL, an environment variable or a table name that cannot be used (exit 64).
        case settings
        /// The server cannot be reached, or the connection was lost (exit 69).
        case unreachable
        /// The server refused the login: password, role, database, TLS (exit 69).
        case loginRefused
        /// `--if-exists fail` and the table is there, or `append` and a column is missing
        /// (exit 1: the database is fine, the request does not fit it).
        case conflict
        /// The server answered a statement with an error (exit 1), with its SQLSTATE.
        case server(sqlState: String)
        /// The load was cancelled (interrupt, or an error elsewhere in the pipeline).
        case cancelled
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }

    /// The sysexits code of SPEC.md §5.
    public var exitCode: Int32 {
        switch kind {
        case .settings: return 64
        case .unreachable, .loginRefused: return 69
        case .conflict, .server, .cancelled: return 1
        }
    }
}

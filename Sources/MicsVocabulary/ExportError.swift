/// The one error type a user sees: what went wrong, where, and how to fix it.
///
/// `kind` decides the process exit code (the sysexits family, see README "Exit codes").
public struct ExportError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable {
        /// Wrong usage: unknown flag, bad option value, sibling explodes. Exit 64.
        case usage
        /// Bad input data: a bad line, broken gzip, an invalid pipeline file. Exit 65.
        case badInput
        /// The API or the network failed (after retries). Exit 69.
        case unavailable
        /// The export's execution ended without a result (FAILED, LOST, CANCELED…). Exit 70.
        case executionFailed
        /// Anything else (I/O errors on output, internal errors). Exit 1.
        case other

        public var exitCode: Int32 {
            switch self {
            case .usage: return 64
            case .badInput: return 65
            case .unavailable: return 69
            case .executionFailed: return 70
            case .other: return 1
            }
        }
    }

    public var kind: Kind
    /// Where: `file.ndjson:1834`, `pipelines/x.yaml:3:5`, `GET /v1/exports`…
    public var location: String?
    public var message: String
    /// How to fix it, when there is something to say.
    public var hint: String?

    public init(_ kind: Kind, _ message: String, at location: String? = nil, hint: String? = nil) {
        self.kind = kind
        self.message = message
        self.location = location
        self.hint = hint
    }

    public var description: String {
        var text = location.map { "\($0): \(message)" } ?? message
        if let hint { text += "\n  hint: \(hint)" }
        return text
    }
}

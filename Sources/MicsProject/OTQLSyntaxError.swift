import MicsVocabulary
import MicsDecode
/// What is wrong with an OTQL query, and where, as numbers.
///
/// The position is kept apart from the text so that a caller holding the query inside a
/// larger file (a pipeline file's `query:` block) can move it into that file's coordinates
/// before building the `ExportError` a user sees.
public struct OTQLSyntaxError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: Sendable {
        /// The query is not OTQL as this parser reads it.
        case syntax
        /// The query is valid OTQL but an aggregation: it gives counts, not rows to project.
        case aggregation
    }

    public var kind: Kind
    /// 1-based line in the query text.
    public var line: Int
    /// 1-based column in the line, counted in Unicode scalars (a tab counts as one).
    public var column: Int
    /// The problem without the position: `expected '}' but found 'FROM'`.
    public var message: String
    public var hint: String?

    public init(kind: Kind = .syntax, line: Int, column: Int, message: String, hint: String? = nil) {
        self.kind = kind
        self.line = line
        self.column = column
        self.message = message
        self.hint = hint
    }

    /// `OTQL syntax error at line 3, column 1: expected '}' but found 'FROM'`.
    public var description: String {
        let what = kind == .syntax ? "OTQL syntax error" : "unsupported OTQL query"
        return "\(what) at line \(line), column \(column): \(message)"
    }

    /// The error as a user sees it: a usage error (exit 64), since the query is an argument.
    public func exportError(at location: String? = nil) -> ExportError {
        ExportError(.usage, description, at: location, hint: hint)
    }
}

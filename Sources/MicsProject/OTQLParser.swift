import MicsVocabulary
import MicsDecode
/// Reads the columns out of an OTQL query: a small recursive-descent parser over the tokens
/// of `OTQLLexer`.
///
///     query     := SELECT selection [FROM type [rest…]]
///     selection := '{' (field | ',')* '}'             at least one field
///     field     := name directive* [selection]
///     directive := '@' name ['(' balanced tokens ')']
///
/// What the parser decides on purpose:
/// - Directives after a field name (`name @map(limit:500)`, `@ScoreSum(min:3)`) are read and
///   dropped: they do not change which paths a line holds.
/// - A directive *in place of* a field (`SELECT @count{} …`, `{ @count }`,
///   `{ interests @map { @count } }`), or one followed by empty braces (`id @count{}`), is an
///   aggregation: the export gives counts, not rows, so there is nothing to project and the
///   query is refused (`OTQLSyntaxError.Kind.aggregation`). A directive after a named field
///   stays allowed whatever its name: the parser does not keep a list of directives.
/// - `SELECT`, `FROM` and `WHERE` are keywords in any case and never field names, so a
///   missing `}` is reported where the user sees it: `expected '}' but found 'FROM'`.
/// - Whatever follows the FROM type (WHERE …) only has to lex: strings and comments must be
///   closed, the rest is the server's business.
public enum OTQLParser {
    /// Parses `query`; a problem is an `ExportError(.usage, …)` naming the line and column.
    public static func parse(_ query: String) throws -> OTQLQuery {
        do {
            return try parseWithPosition(query)
        } catch {
            throw error.exportError()
        }
    }

    /// Parses `query`, keeping a problem's position as numbers (for callers that re-map it
    /// into the file the query came from).
    public static func parseWithPosition(_ query: String) throws(OTQLSyntaxError) -> OTQLQuery {
        var parser = try Parser(query)
        return try parser.query()
    }
}

extension OTQLParser {
    fileprivate struct Parser {
        package var lexer: OTQLLexer
        /// The one token of lookahead.
        package var token: OTQLToken
        /// Selections open around the current token: bounded, so a hostile query cannot
        /// overflow the stack (found by fuzzing: `SELECT {a{a{a…` 200,000 deep crashed).
        var depth = 0
        static let maxDepth = 256

        package init(_ query: String) throws(OTQLSyntaxError) {
            lexer = OTQLLexer(query)
            token = try lexer.next()
        }

        @discardableResult
        package mutating func consume() throws(OTQLSyntaxError) -> OTQLToken {
            let current = token
            token = try lexer.next()
            return current
        }

        package mutating func query() throws(OTQLSyntaxError) -> OTQLQuery {
            guard token.isKeyword("SELECT") else {
                throw expected("SELECT", hint: "an export's query reads SELECT { id … } FROM UserPoint WHERE …")
            }
            try consume()
            if token.isSymbol("@") { throw try aggregation() }
            guard token.isSymbol("{") else {
                throw expected("'{' after SELECT", hint: "put the fields in braces: SELECT { id emails { email } }")
            }
            let selection = try selectionSet(owner: nil)
            if token.kind == .end { return OTQLQuery(selection: selection, fromType: nil) }
            guard token.isKeyword("FROM") else { throw expected("FROM or end of query") }
            try consume()
            guard isName(token) else { throw expected("a type name after FROM", hint: "for example FROM UserPoint") }
            let fromType = try consume().text
            // WHERE and anything after it start with a word; a stray '}' or ',' is a mistake.
            guard token.kind == .word || token.kind == .end else { throw expected("WHERE or end of query") }
            while token.kind != .end { try consume() }
            return OTQLQuery(selection: selection, fromType: fromType)
        }

        /// `{ field … }`, the current token being the `{`. `owner` names the field it belongs to;
        /// `directive` is the one written just before the `{`, if any.
        package mutating func selectionSet(
            owner: String?, after directive: (at: OTQLToken, name: String)? = nil
        ) throws(OTQLSyntaxError) -> [OTQLField] {
            guard depth < Self.maxDepth else {
                throw OTQLSyntaxError(
                    line: token.line, column: token.column,
                    message: "selection nested deeper than \(Self.maxDepth) levels",
                    hint: "an export's selection is a few levels deep; check the braces")
            }
            depth += 1
            defer { depth -= 1 }
            let open = try consume()
            var fields: [OTQLField] = []
            while true {
                if token.isSymbol("}") {
                    try consume()
                    break
                }
                if token.isSymbol(",") {
                    try consume()
                } else if token.isSymbol("@") {
                    throw try aggregation()
                } else if isName(token) {
                    fields.append(try field())
                } else if token.kind == .end || isKeyword(token) {
                    // A keyword or the end: most likely a '}' is missing.
                    throw expected("'}'", hint: "each '{' needs a matching '}'")
                } else {
                    throw expected("a field name or '}'")
                }
            }
            // `id @count{}`: empty braces right after a directive are its own, an aggregation.
            if fields.isEmpty, let directive {
                throw aggregation(at: directive.at, name: directive.name)
            }
            if fields.isEmpty {
                let written = owner.map { "\($0) { }" } ?? "SELECT { }"
                throw OTQLSyntaxError(
                    line: open.line, column: open.column, message: "empty selection '\(written)'",
                    hint: "select at least one field inside the braces, e.g. \(owner ?? "SELECT") { id }")
            }
            return fields
        }

        package mutating func field() throws(OTQLSyntaxError) -> OTQLField {
            let name = try consume().text
            var lastDirective: (at: OTQLToken, name: String)?
            while token.isSymbol("@") { lastDirective = try directive() }
            guard token.isSymbol("{") else { return OTQLField(name: name) }
            return OTQLField(name: name, children: try selectionSet(owner: name, after: lastDirective))
        }

        /// `@name` or `@name(…)`; arguments may nest parentheses and hold strings.
        package mutating func directive() throws(OTQLSyntaxError) -> (at: OTQLToken, name: String) {
            let at = try consume()
            guard token.kind == .word else { throw expected("a directive name after '@'") }
            let directive = (at: at, name: "@" + (try consume()).text)
            guard token.isSymbol("(") else { return directive }
            let open = try consume()
            var depth = 1
            while depth > 0 {
                if token.kind == .end {
                    throw expected(
                        "')'", hint: "close the arguments opened at line \(open.line), column \(open.column)")
                }
                if token.isSymbol("(") { depth += 1 }
                if token.isSymbol(")") { depth -= 1 }
                try consume()
            }
            return directive
        }

        /// The error for a directive standing in place of a field; the current token is the `@`.
        package mutating func aggregation() throws(OTQLSyntaxError) -> OTQLSyntaxError {
            let at = try consume()
            return aggregation(at: at, name: token.kind == .word ? "@" + token.text : "@")
        }

        package func aggregation(at: OTQLToken, name: String) -> OTQLSyntaxError {
            OTQLSyntaxError(
                kind: .aggregation, line: at.line, column: at.column,
                message:
                    "aggregation queries (@count{} …) return counts, not rows: mics-export needs a SELECT of fields",
                hint: "'\(name)' stands where a field should be; select fields: SELECT { id emails { email } } …")
        }

        /// A field or type name: a word that starts with a letter or `_` and is not a keyword.
        package func isName(_ token: OTQLToken) -> Bool {
            guard token.kind == .word, let first = token.text.utf8.first else { return false }
            return !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) && !isKeyword(token)
        }

        package func isKeyword(_ token: OTQLToken) -> Bool {
            token.isKeyword("SELECT") || token.isKeyword("FROM") || token.isKeyword("WHERE")
        }

        package func expected(_ what: String, hint: String? = nil) -> OTQLSyntaxError {
            OTQLSyntaxError(
                line: token.line, column: token.column, message: "expected \(what) but found \(token.quoted)",
                hint: hint)
        }
    }
}

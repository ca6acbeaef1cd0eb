import MicsVocabulary
import MicsDecode
/// One token of an OTQL query, with the line and column (1-based, in Unicode scalars) where it starts.
package struct OTQLToken: Equatable {
    package enum Kind: Equatable {
        /// Letters, digits and `_`: field names, keywords, type names, numbers in WHERE.
        case word
        /// A quoted string (`"…"`, `'…'` or `` `…` ``); `text` is the source, quotes included.
        case string
        /// Any other single character: `{ } ( ) @ , :` and WHERE operators.
        case symbol
        case end
    }

    package var kind: Kind
    package var text: String
    package var line: Int
    package var column: Int

    /// `true` for a word equal to `keyword`, ignoring case (OTQL keywords are case-insensitive).
    package func isKeyword(_ keyword: String) -> Bool {
        kind == .word && text.uppercased() == keyword
    }

    package func isSymbol(_ symbol: Character) -> Bool {
        kind == .symbol && text == String(symbol)
    }

    /// How an error message names this token: `'FROM'`, `'}'`, `a string "abc"`, `end of query`.
    package var quoted: String {
        switch kind {
        case .word, .symbol: return "'\(text)'"
        case .string: return "a string \(text.count > 40 ? String(text.prefix(37)) + "…" : text)"
        case .end: return "end of query"
        }
    }
}

/// Splits an OTQL query into tokens, skipping whitespace, `# …` line comments and `/* … */`
/// block comments. Works over the UTF-8 bytes; the only errors are unterminated strings and
/// comments, everything else is a token the parser judges.
package struct OTQLLexer {
    private let bytes: [UInt8]
    private var index = 0
    private var line = 1
    private var column = 1

    package init(_ query: String) {
        bytes = Array(query.utf8)
    }

    package mutating func next() throws(OTQLSyntaxError) -> OTQLToken {
        try skipTrivia()
        let startLine = line
        let startColumn = column
        let start = index
        guard index < bytes.count else {
            return OTQLToken(kind: .end, text: "", line: line, column: column)
        }
        let kind: OTQLToken.Kind
        let byte = bytes[index]
        if Self.isWordByte(byte) {
            while index < bytes.count, Self.isWordByte(bytes[index]) { advance() }
            kind = .word
        } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") || byte == UInt8(ascii: "`") {
            try skipString(quote: byte, line: startLine, column: startColumn)
            kind = .string
        } else {
            // One character: a multi-byte scalar stays whole so messages can quote it.
            advance()
            while index < bytes.count, bytes[index] & 0xC0 == 0x80 { advance() }
            kind = .symbol
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        return OTQLToken(kind: kind, text: text, line: startLine, column: startColumn)
    }

    private static func isWordByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"):
            return true
        default:
            return false
        }
    }

    /// Moves past one byte, keeping line and column: a column is a Unicode scalar, so UTF-8
    /// continuation bytes do not count.
    private mutating func advance() {
        let byte = bytes[index]
        index += 1
        if byte == UInt8(ascii: "\n") {
            line += 1
            column = 1
        } else if byte & 0xC0 != 0x80 {
            column += 1
        }
    }

    private mutating func skipTrivia() throws(OTQLSyntaxError) {
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                advance()
            case UInt8(ascii: "#"):
                while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { advance() }
            case UInt8(ascii: "/") where index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "*"):
                let startLine = line
                let startColumn = column
                advance()
                advance()
                while !(index + 1 < bytes.count && bytes[index] == UInt8(ascii: "*")
                    && bytes[index + 1] == UInt8(ascii: "/"))
                {
                    guard index < bytes.count else {
                        throw OTQLSyntaxError(
                            line: startLine, column: startColumn, message: "unterminated comment '/*'",
                            hint: "close the comment with '*/'")
                    }
                    advance()
                }
                advance()
                advance()
            default:
                return
            }
        }
    }

    /// Skips a quoted string; a backslash escapes the next character (`"a \"b\""`).
    private mutating func skipString(quote: UInt8, line: Int, column: Int) throws(OTQLSyntaxError) {
        advance()
        while index < bytes.count {
            let byte = bytes[index]
            advance()
            if byte == quote { return }
            if byte == UInt8(ascii: "\\"), index < bytes.count { advance() }
        }
        let mark = Character(Unicode.Scalar(quote))
        throw OTQLSyntaxError(
            line: line, column: column, message: "unterminated string starting with \(mark)",
            hint: "close the string with a matching \(mark)")
    }
}

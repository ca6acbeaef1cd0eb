import MicsVocabulary
/// Why a line is not a valid record, and where (a byte offset in the line).
package struct ScanError: Error, Equatable {
    package enum Reason: Equatable {
        case expected(String)
        case invalidUTF8
        case controlCharacter
        case unterminatedString
        case invalidEscape
        /// A `\u` escape of half a UTF-16 surrogate pair (`"\ud800"`): not a character.
        case loneSurrogate
        /// `\u0000` when loading a database: PostgreSQL text cannot hold it (SPEC 11).
        case nulCharacter
        case invalidNumber
        case tooDeep
        case notAnObject
        case trailingData
        /// Not an error in the data, and never thrown by `JSONLineScanner.scan`: a selected
        /// key appears twice in one object, so the scanner reads the line again, taking the
        /// last occurrence.
        case duplicateSelectedKey
    }

    package var offset: Int
    package var reason: Reason

    /// `invalid JSON at column 57: expected ',' or '}'`
    package var message: String {
        let column = offset + 1
        switch reason {
        case .expected(let what): return "invalid JSON at column \(column): expected \(what)"
        case .invalidUTF8: return "invalid UTF-8 at column \(column)"
        case .controlCharacter: return "invalid JSON at column \(column): control character in a string (escape it)"
        case .unterminatedString: return "invalid JSON at column \(column): unterminated string"
        case .invalidEscape: return "invalid JSON at column \(column): invalid escape sequence"
        case .loneSurrogate:
            return "invalid text at column \(column): a \\u escape of a lone UTF-16 surrogate (\\ud800-\\udfff without its pair) is not a character"
        case .nulCharacter:
            return "invalid text at column \(column): \\u0000 (the character U+0000), which PostgreSQL text cannot hold"
        case .invalidNumber: return "invalid JSON at column \(column): invalid number"
        case .tooDeep: return "invalid JSON at column \(column): nested deeper than \(JSONLineScanner.maxDepth) levels"
        case .notAnObject: return "not a JSON object (each line must be one {…} record)"
        case .trailingData: return "invalid JSON at column \(column): unexpected data after the record"
        case .duplicateSelectedKey: return "duplicate key at column \(column)"
        }
    }
}

import Testing

@testable import MicsAPI
@testable import MicsDecode
@testable import MicsExport
@testable import MicsPipelines
@testable import MicsProject
@testable import MicsSandbox
@testable import MicsSink
@testable import MicsVocabulary

/// The bad-line matrix: every kind of broken line is refused with its reason and the byte
/// where it breaks, whether or not a column selects the broken value; every valid edge case
/// is accepted.
@Suite("JSON line scanner: invalid and edge-case lines")
struct JSONLineScannerValidationTests {
    struct Bad: CustomTestStringConvertible, Sendable {
        var line: [UInt8]
        var reason: ScanError.Reason
        var offset: Int
        init(_ text: String, _ reason: ScanError.Reason, at offset: Int) {
            self.init(Array(text.utf8), reason, at: offset)
        }
        init(_ line: [UInt8], _ reason: ScanError.Reason, at offset: Int) {
            self.line = line
            self.reason = reason
            self.offset = offset
        }
        var testDescription: String { String(decoding: line, as: UTF8.self).debugDescription }
    }

    static let commaOrBrace = ScanError.Reason.expected("',' or '}'")
    static let aValue = ScanError.Reason.expected("a value")

    /// `{"a":"` + bytes + `"}`: the bytes sit at offset 6.
    static func string(_ bytes: [UInt8]) -> [UInt8] { Array(#"{"a":""#.utf8) + bytes + Array(#""}"#.utf8) }

    static let nested513 = #"{"a":"# + String(repeating: "[", count: 512) + String(repeating: "]", count: 512) + "}"

    static let bad: [Bad] = [
        // Truncated.
        Bad(#"{"a":1"#, commaOrBrace, at: 6),
        Bad(#"{"a":"#, .expected("a value, found the end of the line"), at: 5),
        Bad(#"{"a"#, .unterminatedString, at: 3),
        Bad("{", .expected("a string key"), at: 1),
        Bad(#"{"a":"x"#, .unterminatedString, at: 7),
        Bad(#"{"a":"ab\"#, .unterminatedString, at: 8),
        Bad(#"{"a":nul"#, aValue, at: 5),
        // Bad escapes.
        Bad(#"{"a":"\x"}"#, .invalidEscape, at: 6),
        Bad(#"{"a":"\u12G4"}"#, .invalidEscape, at: 6),
        Bad(#"{"a":"\u12"}"#, .invalidEscape, at: 6),
        Bad(#"{"a":"\U0041"}"#, .invalidEscape, at: 6),
        // Control characters inside strings, values and keys.
        Bad(string([0x78, 0x09, 0x79]), .controlCharacter, at: 7),
        Bad(string([0x78, 0x0D, 0x79]), .controlCharacter, at: 7),
        Bad(string([0x00]), .controlCharacter, at: 6),
        Bad([0x7B, 0x22, 0x61, 0x01, 0x22, 0x3A, 0x31, 0x7D], .controlCharacter, at: 3),
        // Invalid UTF-8: stray continuation, cut sequences, overlongs, surrogates, > U+10FFFF.
        Bad(string([0x80]), .invalidUTF8, at: 6),
        Bad(string([0xC3]), .invalidUTF8, at: 6),
        Bad(string([0xC0, 0xAF]), .invalidUTF8, at: 6),
        Bad(string([0xC1, 0xBF]), .invalidUTF8, at: 6),
        Bad(string([0xE0, 0x80, 0xAF]), .invalidUTF8, at: 6),
        Bad(string([0xF0, 0x80, 0x80, 0xAF]), .invalidUTF8, at: 6),
        Bad(string([0xED, 0xA0, 0x80]), .invalidUTF8, at: 6),
        Bad(string([0xED, 0xBF, 0xBF]), .invalidUTF8, at: 6),
        Bad(string([0xF4, 0x90, 0x80, 0x80]), .invalidUTF8, at: 6),
        Bad(string([0xF5, 0x80, 0x80, 0x80]), .invalidUTF8, at: 6),
        Bad(string([0xFF]), .invalidUTF8, at: 6),
        Bad(string([0xE2, 0x82, 0x28]), .invalidUTF8, at: 6),
        Bad(string(Array("plain ascii ok ".utf8) + [0xE9] + Array(" then latin-1".utf8)), .invalidUTF8, at: 21),
        Bad([0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xE2, 0x82], .invalidUTF8, at: 6),
        Bad([0x7B, 0x22, 0xC3, 0x22, 0x3A, 0x31, 0x7D], .invalidUTF8, at: 2),
        // Lone surrogate escapes (SPEC 5): a high one alone, at the end, before a non-low
        // escape or a plain character; a low one alone; in a key too.
        Bad(#"{"a":"\ud800"}"#, .loneSurrogate, at: 6),
        Bad(#"{"a":"x\uD800"}"#, .loneSurrogate, at: 7),
        Bad(#"{"a":"\ud800\u0041"}"#, .loneSurrogate, at: 6),
        Bad(#"{"a":"\ud800\ud800"}"#, .loneSurrogate, at: 6),
        Bad(#"{"a":"\ud800x\udc00"}"#, .loneSurrogate, at: 6),
        Bad(#"{"a":"\udc00"}"#, .loneSurrogate, at: 6),
        Bad(#"{"a":"\ude00\ud83d"}"#, .loneSurrogate, at: 6),
        Bad(#"{"k\udbff":1}"#, .loneSurrogate, at: 3),
        Bad(#"{"a":["\ud83d\ude00","\udfff"]}"#, .loneSurrogate, at: 22),
        // Bad numbers.
        Bad(#"{"a":01}"#, commaOrBrace, at: 6),
        Bad(#"{"a":-01}"#, commaOrBrace, at: 7),
        Bad(#"{"a":1.}"#, .invalidNumber, at: 7),
        Bad(#"{"a":-}"#, aValue, at: 5),
        Bad(#"{"a":1e}"#, .invalidNumber, at: 7),
        Bad(#"{"a":1e+}"#, .invalidNumber, at: 8),
        Bad(#"{"a":+1}"#, aValue, at: 5),
        Bad(#"{"a":.5}"#, aValue, at: 5),
        Bad(#"{"a":1.5.2}"#, commaOrBrace, at: 8),
        Bad(#"{"a":0x10}"#, commaOrBrace, at: 6),
        Bad(#"{"a":NaN}"#, aValue, at: 5),
        Bad(#"{"a":Infinity}"#, aValue, at: 5),
        // Grammar.
        Bad(#"{"a" 1}"#, .expected("':'"), at: 5),
        Bad(#"{a:1}"#, .expected("a string key"), at: 1),
        Bad(#"{"a":1,}"#, .expected("a string key"), at: 7),
        Bad(#"{"a":tru}"#, aValue, at: 5),
        Bad(#"{"a":'x'}"#, aValue, at: 5),
        Bad(#"{"a":[1,]}"#, aValue, at: 8),
        Bad(#"{"a":[1 2]}"#, .expected("',' or ']'"), at: 8),
        Bad(#"{"a":1 "b":2}"#, commaOrBrace, at: 7),
        // Trailing data.
        Bad(#"{"a":1} x"#, .trailingData, at: 8),
        Bad(#"{"a":1}{"b":2}"#, .trailingData, at: 7),
        Bad(#"{"a":1},"#, .trailingData, at: 7),
        // Not an object (valid JSON), or broken and not an object.
        Bad("[1,2]", .notAnObject, at: 0),
        Bad(#""x""#, .notAnObject, at: 0),
        Bad("42", .notAnObject, at: 0),
        Bad("null", .notAnObject, at: 0),
        Bad("  true ", .notAnObject, at: 0),
        Bad("[1,2", .expected("',' or ']'"), at: 4),
        // Too deep: 513 levels; the 513th opens at offset 516.
        Bad(nested513, .tooDeep, at: 516),
    ]

    @Test("a broken line is refused with its reason and offset, selected or not", arguments: bad)
    func refused(_ bad: Bad) throws {
        for paths in [[], ["a"], ["a.b", "x"]] {
            let columns = ScannerOracle.columns(paths)
            var failure: ScanError?
            do throws(ScanError) {
                _ = try ScannerOracle.scanned(bad.line, columns, ScannerOracle.options(.join))
            } catch {
                failure = error
            }
            #expect(failure == ScanError(offset: bad.offset, reason: bad.reason), "columns \(paths)")
        }
    }

    @Test("the message names the column (offset + 1)")
    func messageNamesColumn() {
        let error = ScannerOracle.validate(Array(#"{"a":1 "b":2}"#.utf8))
        #expect(error?.message == "invalid JSON at column 8: expected ',' or '}'")
    }

    /// A valid line, a path, and the CSV cell it gives.
    static let good: [(line: String, path: String, cell: String)] = [
        (#"{"s":"\u00e9"}"#, "s", "é"),
        (#"{"s":"\ud83d\ude00"}"#, "s", "😀"),
        (#"{"s":"\uD83D\uDE00!"}"#, "s", "😀!"),
        ("{\"s\":\"\u{10FFFF}\u{D7FF}\u{E000}\u{FFFF}\u{80}\"}", "s", "\u{10FFFF}\u{D7FF}\u{E000}\u{FFFF}\u{80}"),
        (#"{"s":"\/\b\f"}"#, "s", "/\u{8}\u{C}"),
        (#"{"s":"\u0000"}"#, "s", "\u{0}"),
        (#"{"n":-0}"#, "n", "-0"),
        (#"{"n":1E+5}"#, "n", "1E+5"),
        (#"{"n":1e-5}"#, "n", "1e-5"),
        (#"{"n":-1.5e-3}"#, "n", "-1.5e-3"),
        (#"{"n":0e0}"#, "n", "0e0"),
        (#"{"n":0.0}"#, "n", "0.0"),
        (#"{"n":123456789012345678901234567890}"#, "n", "123456789012345678901234567890"),
        ("{}", "a", ""),
        (#"{"a":{}}"#, "a", "{}"),
        (#"{"a":[]}"#, "a", ""),
        (#"{"a":[{}]}"#, "a", "{}"),
        (#"{"a":[[]]}"#, "a", ""),
        (#"{"":1}"#, "x", ""),
        (" \t{ \t\"a\" \t: \t[ 1 ,\t2 ] \t, \"b\" : { } } \t\r", "a", "1|2"),
        ("{\"a\"\r:\r{\r\"b\"\r:\r\"x\"\r}\r}", "a.b", "x"),
        ("{ \"a\" : { \"b\" : [ 1 , { \"c\" : 2 } ] } }", "a", "\"{\"\"b\"\":[1,{\"\"c\"\":2}]}\""),
        (String(repeating: #"{"a":"#, count: 499) + "{}" + String(repeating: "}", count: 499), "a.a.a", "{\"a\":"),
        (#"{"a":"# + String(repeating: "[", count: 511) + String(repeating: "]", count: 511) + "}", "a", ""),
    ]

    @Test("valid edge cases are accepted, and agree with the tree walk",
          arguments: 0..<good.count)
    func accepted(index: Int) throws {
        let (text, path, cell) = Self.good[index]
        let line = Array(text.utf8)
        #expect(ScannerOracle.validate(line) == nil)
        let columns = ScannerOracle.columns([path])
        let got = try ScannerOracle.scanned(line, columns, ScannerOracle.options(.join))
        if !cell.hasPrefix("{\"a\":") { #expect(got.csv == cell + "\n") }
        #expect(got == ScannerOracle.tree(line, columns, ScannerOracle.options(.join)))
    }
}

import Testing

@testable import MicsAPI
@testable import MicsDecode
@testable import MicsExport
@testable import MicsPipelines
@testable import MicsProject
@testable import MicsSandbox
@testable import MicsSink
@testable import MicsVocabulary

/// The scanner against the plain tree walk (`RecordTree`) and against SPEC 3 written out by
/// hand: one case per value rule, then thousands of generated records.
@Suite("JSON line scanner against the oracle")
struct JSONLineScannerTests {
    /// One record, its column paths (named c0, c1, …), and its row as SPEC 3 says, in CSV
    /// with `--arrays join`, CSV with `--arrays json`, and flat NDJSON with `--arrays join`.
    struct Case: CustomTestStringConvertible, Sendable {
        var line: String
        var paths: [String]
        var join: String
        var json: String
        var ndjson: String
        var testDescription: String { line }
    }

    static let cases: [Case] = [
        // Arrays are walked: each element takes the rest of the path.
        Case(line: #"{"id":"7","emails":[{"email":"a@x"},{"email":"b@y"}]}"#, paths: ["id", "emails.email"],
             join: "7,a@x|b@y", json: #"7,"[""a@x"",""b@y""]""#, ndjson: #"{"c0":"7","c1":"a@x|b@y"}"#),
        // A missing key inside an element still counts: siblings stay aligned.
        Case(line: #"{"profiles":[{"gender":"F"},{"gender":"M","age":30}]}"#, paths: ["profiles.gender", "profiles.age"],
             join: "F|M,|30", json: #""[""F"",""M""]","[null,30]""#, ndjson: #"{"c0":"F|M","c1":"|30"}"#),
        // An array at the end of the path is walked the same way.
        Case(line: #"{"tags":["a","b"]}"#, paths: ["tags"],
             join: "a|b", json: #""[""a"",""b""]""#, ndjson: #"{"c0":"a|b"}"#),
        // An empty array: crossed, no values.
        Case(line: #"{"emails":[]}"#, paths: ["emails.email"], join: "", json: "[]", ndjson: #"{"c0":null}"#),
        Case(line: #"{"a":[[],[]]}"#, paths: ["a"], join: "", json: "[]", ndjson: #"{"c0":null}"#),
        Case(line: #"{"a":[{"b":[]}]}"#, paths: ["a.b"], join: "", json: "[]", ndjson: #"{"c0":null}"#),
        // Missing, null, a scalar where an object was expected: no array crossed, null in every mode.
        Case(line: "{}", paths: ["emails.email"], join: "", json: "", ndjson: #"{"c0":null}"#),
        Case(line: #"{"emails":null}"#, paths: ["emails.email"], join: "", json: "", ndjson: #"{"c0":null}"#),
        Case(line: #"{"emails":"x"}"#, paths: ["emails.email"], join: "", json: "", ndjson: #"{"c0":null}"#),
        Case(line: #"{"emails":{"email":"a"}}"#, paths: ["emails.email"], join: "a", json: "a", ndjson: #"{"c0":"a"}"#),
        // Nested arrays.
        Case(line: #"{"a":[[1,2],[3]]}"#, paths: ["a"], join: "1|2|3", json: #""[1,2,3]""#, ndjson: #"{"c0":"1|2|3"}"#),
        Case(line: #"{"a":[{"b":[1,2]},{"b":[]},{"b":[3]}]}"#, paths: ["a.b"],
             join: "1|2|3", json: #""[1,2,3]""#, ndjson: #"{"c0":"1|2|3"}"#),
        // Missing key, null and a scalar inside an array each give one null.
        Case(line: #"{"a":[{"b":1},{"c":1},{"b":null},"s"]}"#, paths: ["a.b"],
             join: "1|||", json: #""[1,null,null,null]""#, ndjson: #"{"c0":"1|||"}"#),
        Case(line: #"{"a":[null,"x",null]}"#, paths: ["a"],
             join: "|x|", json: #""[null,""x"",null]""#, ndjson: #"{"c0":"|x|"}"#),
        // Only nulls: the null text when joined.
        Case(line: #"{"a":[null,null]}"#, paths: ["a"], join: "", json: #""[null,null]""#, ndjson: #"{"c0":null}"#),
        // An object at the leaf: compact JSON, arrays inside kept.
        Case(line: #"{"a":{"x": [1, 2], "y" : "s"}}"#, paths: ["a"], join: #""{""x"":[1,2],""y"":""s""}""#,
             json: #""{""x"":[1,2],""y"":""s""}""#, ndjson: #"{"c0":{"x":[1,2],"y":"s"}}"#),
        Case(line: #"{"a":[{"x":1},{"y":[2]}]}"#, paths: ["a"], join: #""{""x"":1}|{""y"":[2]}""#,
             json: #""[{""x"":1},{""y"":[2]}]""#, ndjson: #"{"c0":"{\"x\":1}|{\"y\":[2]}"}"#),
        // Numbers keep their exact text.
        Case(line: #"{"n":12345678901234567890123,"f":1.50,"e":1e5,"z":-0}"#, paths: ["n", "f", "e", "z"],
             join: "12345678901234567890123,1.50,1e5,-0", json: "12345678901234567890123,1.50,1e5,-0",
             ndjson: #"{"c0":12345678901234567890123,"c1":1.50,"c2":1e5,"c3":-0}"#),
        Case(line: #"{"t":true,"f":false,"n":null}"#, paths: ["t", "f", "n"],
             join: "true,false,", json: "true,false,", ndjson: #"{"c0":true,"c1":false,"c2":null}"#),
        // The empty string is quoted, NULL is not.
        Case(line: #"{"s":""}"#, paths: ["s"], join: #""""#, json: #""""#, ndjson: #"{"c0":""}"#),
        Case(line: #"{"a":[""]}"#, paths: ["a"], join: #""""#, json: #""[""""]""#, ndjson: #"{"c0":""}"#),
        // Escapes are decoded in CSV, kept in NDJSON.
        Case(line: #"{"s":"a\"b\\c\nd\u00e9\ud83d\ude00"}"#, paths: ["s"], join: "\"a\"\"b\\c\ndé😀\"",
             json: "\"a\"\"b\\c\ndé😀\"", ndjson: #"{"c0":"a\"b\\c\nd\u00e9\ud83d\ude00"}"#),
        Case(line: #"{"s":"a,b"}"#, paths: ["s"], join: #""a,b""#, json: #""a,b""#, ndjson: #"{"c0":"a,b"}"#),
        // Joined, even one number is a string in flat NDJSON.
        Case(line: #"{"a":[5]}"#, paths: ["a"], join: "5", json: "[5]", ndjson: #"{"c0":"5"}"#),
        // A column and a column below it.
        Case(line: #"{"a":{"b":1}}"#, paths: ["a", "a.b"], join: #""{""b"":1}",1"#, json: #""{""b"":1}",1"#,
             ndjson: #"{"c0":{"b":1},"c1":1}"#),
        Case(line: #"{"a":5}"#, paths: ["a", "a.b"], join: "5,", json: "5,", ndjson: #"{"c0":5,"c1":null}"#),
        // Duplicate keys: the last one wins.
        Case(line: #"{"a":1,"a":2}"#, paths: ["a"], join: "2", json: "2", ndjson: #"{"c0":2}"#),
        Case(line: #"{"a":{"b":1},"a":{"c":2}}"#, paths: ["a.b"], join: "", json: "", ndjson: #"{"c0":null}"#),
        Case(line: #"{"a":[{"b":1,"b":3}]}"#, paths: ["a.b"], join: "3", json: "[3]", ndjson: #"{"c0":"3"}"#),
        // A key written with an escape is the key it decodes to.
        Case(line: #"{"k\u0065":"v"}"#, paths: ["ke"], join: "v", json: "v", ndjson: #"{"c0":"v"}"#),
    ]

    @Test("each SPEC 3 rule gives the hand-written cells, through the scanner", arguments: cases)
    func scannerFollowsSpec(_ rule: Case) throws {
        let line = Array(rule.line.utf8)
        let columns = ScannerOracle.columns(rule.paths)
        #expect(try ScannerOracle.pipeline(line, columns, ScannerOracle.options(.join)).csv == rule.join + "\n")
        #expect(try ScannerOracle.pipeline(line, columns, ScannerOracle.options(.json)).csv == rule.json + "\n")
        #expect(try ScannerOracle.pipeline(line, columns, ScannerOracle.options(.join)).ndjson == rule.ndjson + "\n")
    }

    @Test("each SPEC 3 rule gives the hand-written cells, through the tree walk", arguments: cases)
    func treeFollowsSpec(_ rule: Case) {
        let line = Array(rule.line.utf8)
        let columns = ScannerOracle.columns(rule.paths)
        #expect(ScannerOracle.tree(line, columns, ScannerOracle.options(.join)).csv == rule.join + "\n")
        #expect(ScannerOracle.tree(line, columns, ScannerOracle.options(.json)).csv == rule.json + "\n")
        #expect(ScannerOracle.tree(line, columns, ScannerOracle.options(.join)).ndjson == rule.ndjson + "\n")
    }

    @Test("a duplicated key: the scanner itself takes the last one, selected or not")
    func duplicateKeys() throws {
        let line = Array(#"{"a":1,"b":0,"a":2,"b":1}"#.utf8)
        let got = try ScannerOracle.scanned(line, ScannerOracle.columns(["a"]), ScannerOracle.options(.join))
        #expect(got.csv == "2\n")
        #expect(ScannerOracle.validate(line) == nil)
    }

    /// The walk notes the selected keys an object holds as bits of a 64-bit mask; a level's
    /// keys past the 64th are stamped on the scanner instead.
    @Test("more than 64 selected keys in one object: missing and repeated ones on both sides of the 64th")
    func manySelectedKeys() throws {
        let columns = ScannerOracle.columns((0..<70).map { "k\($0)" } + ["o.x"])
        let held = (0..<70).filter { $0 != 3 && $0 != 66 }.map { #""k\#($0)":\#($0)"# }
        var cells = (0..<70).map { String($0) }
        cells[3] = ""
        cells[66] = ""
        for (extra, changed) in [([#""o":{"x":1}"#], [70: "1"]),
                                 ([#""k5":"five""#, #""k67":"last""#, #""o":{"x":1,"x":2}"#],
                                  [5: "five", 67: "last", 70: "2"])] {
            let line = Array(("{" + (held + extra).joined(separator: ",") + "}").utf8)
            let got = try ScannerOracle.pipeline(line, columns, ScannerOracle.options(.join))
            #expect(got == ScannerOracle.tree(line, columns, ScannerOracle.options(.join)))
            var row = cells + [""]
            for (column, cell) in changed { row[column] = cell }
            #expect(got.csv == row.joined(separator: ",") + "\n")
        }
    }

    @Test("--arrays first takes the first leaf value as a scalar", arguments: [
        (#"{"a":[{"g":"F"},{"g":"M","n":30}]}"#, "F,", #"{"c0":"F","c1":null}"#),
        (#"{"a":[{"n":1.50},{"g":"M","n":30}]}"#, ",1.50", #"{"c0":null,"c1":1.50}"#),
        (#"{"a":[]}"#, ",", #"{"c0":null,"c1":null}"#),
        (#"{"a":[{"g":{"x":[1]},"n":[[7,8]]}]}"#, #""{""x"":[1]}",7"#, #"{"c0":{"x":[1]},"c1":7}"#),
    ])
    func arraysFirst(line: String, csv: String, ndjson: String) throws {
        let columns = ScannerOracle.columns(["a.g", "a.n"])
        let got = try ScannerOracle.pipeline(Array(line.utf8), columns, ScannerOracle.options(.first))
        #expect(got.csv == csv + "\n")
        #expect(got.ndjson == ndjson + "\n")
    }

    @Test("--null-value and --array-separator apply to CSV cells and joins")
    func nullValueAndSeparator() throws {
        let line = Array(#"{"a":[1,null,2],"b":null,"c":"","d":[null]}"#.utf8)
        let columns = ScannerOracle.columns(["a", "b", "c", "d", "missing"])
        let got = try ScannerOracle.pipeline(line, columns, ScannerOracle.options(.join, null: "\\N", separator: ";"))
        #expect(got.csv == "1;;2,\\N,\"\",\\N,\\N\n")
        #expect(got.ndjson == #"{"c0":"1;;2","c1":null,"c2":"","c3":null,"c4":null}"# + "\n")
    }

    @Test("a join with no separator at all, and with one of several bytes", arguments: [
        ("", "12,ab,x\n"),
        (" / ", "1 /  / 2,a / b,x\n"),
    ])
    func emptyAndLongSeparators(separator: String, csv: String) throws {
        let line = Array(#"{"a":[1,null,2],"s":["a","b"],"o":["x"]}"#.utf8)
        let columns = ScannerOracle.columns(["a", "s", "o"])
        let got = try ScannerOracle.pipeline(line, columns, ScannerOracle.options(.join, separator: separator))
        #expect(got.csv == csv)
    }

    @Test("two columns on the same path both get its values")
    func samePathTwice() throws {
        let line = Array(#"{"id":"7","e":[{"m":"a"},{"m":"b"}]}"#.utf8)
        let columns = [ColumnSpec(name: "id", path: ["id"]), ColumnSpec(name: "x", path: ["id"]),
                       ColumnSpec(name: "m", path: ["e", "m"]), ColumnSpec(name: "m2", path: ["e", "m"])]
        let got = try ScannerOracle.pipeline(line, columns, ScannerOracle.options(.join))
        #expect(got.csv == "7,7,a|b,a|b\n")
        #expect(got == ScannerOracle.tree(line, columns, ScannerOracle.options(.join)))
    }

    @Test("generated records: the scanner and the tree walk write the same cells", arguments: [1, 2, 3, 4] as [UInt64])
    func generatedRecords(seed: UInt64) throws {
        var generator = RandomRecords(seed: seed)
        var paths = generator.paths()
        var mismatches = 0
        for index in 0..<1500 {
            if index % 10 == 0 { paths = generator.paths() }
            let text = generator.record()
            let line = Array(text.utf8)
            let columns = ScannerOracle.columns(paths)
            for options in [ScannerOracle.options(.join), ScannerOracle.options(.json),
                            ScannerOracle.options(.first, null: "\\N", separator: ", ")] {
                let scanned = try ScannerOracle.scanned(line, columns, options)
                let expected = ScannerOracle.tree(line, columns, options)
                if scanned != expected, mismatches < 5 {
                    mismatches += 1
                    Issue.record("seed \(seed) record \(index) \(paths) \(options.arrays): \(text)\nscanner \(scanned)\ntree    \(expected)")
                }
            }
        }
        #expect(mismatches == 0)
    }
}

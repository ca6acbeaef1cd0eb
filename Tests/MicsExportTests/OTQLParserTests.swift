import Testing

@testable import MicsAPI
@testable import MicsDecode
@testable import MicsExport
@testable import MicsPipelines
@testable import MicsProject
@testable import MicsSandbox
@testable import MicsSink
@testable import MicsVocabulary

struct OTQLParserTests {
    /// A query and the column paths it gives, in order.
    static let columnCases: [(String, [String])] = [
        // SPEC 2 and the reference's examples.
        (
            "SELECT { id emails { email } profiles { gender age } } FROM UserPoint WHERE segments { id = \"123\" }",
            ["id", "emails.email", "profiles.gender", "profiles.age"]
        ),
        ("SELECT {emails {id}} FROM UserPoint WHERE segments {id=\"<SEGMENTID>\"}", ["emails.id"]),
        (
            """
            SELECT { id emails { email } profiles { gender } activities { ts events { name } } } \
            FROM UserPoint WHERE segments { id = "123" }
            """,
            ["id", "emails.email", "profiles.gender", "activities.ts", "activities.events.name"]
        ),
        // Nesting three and four deep, leaves before and after objects.
        ("SELECT { a { b { c } d } e } FROM UserPoint", ["a.b.c", "a.d", "e"]),
        ("SELECT { a { b { c { d } } } }", ["a.b.c.d"]),
        // Keywords in any case.
        ("select {id} from UserProfile", ["id"]),
        ("SeLeCt { id } FrOm UserPoint wHeRe segments { id = \"1\" }", ["id"]),
        // Whitespace: none, newlines, tabs, CRLF.
        ("SELECT{id emails{email}}FROM UserPoint", ["id", "emails.email"]),
        ("\n\tSELECT\r\n{\r\n\tid\r\n\temails\t{\temail\t}\r\n}\r\nFROM\r\nUserPoint\r\n", ["id", "emails.email"]),
        // Commas between fields, trailing and doubled.
        (
            "SELECT { id, emails { email, id, }, ,profiles { gender } } FROM UserPoint",
            ["id", "emails.email", "emails.id", "profiles.gender"]
        ),
        // Comments in every position, some holding braces, quotes and keywords.
        (
            """
            # the export behind the CRM sync }
            /* { */ SELECT /* FROM */ { # "
              id # a trailing comment
              /* before a field */ emails /* between name and brace */ { email /* inside */ }
              profiles{gender}# no space before the comment
            } # after the selection
            FROM /* type next */ UserPoint # after the type
            WHERE /* in WHERE } */ segments { id = "123" } # the end
            """,
            ["id", "emails.email", "profiles.gender"]
        ),
        ("SELECT{id/*x*/emails{email}}#", ["id", "emails.email"]),
        // Directives after a field: dropped, with or without arguments.
        ("SELECT { id name @map(limit:500) } FROM UserPoint", ["id", "name"]),
        ("SELECT { id age @ScoreSum(min:3) @other } FROM UserPoint", ["id", "age"]),
        ("SELECT { activities @filter(clause: \"type == \\\"APP\\\"\") { ts } } FROM UserPoint", ["activities.ts"]),
        // Arguments with nested parentheses, braces and parentheses in strings, comments.
        (
            "SELECT { id @f(a: (1, (2, 3)), b: \")(\", c: '}{', d: `(`, /* ) */ e: {x: 1}) name } FROM UserPoint",
            ["id", "name"]
        ),
        ("SELECT { id @f() @g ( ) name }", ["id", "name"]),
        // WHERE is skipped: strings with every quote may hold braces, `#` and comment marks.
        (
            """
            SELECT { id } FROM UserPoint
            WHERE segments { id = "}{#/*" } AND emails { email = 'a}b#c' } OR x = `}` AND y = "a\\"}"
            """,
            ["id"]
        ),
        ("SELECT { id } FROM UserPoint WHERE segments { id IN [\"1\", \"2\"] } AND age >= 18.5", ["id"]),
        ("SELECT { id } FROM UserPoint WHERE activities @ScoreSum(min: 3) { events { name = \"}\" } }", ["id"]),
        // Names with underscores and digits; a query without FROM.
        ("SELECT { _id field2 user_account { user_account_id } }", ["_id", "field2", "user_account.user_account_id"]),
        // The same leaf twice is one column, at its first position.
        ("SELECT { id emails { email } id emails { id email } }", ["id", "emails.email", "emails.id"]),
    ]

    @Test("columns are the selection's leaf fields in the order written", arguments: columnCases)
    func columns(query: String, expected: [String]) throws {
        let parsed = try OTQLParser.parse(query)
        #expect(parsed.columns.map(\.name) == expected)
        #expect(parsed.columns.map(\.path) == expected.map { $0.split(separator: ".").map(String.init) })
    }

    @Test("the selection keeps the tree as written and FROM its type")
    func selectionTree() throws {
        let parsed = try OTQLParser.parse(
            "select { id emails @map(limit:2) { email } emails { id } } from UserEmail where x = 1")
        #expect(parsed.fromType == "UserEmail")
        #expect(
            parsed.selection == [
                OTQLField(name: "id"),
                OTQLField(name: "emails", children: [OTQLField(name: "email")]),
                OTQLField(name: "emails", children: [OTQLField(name: "id")]),
            ])
        #expect(try OTQLParser.parse("SELECT { id }").fromType == nil)
    }

    @Test(
        "a directive in place of a field is an aggregation and refused",
        arguments: [
            ("SELECT @count{} FROM UserPoint", 1, 8),
            ("select @count {} from UserPoint where segments { id = \"1\" }", 1, 8),
            ("SELECT { @count } FROM UserPoint", 1, 10),
            ("SELECT { id @cardinality @count{} }", 1, 26),
            ("SELECT {\n  interests @map {\n    @count\n  }\n} FROM UserPoint", 3, 5),
            ("# averages\nSELECT {\n\t@avg(field: \"age\")\n} FROM UserProfile", 3, 2),
            ("SELECT { @sum @min @max }", 1, 10),
        ])
    func aggregationRefused(query: String, line: Int, column: Int) throws {
        let error = try #require(Self.syntaxError(query))
        #expect(error.kind == .aggregation)
        #expect((error.line, error.column) == (line, column))
        #expect(error.message == Self.aggregationMessage)
        let exported = try #require(Self.exportError(query))
        #expect(exported.kind == .usage)
        #expect(
            exported.message == "unsupported OTQL query at line \(line), column \(column): \(Self.aggregationMessage)")
    }

    static let aggregationMessage =
        "aggregation queries (@count{} …) return counts, not rows: mics-export needs a SELECT of fields"

    @Test(
        "a directive after a named field is not an aggregation",
        arguments: ["SELECT { gender @map } FROM UserProfile", "SELECT { name @map(limit:500) { id } }"])
    func namedFieldDirectiveAllowed(query: String) {
        #expect(Self.syntaxError(query) == nil)
    }

    /// A broken query, where the error points (line, column) and what it says.
    static let syntaxCases: [(String, Int, Int, String)] = [
        ("", 1, 1, "expected SELECT but found end of query"),
        ("  # only a comment\n", 2, 1, "expected SELECT but found end of query"),
        ("{ id } FROM UserPoint", 1, 1, "expected SELECT but found '{'"),
        ("SELECTED { id }", 1, 1, "expected SELECT but found 'SELECTED'"),
        ("SELECT id FROM UserPoint", 1, 8, "expected '{' after SELECT but found 'id'"),
        ("SELECT", 1, 7, "expected '{' after SELECT but found end of query"),
        ("SELECT {\n  id\n  emails { email }\nFROM UserPoint", 4, 1, "expected '}' but found 'FROM'"),
        ("SELECT { id\n  emails {\n    email\n  }\n  where", 5, 3, "expected '}' but found 'where'"),
        ("SELECT { id", 1, 12, "expected '}' but found end of query"),
        ("SELECT {\r\n  id\r\n", 3, 1, "expected '}' but found end of query"),
        ("SELECT { id: 1 }", 1, 12, "expected a field name or '}' but found ':'"),
        ("SELECT { 1st }", 1, 10, "expected a field name or '}' but found '1st'"),
        ("SELECT { id \"x\" }", 1, 13, "expected a field name or '}' but found a string \"x\""),
        ("SELECT { } FROM UserPoint", 1, 8, "empty selection 'SELECT { }'"),
        ("SELECT {\n  id\n  emails { , }\n} FROM UserPoint", 3, 10, "empty selection 'emails { }'"),
        ("SELECT { id @ } FROM UserPoint", 1, 15, "expected a directive name after '@' but found '}'"),
        ("SELECT { id @map(limit: 500 } FROM UserPoint", 1, 45, "expected ')' but found end of query"),
        ("SELECT { id } UserPoint", 1, 15, "expected FROM or end of query but found 'UserPoint'"),
        ("SELECT { id } FROM", 1, 19, "expected a type name after FROM but found end of query"),
        ("SELECT { id } FROM { id }", 1, 20, "expected a type name after FROM but found '{'"),
        ("SELECT { id } } FROM UserPoint", 1, 15, "expected FROM or end of query but found '}'"),
        ("SELECT { id } FROM UserPoint }", 1, 30, "expected WHERE or end of query but found '}'"),
        // Unterminated comments and strings point at where they open.
        ("SELECT { id }\n/* never closed\nFROM UserPoint", 2, 1, "unterminated comment '/*'"),
        ("SELECT { id } /* almost *", 1, 15, "unterminated comment '/*'"),
        ("SELECT { id } FROM UserPoint\nWHERE segments { id = \"123 }", 2, 23, "unterminated string starting with \""),
        ("SELECT { id } FROM UserPoint WHERE x = 'a\\'", 1, 40, "unterminated string starting with '"),
        ("SELECT { id @f(a: `x) }", 1, 19, "unterminated string starting with `"),
        // Columns count Unicode scalars, not bytes; a tab is one column.
        ("/* é ü */ SELECT { id ) }", 1, 23, "expected a field name or '}' but found ')'"),
        ("SELECT {\n\tid\t;\n}", 2, 5, "expected a field name or '}' but found ';'"),
    ]

    @Test("a syntax error names the line and column", arguments: syntaxCases)
    func syntaxErrorPosition(query: String, line: Int, column: Int, message: String) throws {
        let error = try #require(Self.syntaxError(query))
        #expect(error.kind == .syntax)
        #expect(error.message == message)
        #expect((error.line, error.column) == (line, column))
        let exported = try #require(Self.exportError(query))
        #expect(exported.kind == .usage)
        #expect(exported.location == nil)
        #expect(exported.message == "OTQL syntax error at line \(line), column \(column): \(message)")
    }

    /// Found by fuzzing (fuzz/run.sh otql): the recursive descent had no bound, and a deep
    /// enough selection overflowed the stack.
    @Test("a selection nested 200,000 deep is a syntax error, not a crash; 256 levels parse")
    func deepSelection() throws {
        let deep = "SELECT " + String(repeating: "{a", count: 200_000) + String(repeating: "}", count: 200_000)
        let error = Self.syntaxError(deep)
        #expect(error?.message == "selection nested deeper than 256 levels")
        #expect(error?.line == 1 && error?.column == 8 + 2 * 256)
        let fine = "SELECT " + String(repeating: "{a", count: 256) + String(repeating: "}", count: 256)
        #expect(try OTQLParser.parse(fine).columns.first?.path.count == 256)
    }

    @Test("the ExportError carries a hint on how to fix the query")
    func hint() throws {
        let error = try #require(Self.exportError("SELECT { id emails { email } FROM UserPoint"))
        #expect(error.message == "OTQL syntax error at line 1, column 30: expected '}' but found 'FROM'")
        #expect(error.hint == "each '{' needs a matching '}'")
        #expect(error.description.contains("\n  hint: each '{' needs a matching '}'"))
    }

    static func syntaxError(_ query: String) -> OTQLSyntaxError? {
        do {
            _ = try OTQLParser.parseWithPosition(query)
            return nil
        } catch {
            return error
        }
    }

    static func exportError(_ query: String) -> ExportError? {
        do {
            _ = try OTQLParser.parse(query)
            return nil
        } catch {
            return error as? ExportError
        }
    }
}

import Testing

@testable import MicsAPI
@testable import MicsDecode
@testable import MicsExport
@testable import MicsPipelines
@testable import MicsProject
@testable import MicsSandbox
@testable import MicsSink
@testable import MicsVocabulary

struct ColumnListTests {
    /// A `--columns` text and the columns it gives, as `name ← dotted path`.
    static let validCases: [(String, [String])] = [
        (
            "id,email=emails.email,profiles.gender",
            ["id ← id", "email ← emails.email", "profiles.gender ← profiles.gender"]
        ),
        ("id", ["id ← id"]),
        ("activities.events.name", ["activities.events.name ← activities.events.name"]),
        // Spaces and tabs around items, names and paths are dropped.
        (
            "  id ,\temail = emails.email  , profiles.gender ",
            ["id ← id", "email ← emails.email", "profiles.gender ← profiles.gender"]
        ),
        // A name is everything before the first '=': it may hold dots, the path may hold '='.
        ("user.email=emails.email", ["user.email ← emails.email"]),
        ("x=a=b", ["x ← a=b"]),
        // The same path under two names is two columns.
        ("id,other_id=id", ["id ← id", "other_id ← id"]),
        ("prénom=profiles.prénom", ["prénom ← profiles.prénom"]),
    ]

    @Test("a column list gives named paths in the order written", arguments: validCases)
    func parses(text: String, expected: [String]) throws {
        let columns = try ColumnList.parse(text)
        #expect(columns.map { "\($0.name) ← \($0.path.joined(separator: "."))" } == expected)
    }

    @Test("a path is split on dots into segments")
    func pathSegments() throws {
        #expect(
            try ColumnList.parse("e=emails.email,id") == [
                ColumnSpec(name: "e", path: ["emails", "email"]),
                ColumnSpec(name: "id", path: ["id"]),
            ])
    }

    /// A broken list and the message naming the item at fault.
    static let errorCases: [(String, String)] = [
        ("", "--columns is empty"),
        ("   ", "--columns is empty"),
        ("id,,email", "--columns item 2 is empty"),
        ("id,", "--columns item 2 is empty"),
        (",id", "--columns item 1 is empty"),
        ("id, ,email", "--columns item 2 is empty"),
        ("a..b", "--columns item 1 'a..b': empty segment in path 'a..b'"),
        ("id,.a", "--columns item 2 '.a': empty segment in path '.a'"),
        ("a.", "--columns item 1 'a.': empty segment in path 'a.'"),
        ("x = a..b", "--columns item 1 'x = a..b': empty segment in path 'a..b'"),
        ("x=", "--columns item 1 'x=': empty path after '='"),
        ("id, =emails.email", "--columns item 2 '=emails.email': empty column name before '='"),
        ("id,id", "--columns item 2 'id': duplicate column name 'id' (item 1 has it too)"),
        (
            "id,email=emails.email,id=profiles.id",
            "--columns item 3 'id=profiles.id': duplicate column name 'id' (item 1 has it too)"
        ),
    ]

    @Test("a bad item is a usage error naming it", arguments: errorCases)
    func rejects(text: String, message: String) {
        let error = #expect(throws: ExportError.self) { try ColumnList.parse(text) }
        #expect(error?.kind == .usage)
        #expect(error?.message == message)
        #expect(error?.hint != nil)
    }
}

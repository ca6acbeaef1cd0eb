import Testing

@testable import MicsPipelines

/// Inputs the `pipeline` fuzz target (fuzz/run.sh) found, each a mistake reported at a
/// position outside the file; kept as regressions. Every position must name a line of the
/// file and a column at most one past that line's end.
struct PipelineFuzzFindingsTests {
    static func positions(_ yaml: String) -> [String] {
        PipelineValidationTests.mistakes(yaml)
    }

    @Test(arguments: [
        // An OTQL error at the end of a block query (past its final line break): the end of
        // its last line, not a column on the empty line after it.
        (
            "projection:\n  query: |\n    SELECT { id\n      emails { email }\n    FRGM UserPoint\n",
            "5:19: OTQL syntax error"
        ),
        // A `${` in a plain value folded from two lines: the value's start, not column 40 of a
        // 16-character line.
        ("source:\n  file: a.n$json\n   {\\n  not valid id Yyou${zip:L 0\n", "2:9: '${' is not closed"),
        // CR LF line breaks: the query's lines are the file's lines (a "\r\n" is one Character,
        // which splitting at "\n" missed).
        (
            "source: { file: a }\r\nprojection:\r\n  query: |\r\n    SELECT { id\r\n    FROM UserPoint\r\n",
            "5:5: OTQL syntax error: expected '}' but found 'FROM'"
        ),
    ])
    func mistakesLieInsideTheFile(yaml: String, expected: String) {
        let found = Self.positions(yaml)
        #expect(found.contains { $0.hasPrefix(expected) }, "\(found)")
    }
}

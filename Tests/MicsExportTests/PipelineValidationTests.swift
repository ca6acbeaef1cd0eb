import Foundation
import Testing

@testable import MicsAPI
@testable import MicsDecode
@testable import MicsExport
@testable import MicsPipelines
@testable import MicsProject
@testable import MicsSandbox
@testable import MicsSink
@testable import MicsVocabulary

/// Every mistake `validate` reports, with its exact line and column.
struct PipelineValidationTests {
    /// `line:column: message` for each mistake, in file order.
    static func mistakes(_ yaml: String) -> [String] {
        let (file, decoding) = PipelineFile.decode(yaml, path: "p.yaml", substitution: PipelineFileTests.substitution)
        let all = decoding + (file.marks[""] == nil ? [] : file.problems())
        return all.sorted { ($0.line, $0.column) < ($1.line, $1.column) }.map {
            "\($0.line):\($0.column): \($0.message)"
        }
    }

    static let source = "source: { file: in.ndjson }\n"

    @Test(arguments: [
        // Unknown keys, with the nearest valid one, or the section they belong to.
        ("sorce: { file: a }\n", "1:1: unknown key 'sorce' at the top level; did you mean 'source'?"),
        (source + "projection:\n  colums: id\n", "3:3: unknown key 'colums' in projection; did you mean 'columns'?"),
        (source + "gzip: true\n", "2:1: unknown key 'gzip' at the top level; 'gzip' belongs under sink:"),
        (
            source + "sink: { on-error: skip }\n",
            "2:9: unknown key 'on-error' in sink; 'on-error' belongs at the top level"
        ),
        (
            source + "sink: { zzz: 1 }\n",
            "2:9: unknown key 'zzz' in sink; expected one of: format, path, gzip, level, delimiter, header-style, target, split-rows, split-bytes, manifest, bom, excel-safe, crlf, header, schema, load, table, if-exists"
        ),
        // Wrong types.
        (source + "sink:\n  gzip: maybe\n", "3:9: 'gzip' expects true or false, not 'maybe'"),
        (source + "sink:\n  level: 12\n", "3:10: 'level' expects a whole number 1…9, not '12'"),
        (source + "max-errors: many\n", "2:13: 'max-errors' expects a whole number at least 0, not 'many'"),
        (
            source + "projection: [id]\n",
            "2:13: 'projection' must be a mapping of keys (columns, query, query-file, query-from-export, arrays, array-separator, explode, explode-drop-empty, null-value, infer-rows, tables), not a list"
        ),
        (source + "name: [a, b]\n", "2:7: 'name' expects a single value, not a list"),
        (source + "sink:\n  path:\n", "3:8: 'path' has no value"),
        ("source: { export: abc, organisation: 1 }\n", "1:19: 'export' expects a numeric id such as 9879, not 'abc'"),
        // Unknown values.
        (source + "sink: { format: parquet }\n", "2:17: unknown format 'parquet': expected csv, ndjson, raw"),
        (
            source + "projection: { arrays: joined }\n",
            "2:23: unknown arrays 'joined': expected join, json, first; did you mean 'join'?"
        ),
        (source + "on-error: ignore\n", "2:11: unknown on-error 'ignore': expected fail, skip"),
        (
            source + "sink: { delimiter: ';;' }\n",
            "2:20: unknown delimiter ';;': expected one ASCII character (not a quote or newline) or 'tab'"
        ),
        (source + "sink: { split-bytes: lots }\n", "2:22: 'split-bytes' expects a size like 256MB or 1GiB, not 'lots'"),
        // Sources: none, two, keys that need an export.
        (
            "name: x\n",
            "1:1: no source: add 'source:' with one of file, files, stdin: true, export (with organisation) or sandbox: true"
        ),
        (
            "source: {}\n",
            "1:1: source names no input: expected one of file, files, stdin: true, export (with organisation) or sandbox: true"
        ),
        (
            "source:\n  file: a.ndjson\n  export: 9879\n  organisation: 1\n",
            "3:3: two sources, 'file' and 'export': a pipeline reads one; keep one of them"
        ),
        (
            "source: { export: 9879 }\n",
            "1:11: 'export' needs 'organisation': the id of the organisation that owns export 9879"
        ),
        (
            "source: { file: a, execution: latest }\n",
            "1:20: 'execution' goes with 'export' or 'sandbox', and this source is 'file'"
        ),
        (
            "source: { sandbox: true, execution: soon }\n",
            "1:37: unknown execution 'soon': expected latest, new or an execution id"
        ),
        (
            source + "projection: { query-from-export: true }\n",
            "2:34: 'query-from-export' needs an 'export' or 'sandbox' source; give columns or a query instead"
        ),
        // Columns from two places, a bad column list.
        (
            source + "projection:\n  columns: id\n  query: SELECT { id }\n",
            "4:10: 'columns' and 'query' both give the columns: keep one of them"
        ),
        (source + "projection: { columns: 'id,,x' }\n", "2:24: columns item 2 is empty"),
        // Sibling explodes (nesting ones are fine).
        (
            source + "projection:\n  explode:\n    - activities.events\n    - emails\n",
            "5:7: explode 'emails' and 'activities.events' are siblings: explodes must nest, each inside the one before (activities, then activities.events); run a second pipeline for 'emails'"
        ),
        // Substitution.
        (
            source + "sink:\n  path: out/${NOPE}.csv\n",
            "3:13: environment variable NOPE is not set; set it, or give a default: ${NOPE:-value}"
        ),
        (
            source + "sink:\n  path: \"out/${NOPE}.csv\"\n",
            "3:14: environment variable NOPE is not set; set it, or give a default: ${NOPE:-value}"
        ),
        // Broken YAML and duplicate keys.
        ("source: { file: a\nsink: x\n", "2:5: not valid YAML"),
        (source + "name: a\nname: b\n", "2:1: key 'name' given twice; keep one"),
        // The file's shape.
        ("", "1:1: the file is empty; expected name, source, projection and sink"),
        ("- a\n- b\n", "1:1: the file must be a mapping of keys (name, source, projection, sink, on-error, rejects, max-errors, max-line-bytes, strict), not a list"),
        (source + "projection:\n  explode: []\n", "3:12: 'explode' is an empty list"),
        (source + "sink: { split-rows: 10 }\n", "2:21: 'split-rows' writes part files: give sink.path (standard output cannot be cut)"),
        // More sources.
        ("source: { stdin: false }\n", "1:1: source names no input: expected one of file, files, stdin: true, export (with organisation) or sandbox: true"),
        ("source: { sandbox: true, organisation: 1 }\n", "1:26: the sandbox has its own organisation: remove 'organisation'"),
        // Queries: an aggregation, a query file that cannot be read or does not parse.
        (source + "projection:\n  query: SELECT @count{} FROM UserPoint\n", "3:17: unsupported OTQL query: …"),
        (source + "projection: { query-file: /nonexistent/q.otql }\n", "2:27: cannot read the query file '/nonexistent/q.otql' (paths are taken from the current directory)"),
    ])
    func mistakeIsReportedWhereItIs(yaml: String, expected: String) {
        let found = Self.mistakes(yaml)
        if expected.hasSuffix("…") {
            #expect(found.first?.hasPrefix(String(expected.dropLast())) == true, "\(found)")
        } else if expected.contains("not valid YAML") {
            #expect(found.count == 1 && found[0].contains("not valid YAML"), "\(found)")
        } else {
            #expect(found.contains(expected), "\(found)")
        }
    }

    @Test func anOTQLErrorInALiteralBlockIsMovedIntoTheFile() {
        let yaml =
            Self.source + """
                projection:
                  query: |
                    SELECT { id
                      emails { email }
                    FROM UserPoint
                """
        // The query's line 3, column 1 ("FROM") is the file's line 6, column 5.
        #expect(
            Self.mistakes(yaml) == [
                "6:5: OTQL syntax error: expected '}' but found 'FROM' (each '{' needs a matching '}')"
            ])
    }

    @Test func anOTQLErrorOnOneLineIsShiftedByItsColumn() {
        #expect(
            Self.mistakes(Self.source + "projection:\n  query: SELECT { id FROM UserPoint\n")
                == ["3:22: OTQL syntax error: expected '}' but found 'FROM' (each '{' needs a matching '}')"])
        #expect(
            Self.mistakes(Self.source + "projection:\n  query: \"SELECT { id FROM UserPoint\"\n")
                == ["3:23: OTQL syntax error: expected '}' but found 'FROM' (each '{' needs a matching '}')"])
    }

    @Test func everyMistakeOfAFileIsReportedAtOnce() {
        let found = Self.mistakes(
            """
            name: x
            projection:
              colums: id
              arrays: many
            sink:
              format: xlsx
              gzip: 2
            """)
        #expect(found.count == 5, "\(found)")
        #expect(found.map { $0.prefix(4) } == ["1:1:", "3:3:", "4:11", "6:11", "7:9:"])
    }
}

import Foundation
import Testing

/// Issue 9, end to end: hostile input and option values the tool must refuse cleanly, and
/// data that must never change meaning on its way to the warehouse.
@Suite("convert, hardening end to end")
struct HardeningCLITests {
    typealias Tool = ConvertTool

    /// SPEC 5: a `\u` escape of a lone surrogate is invalid text, a bad line, in CSV and in
    /// flat NDJSON alike (CSV used to write U+FFFD while NDJSON passed the escape on).
    @Test("a lone surrogate escape is a bad line with its number, in CSV and NDJSON", arguments: [
        #"{"id":"\ud800"}"#, #"{"id":"\udc00"}"#, #"{"id":"\ud800\u0041"}"#, #"{"id":"a","\ud83dx":1}"#,
    ])
    func loneSurrogate(line: String) async throws {
        let folder = try Tool.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Tool.write("{\"id\":\"1\"}\n" + line + "\n{\"id\":\"3\"}\n", to: folder.appendingPathComponent("in.ndjson"))
        for output in ["out.csv", "out.ndjson"] {
            let failed = try await Tool.run(["convert", "in.ndjson", "--columns", "id", "-o", output, "-q"], in: folder)
            #expect(failed.code == 65, "\(failed.stderr)")
            #expect(failed.stderr.contains("in.ndjson:2"), "\(failed.stderr)")
            #expect(failed.stderr.contains("surrogate"), "\(failed.stderr)")
            #expect(try Tool.files(in: folder) == ["in.ndjson"])

            let skipped = try await Tool.run(
                ["convert", "in.ndjson", "--columns", "id", "-o", output, "-q", "--on-error", "skip", "--rejects", "bad.ndjson"],
                in: folder)
            #expect(skipped.code == 0, "\(skipped.stderr)")
            let rejects = try Tool.read(folder.appendingPathComponent("bad.ndjson"))
            #expect(rejects.contains(#""line":2"#), "\(rejects)")
            let written = try Tool.read(folder.appendingPathComponent(output))
            #expect(!written.contains("\u{FFFD}") && !written.contains("ud"), "\(written)")
            try FileManager.default.removeItem(at: folder.appendingPathComponent(output))
            try FileManager.default.removeItem(at: folder.appendingPathComponent("bad.ndjson"))
        }
    }

    /// SPEC 5: an option value out of range or too large is a usage error, never a crash
    /// (`--split-bytes 99999999999GiB` overflowed in ByteSize.parse and killed the process).
    @Test("option values too large or out of range exit 64 with a message", arguments: [
        ["--split-bytes", "99999999999GiB"],
        ["--split-bytes", "99999999999999999999"],
        ["--split-bytes", "2000000TB"],
        ["--split-bytes", "1048577GiB"],
        ["--split-bytes", "\u{0661}\u{0662}MB"],
        ["--split-bytes", "0"],
        ["--max-line-bytes", "9223372036854775807"],
        ["--max-line-bytes", "4294967296"],
        ["--max-line-bytes", "0"],
        ["--max-errors", "-1"],
        ["--split-rows", "99999999999999999999"],
    ])
    func optionOverflow(arguments: [String]) async throws {
        let folder = try Tool.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Tool.write("{\"id\":\"1\"}\n", to: folder.appendingPathComponent("in.ndjson"))
        let result = try await Tool.run(["convert", "in.ndjson", "-o", "out.csv"] + arguments, in: folder)
        #expect(result.code == 64, "\(arguments): \(result.stderr)")
        #expect(!result.stderr.isEmpty)
        #expect(try Tool.files(in: folder) == ["in.ndjson"])
    }

    @Test("the largest sizes that fit are taken", arguments: [["--split-bytes", "1048576GiB"], ["--max-line-bytes", "1073741824"]])
    func largestSizes(arguments: [String]) async throws {
        let folder = try Tool.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Tool.write("{\"id\":\"1\"}\n", to: folder.appendingPathComponent("in.ndjson"))
        let result = try await Tool.run(["convert", "in.ndjson", "-o", "out.csv", "-q"] + arguments, in: folder)
        #expect(result.code == 0, "\(arguments): \(result.stderr)")
    }

    /// SPEC 5: a string equal to the null text is quoted, so a loader reads the string, not NULL.
    @Test("a value equal to the null text is written quoted; NULL itself stays bare", arguments: [
        (["--null-value", "\\N"], #"{"a":"\\N","b":null}"#, #""\N",\N"#),
        (["--null-value", "NULL"], #"{"a":"NULL","b":null}"#, #""NULL",NULL"#),
        (["--null-value", "NULL"], #"{"a":["NULL"],"b":[null]}"#, #""NULL",NULL"#),
        (["--null-value", "0"], #"{"a":0,"b":null}"#, #""0",0"#),
        (["--null-value", "true"], #"{"a":true}"#, #""true",true"#),
        (["--target", "clickhouse"], #"{"a":"\\N","b":null}"#, #""\N",\N"#),
        ([], #"{"a":"","b":null}"#, #""","#),
    ])
    func nullTextQuoted(options: [String], line: String, row: String) async throws {
        let folder = try Tool.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Tool.write(line + "\n", to: folder.appendingPathComponent("in.ndjson"))
        let result = try await Tool.run(["convert", "in.ndjson", "--columns", "a,b", "--no-header", "-q"] + options, in: folder)
        #expect(result.code == 0, "\(result.stderr)")
        #expect(result.output == row + "\n", "\(options)")
    }

    @Test("--excel-safe guards header cells too")
    func excelSafeHeader() async throws {
        let folder = try Tool.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Tool.write(#"{"=HYPERLINK(1)":"=1","@x":2}"# + "\n", to: folder.appendingPathComponent("in.ndjson"))
        let result = try await Tool.run(["convert", "in.ndjson", "--excel-safe", "-q"], in: folder)
        #expect(result.code == 0, "\(result.stderr)")
        #expect(result.output == "'=HYPERLINK(1),'@x\n'=1,2\n")
    }

    /// Printed load commands (`columns --target …`) with a hostile output name: identifiers
    /// quoted per dialect, paths SQL-escaped and shell-quoted; run by a real shell (with the
    /// warehouse clients replaced by printf), nothing in them is expanded or executed.
    @Test("load commands quote names, and a shell runs nothing hidden in them", arguments: ["clickhouse", "bigquery", "postgres"])
    func loadCommandsAreInert(target: String) async throws {
        let folder = try Tool.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = "it's $(touch pwned) `touch pwned2`.csv"
        let result = try await Tool.run(
            ["columns", "--columns", "a,b", "--target", target, "--output-path", output, "--show", "load"], in: folder)
        #expect(result.code == 0, "\(result.stderr)")
        let command = result.output
        let lines = command.split(separator: "\n").filter { !$0.hasPrefix("--") && !$0.hasPrefix("\\") && !$0.hasPrefix("#") }
        let script = """
            clickhouse-client() { printf '<%s>\\n' "$@"; }
            bq() { printf '<%s>\\n' "$@"; }
            \(lines.joined(separator: "\n"))

            """
        try Tool.write(script, to: folder.appendingPathComponent("load.sh"))
        let ran = try await Tool.shell("bash load.sh", in: folder)
        #expect(ran.code == 0, "\(command)\n\(ran.stderr)")
        #expect(try Tool.files(in: folder).filter { $0.hasPrefix("pwned") }.isEmpty, "\(command)")
        switch target {
        case "clickhouse":
            let query = #"<INSERT INTO `it_s_touch_pwned_touch_pwned2` FROM INFILE 'it\'s $(touch pwned) `touch pwned2`.csv' FORMAT CSVWithNames>"#
            #expect(ran.output.contains(query), "\(ran.output)")
        case "bigquery":
            #expect(ran.output.contains("<gs://BUCKET/PREFIX/it's $(touch pwned) `touch pwned2`-*.csv>"), "\(ran.output)")
        default:
            let copy = #"\copy "it_s_touch_pwned_touch_pwned2" FROM 'it''s $(touch pwned) `touch pwned2`.csv' WITH (FORMAT csv, HEADER true)"#
            #expect(command == copy + "\n")
        }
    }

    @Test("a ' delimiter and a null text with ' and \\ are escaped in each dialect")
    func delimiterQuote() async throws {
        let common = ["columns", "--columns", "a", "--delimiter", "'", "--null-value", #"x'\y"#, "--show", "load",
                      "--output-path", "t.csv"]
        let redshift = try await Tool.run(common + ["--target", "redshift"])
        #expect(redshift.output.contains(#"DELIMITER '''' IGNOREHEADER 1 NULL AS 'x''\y';"#), "\(redshift.output)")
        let snowflake = try await Tool.run(common + ["--target", "snowflake"])
        #expect(snowflake.output.contains(#"FIELD_DELIMITER = '\''"#), "\(snowflake.output)")
        #expect(snowflake.output.contains(#"NULL_IF = ('x\'\\y')"#), "\(snowflake.output)")
        let postgres = try await Tool.run(common + ["--target", "postgres"])
        #expect(postgres.output.contains(#"DELIMITER '''', NULL 'x''\y'"#), "\(postgres.output)")
    }

    /// A failed run through a symbolic link used to leave the link's target truncated.
    @Test("-o through a symbolic link: a failed run keeps the target, a good one replaces it; the link stays")
    func outputThroughLink() async throws {
        let folder = try Tool.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("data"), withIntermediateDirectories: true)
        try Tool.write("old\n", to: folder.appendingPathComponent("data/users.csv"))
        try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent("users.csv").path,
                                                   withDestinationPath: "data/users.csv")
        try Tool.write("{\"id\":\"1\"}\n{\"id\":2,}\n", to: folder.appendingPathComponent("bad.ndjson"))
        try Tool.write("{\"id\":\"1\"}\n", to: folder.appendingPathComponent("good.ndjson"))
        let failed = try await Tool.run(["convert", "bad.ndjson", "--columns", "id", "-o", "users.csv", "-q"], in: folder)
        #expect(failed.code == 65)
        #expect(try Tool.read(folder.appendingPathComponent("data/users.csv")) == "old\n")
        let good = try await Tool.run(["convert", "good.ndjson", "--columns", "id", "-o", "users.csv", "-q"], in: folder)
        #expect(good.code == 0, "\(good.stderr)")
        #expect(try Tool.read(folder.appendingPathComponent("data/users.csv")) == "id\n1\n")
        let type = try FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent("users.csv").path)[.type]
        #expect(type as? FileAttributeType == .typeSymbolicLink)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("data").path) == ["users.csv"])
    }

    /// Past the 10,000 paths the tries keep, the summary used to say "+9980 more" whatever
    /// the real number: every dropped path is counted now.
    @Test("drift past 10,000 paths counts every path")
    func driftCountsEveryPath() async throws {
        let folder = try Tool.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let keys = (0..<20_000).map { "\"k\($0)\":0" }.joined(separator: ",")
        try Tool.write("{" + keys + "}\n{" + keys + "}\n", to: folder.appendingPathComponent("wide.ndjson"))
        let result = try await Tool.run(["convert", "wide.ndjson", "--columns", "k0", "-o", "out.csv"], in: folder)
        #expect(result.code == 0, "\(result.stderr)")
        // 19,999 unselected: 20 named, 19,979 more (10,000 listed, 9,999 counted past them).
        #expect(result.stderr.contains("(+19979 more)"), "\(result.stderr)")
    }
}

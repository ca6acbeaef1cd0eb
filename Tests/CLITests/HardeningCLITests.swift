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
}

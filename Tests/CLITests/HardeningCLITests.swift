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
}

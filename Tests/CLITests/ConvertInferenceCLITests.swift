import Foundation
import Testing

/// SPEC 2.3 end to end: with no columns given, files get an exact first pass over every
/// input; stdin's first `--infer-rows N` records decide the columns.
@Suite("convert, inferred columns end to end")
struct ConvertInferenceCLITests {
    typealias Tool = ConvertTool

    static let records = """
        {"a":1}
        {"a":2,"b":{"c":3}}
        {"a":3,"d":4}

        """

    @Test("files: every leaf path of every input, in first-seen order")
    func filesExactPass() async throws {
        let folder = try Tool.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Tool.write(Self.records, to: folder.appendingPathComponent("one.ndjson"))
        try Tool.write("{\"e\":[{\"f\":true}],\"a\":9}\n", to: folder.appendingPathComponent("two.ndjson"))
        let result = try await Tool.run(["convert", "one.ndjson", "two.ndjson", "-q"], in: folder)
        #expect(result.code == 0, "\(result.stderr)")
        #expect(result.output == "a,b.c,d,e.f\n1,,,\n2,3,,\n3,,4,\n9,,,true\n")
    }

    @Test("stdin: the first --infer-rows records decide the columns, later paths are drift")
    func stdinInferRows() async throws {
        let folder = try Tool.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("in.ndjson")
        try Tool.write(Self.records, to: input)
        let result = try await Tool.run(["convert", "--infer-rows", "2"], stdin: input)
        #expect(result.code == 0, "\(result.stderr)")
        #expect(result.output == "a,b.c\n1,\n2,3\n3,\n")
        #expect(result.stderr.contains("d"), "the drift names d: \(result.stderr)")
    }

    @Test("stdin: the columns do not depend on how the bytes arrive")
    func stdinTimingDoesNotMatter() async throws {
        let folder = try Tool.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Tool.write(Self.records, to: folder.appendingPathComponent("in.ndjson"))
        // Same bytes: at once, then a line at a time with pauses (separate reads).
        let atOnce = try await Tool.shell("\"$TOOL\" convert --infer-rows 2 -q < in.ndjson", in: folder)
        let slowly = try await Tool.shell(
            "(while IFS= read -r line; do printf '%s\\n' \"$line\"; sleep 0.2; done < in.ndjson) | \"$TOOL\" convert --infer-rows 2 -q",
            in: folder)
        #expect(atOnce.code == 0 && slowly.code == 0, "\(atOnce.stderr) \(slowly.stderr)")
        #expect(atOnce.output == slowly.output)
    }

    @Test("stdin: exactly N records decide, far past the first block; files ignore --infer-rows",
          arguments: [(10_000, "id,s\n"), (15_000, "id,s,late\n")])
    func inferRowsIsExact(rows: Int, header: String) async throws {
        let folder = try Tool.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("in.ndjson")
        let lines = (1...20_000).map { $0 == 15_000 ? "{\"id\":\($0),\"s\":\"x\",\"late\":1}\n" : "{\"id\":\($0),\"s\":\"x\"}\n" }
        try Tool.write(lines.joined(), to: input)
        let piped = try await Tool.run(["convert", "--infer-rows", "\(rows)", "-q"], stdin: input)
        #expect(piped.code == 0, "\(piped.stderr)")
        #expect(piped.output.hasPrefix(header))
        #expect(piped.output.split(separator: "\n").count == 20_001)
        let file = try await Tool.run(["convert", input.path, "--infer-rows", "\(rows)", "-q"])
        #expect(file.output.hasPrefix("id,s,late\n"))
        let gzipped = try await Tool.shell("gzip -c in.ndjson | \"$TOOL\" convert --infer-rows \(rows) -q", in: folder)
        #expect(gzipped.output == piped.output)
    }

    @Test("stdin: all records are converted, those read to infer included")
    func stdinNothingLost() async throws {
        let folder = try Tool.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("in.ndjson")
        try Tool.write((1...30_000).map { "{\"id\":\($0),\"s\":\"x\"}\n" }.joined(), to: input)
        let result = try await Tool.run(["convert", "--infer-rows", "100", "-q"], stdin: input)
        #expect(result.code == 0, "\(result.stderr)")
        #expect(result.output == "id,s\n" + (1...30_000).map { "\($0),x\n" }.joined())
    }
}

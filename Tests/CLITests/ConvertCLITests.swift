import Foundation
import Testing

/// `mics-export convert` end to end, as a user runs it: inputs, outputs, stdout and stderr.
@Suite("convert, end to end")
struct ConvertCLITests {
    typealias Tool = ConvertTool

    static let records = """
        {"id":"1","emails":[{"email":"a@x"},{"email":"b@y"}]}
        {"id":"2","emails":[]}
        {"id":"3"}

        """

    static let csv = "id,email\n1,a@x|b@y\n2,\n3,\n"

    @Test("a good run exits 0, data alone on stdout, the summary on stderr")
    func summaryOnStderr() async throws {
        let folder = try Tool.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("in.ndjson")
        try Tool.write(Self.records + "\n", to: input)
        let result = try await Tool.run(["convert", input.path, "--columns", "id,email=emails.email"])
        #expect(result.code == 0, "\(result.stderr)")
        #expect(result.output == Self.csv)
        #expect(result.stderr.contains("3 records"), "\(result.stderr)")
        #expect(result.stderr.contains("1 blank"), "\(result.stderr)")
    }

    @Test("stdin is read when the input is - or missing")
    func stdinInput() async throws {
        let folder = try Tool.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("in.ndjson")
        try Tool.write(Self.records, to: input)
        for inputs in [["-"], []] {
            let result = try await Tool.run(["convert"] + inputs + ["--columns", "id,email=emails.email", "--quiet"],
                                            stdin: input)
            #expect(result.code == 0, "\(result.stderr)")
            #expect(result.output == Self.csv)
        }
    }

    @Test("several inputs are one stream, in order, even when the first lacks its last newline")
    func severalInputsInOrder() async throws {
        let folder = try Tool.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let first = folder.appendingPathComponent("b.ndjson")
        let second = folder.appendingPathComponent("a.ndjson")
        try Tool.write("{\"id\":\"1\"}\n{\"id\":\"2\"}", to: first)
        try Tool.write("{\"id\":\"3\"}\r\n{\"id\":\"4\"}\n", to: second)
        let result = try await Tool.run(["convert", first.path, second.path, "--columns", "id", "--quiet"])
        #expect(result.code == 0, "\(result.stderr)")
        #expect(result.output == "id\n1\n2\n3\n4\n")
        // Line numbers start again in each input.
        try Tool.write("{\"id\":\"3\"}\n{\"id\":\n", to: second)
        let bad = try await Tool.run(["convert", first.path, second.path, "--columns", "id", "--quiet"])
        #expect(bad.code == 65)
        #expect(bad.stderr.contains("a.ndjson:2"), "\(bad.stderr)")
    }

    @Test("gzip input is found by its content, whatever its name; multi-member gzip is read to the end")
    func gzipInputByContent() async throws {
        let folder = try Tool.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Tool.write(Self.records, to: folder.appendingPathComponent("one"))
        try Tool.write("{\"id\":\"4\",\"emails\":[{\"email\":\"c@z\"}]}\n", to: folder.appendingPathComponent("two"))
        let made = try await Tool.shell("gzip -c one > export.ndjson && gzip -c two >> export.ndjson", in: folder)
        #expect(made.code == 0, "\(made.stderr)")
        let result = try await Tool.run(["convert", folder.appendingPathComponent("export.ndjson").path,
                                         "--columns", "id,email=emails.email", "--quiet"])
        #expect(result.code == 0, "\(result.stderr)")
        #expect(result.output == Self.csv + "4,c@z\n")
        // And through stdin.
        let piped = try await Tool.shell("cat export.ndjson | \"$TOOL\" convert --columns id --quiet", in: folder)
        #expect(piped.output == "id\n1\n2\n3\n4\n")
    }

    @Test("a truncated gzip input fails with 65 and leaves no output", arguments: [10, 100])
    func truncatedGzip(cut: Int) async throws {
        let folder = try Tool.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let lines = (1...2000).map { "{\"id\":\"\($0)\",\"v\":\"value number \($0)\"}\n" }.joined()
        try Tool.write(lines, to: folder.appendingPathComponent("plain"))
        let made = try await Tool.shell("gzip -c plain > full.gz && head -c $(( $(wc -c < full.gz) - \(cut) )) full.gz > cut.gz",
                                        in: folder)
        #expect(made.code == 0, "\(made.stderr)")
        let output = folder.appendingPathComponent("out.csv")
        let result = try await Tool.run(["convert", folder.appendingPathComponent("cut.gz").path, "--columns", "id",
                                         "-o", output.path])
        #expect(result.code == 65, "\(result.stderr)")
        #expect(result.stderr.lowercased().contains("gzip") || result.stderr.contains("truncated"), "\(result.stderr)")
        #expect(try Tool.files(in: folder) == ["cut.gz", "full.gz", "plain"])
    }

    @Test("gzip output is read back by gzip -dc", arguments: ["out.csv.gz", "out.csv"])
    func gzipOutput(name: String) async throws {
        let folder = try Tool.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("in.ndjson")
        try Tool.write(Self.records, to: input)
        let extra = name.hasSuffix(".gz") ? [] : ["--gzip", "--level", "9"]
        let result = try await Tool.run(["convert", input.path, "--columns", "id,email=emails.email", "-o",
                                         folder.appendingPathComponent(name).path, "--quiet"] + extra)
        #expect(result.code == 0, "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        let back = try await Tool.shell("gzip -dc \(name)", in: folder)
        #expect(back.code == 0, "\(back.stderr)")
        #expect(back.output == Self.csv)
    }

    static let flat: String = """
        {"id":"1","email":"a@x|b@y"}
        {"id":"2","email":null}
        {"id":"3","email":null}

        """

    @Test("the output name chooses the format", arguments: [
        ("out.ndjson", flat), ("out.jsonl", flat), ("out.tsv", "id\temail\n1\ta@x|b@y\n2\t\n3\t\n"), ("OUT.CSV", csv),
    ] as [(String, String)])
    func formatFromName(name: String, expected: String) async throws {
        let folder = try Tool.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("in.ndjson")
        try Tool.write(Self.records, to: input)
        let output = folder.appendingPathComponent(name)
        let result = try await Tool.run(["convert", input.path, "--columns", "id,email=emails.email", "-o", output.path, "-q"])
        #expect(result.code == 0, "\(result.stderr)")
        #expect(try Tool.read(output) == expected)
    }

    @Test("--strict fails on drift with 65 and leaves no output; without it the summary names the drift")
    func strictDrift() async throws {
        let folder = try Tool.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("in.ndjson")
        try Tool.write("{\"id\":\"1\",\"extra\":{\"deep\":1}}\n", to: input)
        let output = folder.appendingPathComponent("out.csv")
        let loose = try await Tool.run(["convert", input.path, "--columns", "id,never.there", "-o", output.path])
        #expect(loose.code == 0, "\(loose.stderr)")
        #expect(loose.stderr.contains("extra"), "\(loose.stderr)")
        #expect(loose.stderr.contains("never.there"), "\(loose.stderr)")
        try FileManager.default.removeItem(at: output)
        let strict = try await Tool.run(["convert", input.path, "--columns", "id,never.there", "-o", output.path, "--strict"])
        #expect(strict.code == 65, "\(strict.stderr)")
        #expect(try Tool.files(in: folder) == ["in.ndjson"])
        // No drift: --strict passes.
        let clean = try await Tool.run(["convert", input.path, "--columns", "id,extra", "--strict", "-q"])
        #expect(clean.code == 0, "\(clean.stderr)")
        #expect(clean.output == "id,extra\n1,\"{\"\"deep\"\":1}\"\n")
    }

    @Test("--query-file: comments and directives ignored; a syntax error names file, line and column (64)")
    func queryFile() async throws {
        let folder = try Tool.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Tool.write(#"{"id":"1","emails":[{"email":"a"}],"profiles":[{"gender":"F"}]}"# + "\n",
                       to: folder.appendingPathComponent("in.ndjson"))
        try Tool.write("# export 9879\nselect {\n  id\n  emails { email @map(limit:10) }\n  /* who */ profiles { gender }\n}"
                       + " from UserPoint where id = \"x\"\n", to: folder.appendingPathComponent("good.otql"))
        try Tool.write("SELECT {\n  id\n  emails { email\n} FROM UserPoint\n", to: folder.appendingPathComponent("bad.otql"))
        let good = try await Tool.run(["convert", "in.ndjson", "--query-file", "good.otql", "-q"], in: folder)
        #expect(good.code == 0, "\(good.stderr)")
        #expect(good.output == "id,emails.email,profiles.gender\n1,a,F\n")
        let bad = try await Tool.run(["convert", "in.ndjson", "--query-file", "bad.otql", "-q"], in: folder)
        #expect(bad.code == 64)
        #expect(bad.stderr.contains("bad.otql") && bad.stderr.contains("line 4"), "\(bad.stderr)")
        let count = try await Tool.run(["convert", "in.ndjson", "--query", "SELECT @count{} FROM UserPoint"], in: folder)
        #expect(count.code == 64)
        #expect(count.stdout.isEmpty)
    }

    @Test("two columns may read the same path")
    func samePathTwice() async throws {
        let folder = try Tool.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("in.ndjson")
        try Tool.write(#"{"id":"7","e":[{"m":"a"},{"m":"b"}]}"# + "\n", to: input)
        let result = try await Tool.run(["convert", input.path, "--columns", "id,x=id,m=e.m,m2=e.m", "-q"])
        #expect(result.code == 0)
        #expect(result.output == "id,x,m,m2\n7,7,a|b,a|b\n")
    }
}

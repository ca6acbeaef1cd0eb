import Foundation
import Testing

/// `--tables` end to end: tables read back by an independent Python check (csv, json, gzip
/// modules only: `Tests/interop/tables_readback.py`), parts and gzip, a stream whose array
/// appears after the sample (drift), and the usage errors.
@Suite("--tables through the built tool")
struct TablesCLITests {
    static let wideColumns =
        "id,creation_ts,emails.email,profiles.gender,profiles.interests,segments.id,activities.ts,activities.events.name,activities.events.properties.price"

    /// `python3 ARGS` in `directory`; the test fails with its output when it does not exit 0.
    private func python(_ arguments: [String], in directory: URL) async throws -> String {
        let quoted = arguments.map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        let result = try await ConvertTool.shell("\(InteropServer.python!) \(quoted) 2>&1", in: directory)
        #expect(result.code == 0, "python \(arguments.joined(separator: " ")):\n\(result.output)")
        return result.output
    }

    private func generate(_ profile: String, lines: Int, in directory: URL) async throws -> URL {
        let file = directory.appendingPathComponent("\(profile).ndjson")
        _ = try await python([ConvertTool.repository.appendingPathComponent("bench/generate.py").path, profile,
                              "--lines", String(lines), "--seed", "11", "-o", file.path], in: directory)
        return file
    }

    private func readBack(_ input: URL, _ schema: URL) async throws -> String {
        try await python([ConvertTool.repository.appendingPathComponent("Tests/interop/tables_readback.py").path,
                          input.path, schema.path], in: schema.deletingLastPathComponent())
    }

    @Test("wide records in parts and gzip: every table reads back as the records", .enabled(if: InteropServer.python != nil))
    func wideInPartsAndGzip() async throws {
        let scratch = try ConvertTool.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let input = try await generate("wide", lines: 1500, in: scratch)
        let out = scratch.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let result = try await ConvertTool.run([
            "convert", input.path, "--columns", Self.wideColumns, "--tables", "-o", out.path + "/users.csv.gz",
            "--split-rows", "700", "--manifest", "--quiet",
        ])
        #expect(result.code == 0, "stderr: \(result.stderr)")
        let files = try ConvertTool.files(in: out)
        for table in ["users", "users__emails", "users__profiles", "users__profiles__interests", "users__segments",
                      "users__activities", "users__activities__events"] {
            #expect(files.contains(table + "-00001.csv.gz"), "\(table) in \(files)")
            #expect(files.contains(table + ".manifest.json"), "\(table) in \(files)")
        }
        #expect(files.contains("users-00003.csv.gz"))  // 1500 records, 700 rows a part
        let schema = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("users.schema.json")))
        let tables = (schema as? [String: Any])?["tables"] as? [[String: Any]] ?? []
        #expect(tables.first?["files"] as? [String] == ["users-00001.csv.gz", "users-00002.csv.gz", "users-00003.csv.gz"])
        #expect(tables.first?["rows"] as? Int == 1500)
        let report = try await readBack(input, out.appendingPathComponent("users.schema.json"))
        #expect(report.contains("ok users__activities__events:"), "\(report)")
    }

    @Test("ragged records, inferred columns, CSV and NDJSON: the tables read back", .enabled(if: InteropServer.python != nil),
          arguments: ["users.csv", "users.ndjson"])
    func raggedReadsBack(output: String) async throws {
        let scratch = try ConvertTool.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let input = try await generate("ragged", lines: 2000, in: scratch)
        let result = try await ConvertTool.run(["convert", input.path, "--tables", "-o", scratch.path + "/" + output, "--quiet"])
        #expect(result.code == 0, "stderr: \(result.stderr)")
        let report = try await readBack(input, scratch.appendingPathComponent("users.schema.json"))
        #expect(report.contains("ok users__activities__events:"), "\(report)")
    }

    static let lateArrayInput = """
        {"id":1,"emails":[{"email":"a@x"}],"tags":"solo"}
        {"id":2,"emails":[],"tags":"one"}
        {"id":3,"emails":[{"email":"b@y"},{"email":"c@z"}],"tags":["p","q"]}

        """

    @Test("a stream whose array shows up after the sample: joined in the parent table, drift; --strict fails")
    func lateArrayOnStdin() async throws {
        let scratch = try ConvertTool.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let input = scratch.appendingPathComponent("in.ndjson")
        try ConvertTool.write(Self.lateArrayInput, to: input)
        let out = scratch.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let arguments = ["convert", "-", "--tables", "--columns", "id,emails.email,tags", "--infer-rows", "2",
                         "-o", out.path + "/users.csv"]
        let result = try await ConvertTool.run(arguments, stdin: input)
        #expect(result.code == 0, "stderr: \(result.stderr)")
        #expect(result.stderr.contains("drift: arrays found after the first --infer-rows records, joined in their parent table: tags"),
                "\(result.stderr)")
        #expect(try ConvertTool.read(out.appendingPathComponent("users.csv")) == "_row,id,tags\n1,1,solo\n2,2,one\n3,3,p|q\n")
        #expect(try ConvertTool.read(out.appendingPathComponent("users__emails.csv"))
                == "_row,_emails_idx,email\n1,0,a@x\n3,0,b@y\n3,1,c@z\n")
        #expect(try ConvertTool.read(out.appendingPathComponent("users.schema.json")).contains(
            #"{"name": "tags", "path": "tags", "type": "string"}"#))

        // The same file read as a file: an exact first pass, so tags is a table.
        let exact = try await ConvertTool.run(Array(arguments.prefix(1)) + [input.path] + Array(arguments.dropFirst(2)) + ["-q"])
        #expect(exact.code == 0, "stderr: \(exact.stderr)")
        #expect(try ConvertTool.read(out.appendingPathComponent("users__tags.csv")) == "_row,_tags_idx,value\n1,0,solo\n2,0,one\n3,0,p\n3,1,q\n")

        let strictOut = scratch.appendingPathComponent("strict")
        try FileManager.default.createDirectory(at: strictOut, withIntermediateDirectories: true)
        var strictArguments = arguments
        strictArguments[strictArguments.count - 1] = strictOut.path + "/users.csv"
        let strict = try await ConvertTool.run(strictArguments + ["--strict"], stdin: input)
        #expect(strict.code == 65, "stderr: \(strict.stderr)")
        #expect(try ConvertTool.files(in: strictOut).isEmpty)
    }

    @Test("--tables with --explode, or without -o, and --schema without -o, are usage errors (64)",
          arguments: [
              ["--tables", "--explode", "emails", "-o", "OUT/users.csv"],
              ["--tables"],
              ["--schema"],
              ["--tables", "--to", "raw", "-o", "OUT/users.ndjson"],
          ])
    func usageErrors(arguments: [String]) async throws {
        let scratch = try ConvertTool.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let input = scratch.appendingPathComponent("in.ndjson")
        try ConvertTool.write(Self.lateArrayInput, to: input)
        let result = try await ConvertTool.run(
            ["convert", input.path] + arguments.map { $0.replacingOccurrences(of: "OUT", with: scratch.path) })
        #expect(result.code == 64, "stderr: \(result.stderr)")
        #expect(try ConvertTool.files(in: scratch) == ["in.ndjson"])
    }

    @Test("--schema on a flat conversion: one table, typed, written last beside the output")
    func flatSchema() async throws {
        let scratch = try ConvertTool.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let input = scratch.appendingPathComponent("in.ndjson")
        try ConvertTool.write(Self.lateArrayInput, to: input)
        let result = try await ConvertTool.run(["convert", input.path, "--schema", "-o", scratch.path + "/flat.csv.gz", "-q"])
        #expect(result.code == 0, "stderr: \(result.stderr)")
        #expect(try ConvertTool.files(in: scratch) == ["flat.csv.gz", "flat.schema.json", "in.ndjson"])
        #expect(try ConvertTool.read(scratch.appendingPathComponent("flat.schema.json")) == """
            {"tables": [
              {"name": "flat", "files": ["flat.csv.gz"], "rows": 3, "columns": [
                {"name": "id", "path": "id", "type": "integer"},
                {"name": "emails.email", "path": "emails.email", "type": "string"},
                {"name": "tags", "path": "tags", "type": "string"}
              ]}
            ]}

            """)
    }
}

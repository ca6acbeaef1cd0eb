import Foundation
import Testing

/// `mics-export validate` and `mics-export run`, end to end through the built binary.
@Suite("Pipelines: validate and run")
struct RunCommandTests {
    static let repository = ConvertTool.repository.path
    static let userpoints = repository + "/Fixtures/sandbox/userpoints.ndjson"

    /// A fresh folder holding `files` (name → text); removed by the caller.
    static func folder(_ files: [String: String]) throws -> URL {
        let url = try ConvertTool.scratch()
        for (name, text) in files {
            try Data(text.utf8).write(to: url.appendingPathComponent(name))
        }
        return url
    }

    static func text(_ url: URL, _ name: String) -> String? {
        try? String(contentsOf: url.appendingPathComponent(name), encoding: .utf8)
    }

    static func pipeline(_ name: String, input: String, output: String, extra: String = "") -> String {
        """
        name: \(name)
        source: { file: "\(input)" }
        projection: { columns: "id,email=emails.email" }
        sink: { path: "\(output)" }
        \(extra)
        """
    }

    @Test func everyFileInPipelinesIsValid() async throws {
        let r = try await FetchToolRunner.run(
            ["validate"]
                + ["demo", "local-file", "segment-emails-redshift", "userpoints-bigquery"].map {
                    "pipelines/\($0).yaml"
                },
            in: Self.repository)
        #expect(r.code == 0, "\(r.all)")
        #expect(
            r.stdout.split(separator: "\n").count == 4
                && r.stdout.split(separator: "\n").allSatisfy { $0.hasSuffix(": ok") })
        // And nothing else in the folder escapes the check.
        let all = try FileManager.default.contentsOfDirectory(atPath: Self.repository + "/pipelines").filter {
            $0.hasSuffix(".yaml")
        }
        let every = try await FetchToolRunner.run(["validate"] + all.map { "pipelines/" + $0 }, in: Self.repository)
        #expect(every.code == 0, "\(every.all)")
    }

    @Test func validateReportsEveryMistakeOfEveryFile() async throws {
        let dir = try Self.folder([
            "a.yaml": "name: a\nsource: { file: x }\nprojection:\n  colums: id\n",
            "b.yaml": "source: { file: x }\nsink:\n  format: parquet\n  gzip: maybe\n",
            "c.yaml": "source: { file: x }\n",
        ])
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try await FetchToolRunner.run(["validate", "a.yaml", "b.yaml", "c.yaml"], in: dir.path)
        #expect(r.code == 65)
        #expect(
            r.stdout == """
                a.yaml:4:3: unknown key 'colums' in projection; did you mean 'columns'?
                b.yaml:3:11: unknown format 'parquet': expected csv, ndjson, raw
                b.yaml:4:9: 'gzip' expects true or false, not 'maybe'
                c.yaml: ok

                """)
        #expect(r.stderr.contains("3 mistakes in 2 of 3 files"))
    }

    @Test func oneFailingPipelineDoesNotStopTheOthers() async throws {
        let dir = try Self.folder([:])
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data("{\"id\":\"1\"}\n{\"id\": broken\n".utf8).write(to: dir.appendingPathComponent("bad.ndjson"))
        let files = [
            "one.yaml": Self.pipeline("one", input: Self.userpoints, output: "out/one.csv"),
            "bad.yaml": Self.pipeline("bad", input: "bad.ndjson", output: "out/bad.csv"),
            "two.yaml": Self.pipeline("two", input: Self.userpoints, output: "out/two.csv.gz"),
            "three.yaml": Self.pipeline("three", input: Self.userpoints, output: "out/three.ndjson"),
        ]
        for (name, text) in files { try Data(text.utf8).write(to: dir.appendingPathComponent(name)) }
        let r = try await FetchToolRunner.run(
            ["run", "one.yaml", "bad.yaml", "two.yaml", "three.yaml", "--jobs", "2"], in: dir.path)
        #expect(r.code == 65, "\(r.all)")
        #expect(Self.text(dir, "out/one.csv")?.hasPrefix("id,email\n518654305316653646402,") == true)
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("out/two.csv.gz").path))
        #expect(Self.text(dir, "out/three.ndjson")?.hasPrefix("{\"id\":\"518654305316653646402\",\"email\":") == true)
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("out/bad.csv").path))  // atomic
        #expect(r.stderr.contains("[bad] mics-export: "))
        #expect(r.stderr.contains("[one] 24 records → 24 rows") && r.stderr.contains("[three] wrote out/three.ndjson"))
        #expect(r.stderr.contains("3 of 4 pipelines succeeded"))
    }

    @Test func theExitCodeIsTheWorstOne() async throws {
        let dir = try Self.folder([
            "bad-data.yaml": Self.pipeline("bad-data", input: "bad.ndjson", output: "bad.csv"),
            "no-input.yaml": Self.pipeline("no-input", input: "missing.ndjson", output: "none.csv"),
            "invalid.yaml": "source: { file: x }\nsink: { format: xls }\n",
        ])
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data("{oops\n".utf8).write(to: dir.appendingPathComponent("bad.ndjson"))
        // bad data 65, an invalid pipeline file 65, a missing input 64 (usage): 64 is worse.
        let r = try await FetchToolRunner.run(
            ["run", "bad-data.yaml", "no-input.yaml", "invalid.yaml", "--jobs", "3"], in: dir.path)
        #expect(r.code == 64, "\(r.all)")
        #expect(r.stderr.contains("[invalid] mics-export: "))
        #expect(r.stderr.contains("invalid.yaml:2:17: unknown format 'xls'"))
        let some = try await FetchToolRunner.run(["run", "bad-data.yaml", "invalid.yaml"], in: dir.path)
        #expect(some.code == 65)
    }

    @Test func flagsOverrideTheFileAndSubstitutionReadsTheEnvironment() async throws {
        let dir = try Self.folder([
            "p.yaml": Self.pipeline(
                "p", input: "${INPUT}", output: "${OUT:-default}/p-${date}.csv",
                extra: "on-error: fail\n")
        ])
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try await FetchToolRunner.run(
            ["run", "p.yaml", "--columns", "id", "--to", "ndjson", "-q"],
            environment: ["INPUT": Self.userpoints, "OUT": "x"],
            in: dir.path)
        #expect(r.code == 0, "\(r.all)")
        #expect(r.stderr.isEmpty)
        let written = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("x").path)
        #expect(written.count == 1 && written[0].hasPrefix("p-20") && written[0].hasSuffix(".csv"))
        // The flags won: NDJSON with one column, whatever the file said.
        #expect(Self.text(dir, "x/" + written[0])?.hasPrefix("{\"id\":\"518654305316653646402\"}\n") == true)
        let unset = try await FetchToolRunner.run(["run", "p.yaml"], in: dir.path)
        #expect(unset.code == 65)
        #expect(unset.stderr.contains("p.yaml:2:18: environment variable INPUT is not set"))
    }

    @Test func twoPipelinesWritingTheSameFileAreRefused() async throws {
        let dir = try Self.folder([
            "a.yaml": Self.pipeline("a", input: Self.userpoints, output: "same.csv"),
            "b.yaml": Self.pipeline("b", input: Self.userpoints, output: "same.csv"),
        ])
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try await FetchToolRunner.run(["run", "a.yaml", "b.yaml"], in: dir.path)
        #expect(r.code == 64, "\(r.all)")
        #expect(r.stderr.contains("[b] mics-export: b.yaml: output same.csv is also used by a.yaml in this run"))
        #expect(r.stderr.contains("[a] wrote same.csv"))
    }

    @Test func outputFlagWithSeveralPipelinesIsRefused() async throws {
        let r = try await FetchToolRunner.run(["run", "a.yaml", "b.yaml", "-o", "same.csv"], in: Self.repository)
        #expect(r.code == 64)
    }

    /// The README's first command: no account, no network, the sandbox started in-process.
    @Test func theDemoPipelineEndToEnd() async throws {
        let dir = try ConvertTool.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try await FetchToolRunner.run(["run", Self.repository + "/pipelines/demo.yaml"], in: dir.path)
        #expect(r.code == 0, "\(r.all)")
        #expect(r.stderr.contains("[demo] sandbox listening on http://127.0.0.1:"))
        #expect(r.stderr.contains("[demo] export 9872, execution "))
        #expect(r.stderr.contains("[demo] 24 records → 24 rows"))
        let written = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("out").path)
        #expect(written.count == 1 && written[0].hasPrefix("demo-20") && written[0].hasSuffix(".csv.gz"))
        #expect(r.stderr.contains("[demo] wrote out/\(written.first ?? "?")"))
        let csv = try Self.gunzip(dir.appendingPathComponent("out/" + (written.first ?? "")))
        let lines = csv.split(separator: "\n")
        #expect(lines.first == "id,emails_email,profiles_gender,profiles_age,activities_ts,activities_events_name")
        #expect(lines.count == 25)
        #expect(lines.dropFirst().first == "518654305316653646402,user0.0@example.de|user0.1@example.fr,,,,")
    }

    /// An `export` source goes to the API named by MICS_API_URL / --api-url, here a sandbox.
    @Test func anExportSourceReadsThroughTheAPI() async throws {
        let dir = try Self.folder([
            "emails.yaml": """
            name: emails
            source: { export: 9879, organisation: "${ORG}" }
            sink: { path: emails.csv }
            """,
            "failing.yaml": "source: { export: 9891, organisation: 1426 }\nsink: { path: failing.csv }\n",
        ])
        defer { try? FileManager.default.removeItem(at: dir) }
        try await withToolSandbox { sandbox, env in
            var environment = env
            environment["ORG"] = sandbox.organisationID
            let r = try await FetchToolRunner.run(
                ["run", "emails.yaml", "failing.yaml"], environment: environment, in: dir.path)
            #expect(r.code == 70, "\(r.all)")  // the failing export's execution FAILED
            #expect(Self.text(dir, "emails.csv")?.hasPrefix("emails.id\n45931773795037525048\n") == true)
            #expect(r.stderr.contains("[failing] mics-export: "))
        }
    }

    static func gunzip(_ url: URL) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-dc", url.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}

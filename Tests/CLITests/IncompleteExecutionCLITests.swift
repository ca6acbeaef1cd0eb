import Foundation
import Testing

@testable import MicsSandbox

/// An execution that SUCCEEDED with erroneous tasks (sandbox export 9893: 22,703 of 299,808,
/// the reference's numbers), end to end through the built binary over real HTTP: the warning,
/// `--max-erroneous-tasks`, the ERRORS column, and the lineage.
@Suite("Incomplete executions: warned of, refused on demand, recorded")
struct IncompleteExecutionCLITests {
    let run = FetchToolRunner.run
    static let warning = "22,703 of 299,808 tasks erroneous (7.6 %): the result may be incomplete"

    /// A fresh empty folder, removed by the caller.
    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("mics-incomplete-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func contents(_ dir: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).sorted()
    }

    /// The id of export 9893's latest execution, from `executions list --json`.
    func latestExecution(_ env: [String: String]) async throws -> String {
        let list = try await run(["executions", "list", "9893", "--json"], env, nil)
        let items = try #require(try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])
        return try #require(items.first?["id"] as? String)
    }

    @Test func pullWarnsBeforeTheDownloadAndAgainInTheSummary() async throws {
        try await withToolSandbox { sandbox, env in
            let dir = try Self.folder()
            defer { try? FileManager.default.removeItem(at: dir) }
            let id = try await latestExecution(env)
            let r = try await run(
                ["pull", "9893", "--organisation", sandbox.organisationID, "-o", "e.csv"], env, dir.path)
            #expect(r.code == 0, "\(r.all)")
            let lines = r.stderr.split(separator: "\n").map(String.init)
            let warned = lines.indices.filter { lines[$0].contains("execution \(id): " + Self.warning) }
            let records = try #require(lines.firstIndex { $0.contains("records →") })
            #expect(warned.count == 2, "\(r.stderr)")
            // Once before anything was read, once in the summary (after the counts).
            #expect(warned.first.map { $0 < records } == true && warned.last.map { $0 > records } == true)
            #expect(lines[warned[0]] == "mics-export: warning: execution \(id): " + Self.warning)
            // The summary names what was read.
            #expect(r.stderr.contains("read export 9893 (incomplete export), execution \(id) SUCCEEDED, created "))
            #expect(Self.contents(dir) == ["e.csv"])
        }
    }

    @Test func theWarningComesBeforeTheDownloadEvenWhenTheDownloadFails() async throws {
        try await withToolSandbox { sandbox, env in
            let id = try await latestExecution(env)
            // Every download drops at once: the warning was printed before any byte was asked for.
            await sandbox.setFaults(SandboxFaults(dropAfterBytes: 0, dropTimes: 1000))
            let r = try await run(
                ["pull", "9893", "--organisation", sandbox.organisationID, "--max-attempts", "1", "-q"], env, nil)
            #expect(r.code == 69, "\(r.all)")
            #expect(r.stderr.contains("mics-export: warning: execution \(id): " + Self.warning))
            #expect(r.stdout.split(separator: "\n").count <= 1)  // the header at most: no data
        }
    }

    @Test(
        "--max-erroneous-tasks refuses with 70 and writes nothing; at the limit it reads",
        arguments: [("1000", false), ("22702", false), ("22703", true), ("5%", false), ("7.5%", false), ("7.6%", true)])
    func theLimitRefusesOrLetsThrough(limit: String, reads: Bool) async throws {
        try await withToolSandbox { sandbox, env in
            let dir = try Self.folder()
            defer { try? FileManager.default.removeItem(at: dir) }
            let id = try await latestExecution(env)
            let r = try await run(
                [
                    "pull", "9893", "--organisation", sandbox.organisationID, "--max-erroneous-tasks", limit,
                    "-o", "out.csv.gz", "--split-rows", "5", "--manifest",
                ], env, dir.path)
            if reads {
                #expect(r.code == 0, "\(r.all)")
                #expect(Self.contents(dir).contains("out.manifest.json"))
            } else {
                #expect(r.code == 70, "\(r.all)")
                #expect(Self.contents(dir).isEmpty)  // no part, no manifest, no temporary
                #expect(
                    r.stderr.contains(
                        "export 9893: the latest execution, \(id), SUCCEEDED with 22,703 of 299,808 tasks erroneous (7.6 %), more than --max-erroneous-tasks \(limit) allows: refused, nothing was written"
                    ), "\(r.stderr)")
                #expect(r.stderr.contains("hint: start a new execution with --execution new"))
            }
        }
    }

    @Test func aRefusedExecutionGivenByIdIsNamedAsSuch() async throws {
        try await withToolSandbox { sandbox, env in
            let id = try await latestExecution(env)
            let r = try await run(
                [
                    "pull", "9893", "--organisation", sandbox.organisationID, "--execution", id,
                    "--max-erroneous-tasks", "0",
                ], env, nil)
            #expect(r.code == 70)
            #expect(r.stderr.contains("export 9893: execution \(id) SUCCEEDED with 22,703 of 299,808"), "\(r.stderr)")
            #expect(!r.stderr.contains("the latest"))
            #expect(r.stdout.isEmpty)
            // An execution with no erroneous task passes any limit.
            let clean = try await run(
                ["pull", "9879", "--organisation", sandbox.organisationID, "--max-erroneous-tasks", "0", "-q"], env,
                nil)
            #expect(clean.code == 0, "\(clean.all)")
            #expect(!clean.stderr.contains("erroneous"))
        }
    }

    @Test(
        "a bad --max-erroneous-tasks is a usage error (64)",
        arguments: [
            "--max-erroneous-tasks=-1", "--max-erroneous-tasks=150%", "--max-erroneous-tasks=abc",
            "--max-erroneous-tasks=99999999999999999999", "--max-erroneous-tasks=%", "--max-erroneous-tasks=nan%",
        ])
    func badLimits(flag: String) async throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try await run(
            ["pull", "9893", "--organisation", "1426", flag, "-o", "out.csv", "--api-url", "http://127.0.0.1:9"], [:],
            dir.path)
        #expect(r.code == 64, "\(r.all)")
        #expect(r.stderr.contains("--max-erroneous-tasks expects a number of tasks"), "\(r.stderr)")
        #expect(Self.contents(dir).isEmpty)
    }

    @Test func executionsListHasAnErrorsColumnInEveryForm() async throws {
        try await withToolSandbox { _, env in
            let id = try await latestExecution(env)
            let tab = try await run(["executions", "list", "9893"], env, nil)
            let lines = tab.stdout.split(separator: "\n").map { $0.split(separator: "\t").map(String.init) }
            #expect(lines.first == ["ID", "STATUS", "CREATED", "DURATION", "TASKS", "ERRORS", "FILES"])
            #expect(
                lines.dropFirst().first.map { [$0[0], $0[1], $0[4], $0[5], $0[6]] } == [
                    id, "SUCCEEDED", "277105/299808", "22703", "export",
                ])
            let clean = try await run(["executions", "list", "9879"], env, nil)
            #expect(clean.stdout.split(separator: "\n").dropFirst().first?.split(separator: "\t")[5] == "0")
            let json = try await run(["executions", "list", "9893", "--json"], env, nil)
            let items = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
            #expect(items.first?["erroneous_tasks"] as? Int == 22703)
            #expect(items.first?["num_tasks"] as? Int == 299808)
            #expect(items.first?["completed_tasks"] as? Int == 277105)
        }
    }

    @Test func runRefusesAPipelineOverItsLimitAndWarnsOtherwise() async throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let strict =
            "name: strict\nsource: { sandbox: true, export: 9893, max-erroneous-tasks: 5% }\nsink: { path: out/strict.csv }\n"
        let lenient = "name: lenient\nsource: { sandbox: true, export: 9893 }\nsink: { path: out/lenient.csv }\n"
        try Data(strict.utf8).write(to: dir.appendingPathComponent("strict.yaml"))
        try Data(lenient.utf8).write(to: dir.appendingPathComponent("lenient.yaml"))
        let r = try await run(["run", "strict.yaml", "lenient.yaml"], [:], dir.path)
        #expect(r.code == 70, "\(r.all)")
        #expect(r.stderr.contains("more than source.max-erroneous-tasks 5% allows: refused, nothing was written"))
        #expect(r.stderr.contains("[lenient] warning: execution "))
        #expect(r.stderr.contains(Self.warning))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("out/strict.csv").path))
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("out/lenient.csv").path))
        // The flag wins over every file.
        let flag = try await run(["run", "lenient.yaml", "--max-erroneous-tasks", "100"], [:], dir.path)
        #expect(flag.code == 70)
        #expect(flag.stderr.contains("more than --max-erroneous-tasks 100 allows"))
    }

    @Test func validateChecksTheKeyWithItsPlace() async throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let files = [
            "a.yaml": "source:\n  sandbox: true\n  max-erroneous-tasks: 150%\n",
            "b.yaml": "source: { file: x.ndjson, max-erroneous-tasks: 10 }\n",
            "c.yaml": "source: { export: 9893, organisation: 1426, max-erroneous-tasks: 2.5% }\n",
        ]
        for (name, text) in files { try Data(text.utf8).write(to: dir.appendingPathComponent(name)) }
        let r = try await run(["validate", "a.yaml", "b.yaml", "c.yaml"], [:], dir.path)
        #expect(r.code == 65)
        #expect(
            r.stdout == """
                a.yaml:3:24: 'max-erroneous-tasks' expects a number of tasks (0 or more) or a share of them (0%…100%, such as 5%); a share is at most 100%, not '150%'
                b.yaml:1:27: 'max-erroneous-tasks' goes with 'export' or 'sandbox', and this source is 'file'
                c.yaml: ok

                """, "\(r.stdout)")
    }

    /// The `source` object of a schema file.
    static func schemaSource(_ dir: URL, _ name: String) throws -> [String: Any] {
        let data = try Data(contentsOf: dir.appendingPathComponent(name))
        let schema = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(schema["tables"] is [Any])
        return try #require(schema["source"] as? [String: Any])
    }

    @Test func aSchemaFileFromAPullRecordsTheLineage() async throws {
        try await withToolSandbox { sandbox, env in
            let dir = try Self.folder()
            defer { try? FileManager.default.removeItem(at: dir) }
            let id = try await latestExecution(env)
            let r = try await run(
                ["pull", "9893", "--organisation", sandbox.organisationID, "--schema", "-o", "emails.csv"], env,
                dir.path)
            #expect(r.code == 0, "\(r.all)")
            let source = try Self.schemaSource(dir, "emails.schema.json")
            let export = try #require(source["export"] as? [String: Any])
            #expect(export["id"] as? String == "9893" && export["name"] as? String == "incomplete export")
            let execution = try #require(source["execution"] as? [String: Any])
            #expect(execution["id"] as? String == id && execution["status"] as? String == "SUCCEEDED")
            for key in ["creation_date", "start_date", "end_date"] {
                let date = try #require(execution[key] as? String, "\(key)")
                #expect(date.hasSuffix("Z") && date.count == 24, "\(date)")  // 2026-12-01T13:03:42.766Z
            }
            let tasks = try #require(execution["tasks"] as? [String: Any])
            #expect(tasks["num"] as? Int == 299_808 && tasks["completed"] as? Int == 277_105)
            #expect(tasks["erroneous"] as? Int == 22703)
            let query = try #require(source["query"] as? [String: Any])
            #expect(query["text"] as? String == #"SELECT {emails {id}} FROM UserPoint WHERE segments {id="1205"}"#)
            #expect(query["language"] as? String == "OTQL" && query["id"] as? String == "45993")

            // Columns given on the command line: the export's query is still recorded.
            let given = try await run(
                [
                    "pull", "9879", "--organisation", sandbox.organisationID, "--columns", "emails.id", "--tables",
                    "-o", "given.csv",
                ], env, dir.path)
            #expect(given.code == 0, "\(given.all)")
            let recorded = try Self.schemaSource(dir, "given.schema.json")
            #expect((recorded["query"] as? [String: Any])?["text"] as? String == "SELECT {emails {id}} FROM UserPoint WHERE segments {id=\"1203\"}")
            #expect(((recorded["execution"] as? [String: Any])?["tasks"] as? [String: Any])?["erroneous"] as? Int == 0)
        }
    }

    @Test func aPipelineSchemaFileRecordsTheLineageAndAFileSourceNone() async throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let pulled = "source: { sandbox: true, export: 9893 }\nsink: { path: out/pulled.csv, schema: true }\n"
        try Data(pulled.utf8).write(to: dir.appendingPathComponent("pulled.yaml"))
        let r = try await run(["run", "pulled.yaml"], [:], dir.path)
        #expect(r.code == 0, "\(r.all)")
        let source = try Self.schemaSource(dir, "out/pulled.schema.json")
        #expect((source["export"] as? [String: Any])?["id"] as? String == "9893")
        #expect(((source["execution"] as? [String: Any])?["tasks"] as? [String: Any])?["erroneous"] as? Int == 22703)
        // Converted from a file: no source to record.
        let local = try await run(
            [
                "convert", ConvertTool.repository.path + "/Fixtures/sandbox/segment-emails.ndjson", "--schema", "-o",
                "local.csv",
            ], [:], dir.path)
        #expect(local.code == 0, "\(local.all)")
        let data = try Data(contentsOf: dir.appendingPathComponent("local.schema.json"))
        let schema = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        #expect(schema?["source"] == nil && schema?["tables"] != nil)
    }
}

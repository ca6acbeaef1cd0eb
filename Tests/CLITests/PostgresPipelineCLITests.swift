import Foundation
import MicsPostgres
import MicsPostgresTestSupport
import Testing

/// Pipeline files that load (`sink: { load, table, if-exists }`, SPEC.md §11): `run` and
/// `validate` through the built binary, against the throwaway server.
@Suite(.serialized) struct PostgresPipelineCLITests {
    let database: TestDatabase
    let folder: URL

    init() throws {
        database = try TestDatabase.get()
        folder = try ConvertTool.scratch()
    }

    func write(_ name: String, _ text: String) throws -> String {
        let url = folder.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    func run(_ arguments: [String], _ environment: [String: String] = [:]) async throws -> FetchToolRunner.Result {
        try await FetchToolRunner.run(arguments, environment: environment, in: folder.path)
    }

    func count(_ table: String) async throws -> Int {
        Int(try await database.query("SELECT count(*)::text FROM \(table)")[0][0] ?? "") ?? -1
    }

    func types(_ table: String) async throws -> [String] {
        try await database.query(
            "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = '\(table)'::regclass "
                + "AND attnum > 0 ORDER BY attnum"
        ).map { $0[0] ?? "" }
    }

    /// Neither output holds the password, whatever happened.
    func expectNoPassword(_ result: FetchToolRunner.Result, _ extra: String? = nil) {
        for secret in [database.password] + (extra.map { [$0] } ?? []) {
            #expect(!result.stdout.contains(secret) && !result.stderr.contains(secret), "\(result.all)")
        }
    }

    @Test func runLoadsAFlatTypedTableWithTheURLFromTheEnvironment() async throws {
        let table = TestDatabase.uniqueName("pipe_flat")
        _ = try write("in.ndjson", #"{"id":"a","n":1,"ok":true}"# + "\n" + #"{"id":"b","n":2}"# + "\n" + #"{"id":"c","n":30,"ok":false}"# + "\n")
        let path = try write(
            "flat.yaml",
            """
            name: flat
            source: { file: in.ndjson }
            projection: { columns: [id, n, ok] }
            sink: { load: "${TEST_DB}", table: \(table) }
            """)
        let result = try await run(["run", path], ["TEST_DB": database.url])
        #expect(result.code == 0, "\(result.all)")
        #expect(result.stderr.contains("[flat] 3 records → 3 rows"), "\(result.stderr)")
        #expect(result.stderr.contains("[flat] loaded 3 rows into \"public\".\"\(table)\""), "\(result.stderr)")
        #expect(try await types(table) == ["text", "bigint", "boolean"])
        #expect(try await database.query("SELECT id, n::text, ok::text FROM \(table) ORDER BY id") == [
            ["a", "1", "true"], ["b", "2", nil], ["c", "30", "false"],
        ])
        expectNoPassword(result)

        // The file says fail (the default): a second run is refused, and a flag wins over the file.
        let again = try await run(["run", path], ["TEST_DB": database.url])
        #expect(again.code == 1 && again.stderr.contains("already exists"), "\(again.all)")
        let replaced = try await run(["run", path, "--if-exists", "replace"], ["TEST_DB": database.url])
        #expect(replaced.code == 0 && replaced.stderr.contains("(replaced)"), "\(replaced.all)")
        #expect(try await count(table) == 3)
        expectNoPassword(again)
        expectNoPassword(replaced)
    }

    /// The repository's own file: the sandbox's export 9872, `tables: true`, the database from
    /// MICS_DATABASE_URL, replaced on the second run.
    @Test func theUserpointsPostgresPipelineLoadsTheSandboxExportAsTables() async throws {
        let table = TestDatabase.uniqueName("pipe_up")
        let environment = ["MICS_DATABASE_URL": database.url, "MICS_PG_TABLE": table]
        let file = ConvertTool.repository.path + "/pipelines/userpoints-postgres.yaml"
        let result = try await run(["run", file], environment)
        #expect(result.code == 0, "\(result.all)")
        #expect(result.stderr.contains("[userpoints-postgres] loaded 24 rows into \"public\".\"\(table)\""), "\(result.stderr)")
        #expect(result.stderr.contains("into \"public\".\"\(table)__emails\""), "\(result.stderr)")
        #expect(try await count(table) == 24)
        let children = try await database.query(
            "SELECT relname::text FROM pg_class WHERE relname LIKE '\(table)\\_\\_%' AND relkind = 'r' ORDER BY 1")
        #expect(children.map { $0[0] ?? "" }.contains("\(table)__emails"), "\(children)")
        // Child rows join their parent on _row.
        let orphans = try await database.query(
            "SELECT count(*)::text FROM \(table)__emails e LEFT JOIN \(table) u USING (_row) WHERE u._row IS NULL")
        #expect(orphans == [["0"]])
        #expect(try await types(table).first == "bigint")  // _row
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("load.schema.json").path))
        expectNoPassword(result)

        let again = try await run(["run", file], environment)
        #expect(again.code == 0 && again.stderr.contains("(replaced)"), "\(again.all)")
        #expect(try await count(table) == 24)
    }

    @Test func validateReportsLoadMistakesWithoutThePassword() async throws {
        let secret = "Pw-\(UInt32.random(in: 0...UInt32.max))-x"
        let path = try write(
            "bad.yaml",
            """
            source: { file: in.ndjson }
            sink:
              load: "postgres://me:\(secret)@db:99999/w"
              path: out.csv
              if-exists: overwrite
            """)
        let result = try await run(["validate", path])
        #expect(result.code == 65, "\(result.all)")
        #expect(result.stdout.contains("bad.yaml:3:9: 'load': database URL: the port is not a number"), "\(result.stdout)")
        #expect(result.stdout.contains("bad.yaml:4:9: 'path' shapes a file"), "\(result.stdout)")
        #expect(result.stdout.contains("bad.yaml:5:14: unknown if-exists 'overwrite'"), "\(result.stdout)")
        #expect(result.stdout.contains("'load' needs 'table'"), "\(result.stdout)")
        expectNoPassword(result, secret)
        // Every pipeline of the repository, the new one included, is valid with no database set.
        let all = try await FetchToolRunner.run(
            ["validate", "pipelines/userpoints-postgres.yaml"], in: ConvertTool.repository.path)
        #expect(all.code == 0 && all.stdout.hasSuffix(": ok\n"), "\(all.all)")
    }

    @Test func aWrongPasswordIs69AndABadLineRollsBackWithoutThePassword() async throws {
        let table = TestDatabase.uniqueName("pipe_bad")
        let wrong = "Wr0ng-\(UInt32.random(in: 0...UInt32.max))"
        _ = try write("bad.ndjson", #"{"id":"a"}"# + "\n" + #"{"id": broken"# + "\n")
        let path = try write(
            "p.yaml", "source: { file: bad.ndjson }\nsink: { load: \"${TEST_DB}\", table: \(table) }\n")
        let url = database.url.replacingOccurrences(of: ":\(database.password)@", with: ":\(wrong)@")
        let refused = try await run(["run", path], ["TEST_DB": url])
        #expect(refused.code == 69, "\(refused.all)")
        #expect(refused.stderr.contains("password authentication failed"), "\(refused.stderr)")
        expectNoPassword(refused, wrong)

        let bad = try await run(["run", path], ["TEST_DB": database.url])
        #expect(bad.code == 65, "\(bad.all)")
        #expect(try await database.query("SELECT to_regclass('\(table)')::text") == [[nil]])
        expectNoPassword(bad)
    }

    @Test func twoPipelinesLoadingOneTableInOneRunAreRefused() async throws {
        let table = TestDatabase.uniqueName("pipe_two")
        _ = try write("in.ndjson", #"{"id":"a"}"# + "\n")
        let body = "source: { file: in.ndjson }\nsink: { load: \"${TEST_DB}\", table: \(table) }\n"
        let a = try write("a.yaml", body)
        let b = try write("b.yaml", body)
        let result = try await run(["run", a, b], ["TEST_DB": database.url])
        #expect(result.code == 64, "\(result.all)")
        #expect(result.stderr.contains("table \"\(table)\" of postgres://"), "\(result.stderr)")
        #expect(try await count(table) == 1)
        expectNoPassword(result)
    }
}

import Foundation
import MicsPostgres
import MicsPostgresTestSupport
import Testing

/// `--load` end to end (SPEC.md §11): the built binary against the throwaway server, each
/// table read back and checked against the input read independently (Python's json module).
@Suite(.serialized) struct PostgresLoadCLITests {
    let database: TestDatabase
    let folder: URL

    init() throws {
        database = try TestDatabase.get()
        folder = try ConvertTool.scratch()
    }

    func input(_ lines: [String], _ name: String = "in.ndjson") throws -> String {
        let url = folder.appendingPathComponent(name)
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: url)
        return url.path
    }

    /// Every value as the server's text (row_to_json keeps each column's own text form).
    func rows(_ table: String) async throws -> [[String?]] {
        let json = try await database.query(
            "SELECT (SELECT array_agg(v) FROM json_each_text(row_to_json(t)) AS e(k, v))::text FROM \(table) t ORDER BY 1")
        return json.map { row in
            // {a,b} / {x,NULL}: array_agg's text, enough for the simple values these tests load.
            let inner = row[0]!.dropFirst().dropLast()
            return inner.split(separator: ",", omittingEmptySubsequences: false).map { $0 == "NULL" ? nil : String($0) }
        }
    }

    func leftovers() async throws -> Int {
        try await database.query("SELECT relname::text FROM pg_class WHERE relname LIKE '\\_mics\\_load\\_%'").count
    }

    static let records = [
        #"{"id":"u1","n":1,"price":1.50,"ok":true,"ts":"2024-05-01T12:00:00Z","day":"2024-02-29","tags":["a","b"],"s":"a,\"b\"\nc","obj":{"k":[1,2]}}"#,
        #"{"id":"u2","n":-9223372036854775808,"price":12345678901234567890123456789012345678,"ok":false,"ts":"2024-05-01T12:00:00.123+02:00","day":"1999-12-31","tags":[],"s":"","obj":null}"#,
        #"{"id":"u3"}"#,
        #"{"id":"u4","n":0,"price":0,"ok":true,"ts":"2024-05-01T00:00:00Z","day":"2024-01-01","tags":["x",null],"s":"é 漢字 🙂 \\N","obj":{}}"#,
    ]
    static let columns = "id,n,price,ok,ts,day,tags,s,obj"

    @Test func aFlatLoadMakesATypedTableEqualToTheRecords() async throws {
        let table = TestDatabase.uniqueName("cli_flat")
        let path = try input(Self.records)
        let result = try await ConvertTool.run([
            "convert", path, "--columns", Self.columns, "--load", database.url, "--table", table,
        ])
        #expect(result.code == 0, "\(result.stderr)")
        #expect(result.stderr.contains("loaded 4 rows into \"public\".\"\(table)\""))
        #expect(
            try await database.types(table) == [
                "text", "bigint", "numeric", "boolean", "timestamp with time zone", "date", "text", "text", "jsonb",
            ])
        // The table as JSON, checked by Python against the input file.
        let check = try await database.checkedByPython(
            "SELECT json_agg(t ORDER BY id)::text FROM \"\(table)\" t", input: path, columns: Self.columns, in: folder)
        #expect(check.code == 0 && check.output.hasPrefix("ok 4"), "\(check.output)\(check.stderr)")
    }

    @Test func tablesMakesAChildTablePerArrayLevel() async throws {
        let schema = TestDatabase.uniqueName("cli_schema")
        try await database.query("CREATE SCHEMA \(schema)")
        let path = try input([
            #"{"id":"u1","emails":[{"email":"a@x","ok":true},{"email":"b@y","ok":false}],"age":3}"#,
            #"{"id":"u2","emails":[],"age":4}"#,
            #"{"id":"u3","emails":[{"email":"c@z"}]}"#,
        ])
        let result = try await ConvertTool.run(
            ["convert", path, "--tables", "--load", database.url, "--table", "\(schema).users"], in: folder)
        #expect(result.code == 0, "\(result.stderr)")
        #expect(result.stderr.contains("loaded 3 rows into \"\(schema)\".\"users__emails\""), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("load.schema.json").path))
        #expect(try await rows("\(schema).users") == [["1", "u1", "3"], ["2", "u2", "4"], ["3", "u3", nil]])
        #expect(
            try await rows("\(schema).users__emails") == [
                ["1", "0", "a@x", "true"], ["1", "1", "b@y", "false"], ["3", "0", "c@z", nil],
            ])
        let types = try await database.query(
            "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = '\(schema).users__emails'::regclass "
                + "AND attnum > 0 ORDER BY attnum")
        #expect(types.map { $0[0]! } == ["bigint", "bigint", "text", "boolean"])
    }

    @Test func failReplaceAndAppend() async throws {
        let table = TestDatabase.uniqueName("cli_modes")
        let first = try input([#"{"id":"a","n":1}"#, #"{"id":"b","n":2}"#], "first.ndjson")
        let second = try input([#"{"id":"c","n":3}"#], "second.ndjson")
        let base = ["--columns", "id,n", "--load", database.url, "--table", table]
        #expect(try await ConvertTool.run(["convert", first] + base).code == 0)
        let again = try await ConvertTool.run(["convert", second] + base)
        #expect(again.code == 1 && again.stderr.contains("already exists"), "\(again.stderr)")
        #expect(try await rows("\"\(table)\"").map { $0[0] } == ["a", "b"])
        let appended = try await ConvertTool.run(["convert", second] + base + ["--if-exists", "append"])
        #expect(appended.code == 0 && appended.stderr.contains("loaded 1 row into"), "\(appended.stderr)")
        #expect(try await rows("\"\(table)\"").map { $0[0] } == ["a", "b", "c"])
        let replaced = try await ConvertTool.run(["convert", second] + base + ["--if-exists", "replace"])
        #expect(replaced.code == 0 && replaced.stderr.contains("(replaced)"), "\(replaced.stderr)")
        #expect(try await rows("\"\(table)\"").map { $0[0] } == ["c"])
        let missing = try await ConvertTool.run(
            ["convert", second, "--columns", "id,extra=n", "--load", database.url, "--table", table,
             "--if-exists", "append"])
        #expect(missing.code == 1 && missing.stderr.contains("no column \"extra\""), "\(missing.stderr)")
        #expect(try await leftovers() == 0)
    }

    /// Many chunks, integer columns staged as bigint while they look it (PostgresIntegerGuess):
    /// one stays bigint, one turns text late (a string), one numeric late (past 2^63), digit
    /// strings end as text. Every value's text is the input's token, checked by Python.
    @Test func integerLookingColumnsKeepEveryValueExact() async throws {
        let table = TestDatabase.uniqueName("cli_ints")
        var lines: [String] = []
        for i in 0..<30_000 {
            let late = i == 20_000 ? "\"x\"" : "\(i * 11)"
            let big = i == 29_999 ? "9223372036854775808" : "\(Int64.max - Int64(i))"
            let dec = i % 2 == 0 ? "1.50" : "\(i)"
            lines.append(#"{"id":"\#(1_000_000 + i)","n":\#(i - 15_000),"late":\#(late),"big":\#(big),"dec":\#(dec),"s":"v\#(i % 7)"}"#)
        }
        let path = try input(lines)
        let columns = "id,n,late,big,dec,s"
        let result = try await ConvertTool.run(["convert", path, "--columns", columns, "--load", database.url, "--table", table])
        #expect(result.code == 0, "\(result.stderr)")
        #expect(try await database.types(table) == ["text", "bigint", "text", "numeric", "numeric", "text"])
        let check = try await database.checkedByPython(
            "SELECT json_agg(json_build_array(id, n::text, late, big::text, dec::text, s) ORDER BY id)::text FROM \(table)",
            input: path, columns: columns, text: true, in: folder)
        #expect(check.code == 0 && check.output.hasPrefix("ok 30000"), "\(check.output)\(check.stderr)")
        #expect(try await leftovers() == 0)
    }

    @Test func aBadLineRollsTheLoadBack() async throws {
        let table = TestDatabase.uniqueName("cli_bad")
        let good = try input([#"{"id":"old"}"#], "good.ndjson")
        #expect(try await ConvertTool.run(["convert", good, "--load", database.url, "--table", table]).code == 0)
        let lines = (1...5000).map { #"{"id":"new\#($0)"}"# } + [#"{"id": broken"#]
        let bad = try input(lines, "bad.ndjson")
        let result = try await ConvertTool.run([
            "convert", bad, "--columns", "id", "--load", database.url, "--table", table, "--if-exists", "replace",
        ])
        #expect(result.code == 65, "\(result.stderr)")
        #expect(result.stderr.contains("bad.ndjson:5001"), "\(result.stderr)")
        #expect(try await rows("\"\(table)\"") == [["old"]])
        #expect(try await leftovers() == 0)
    }

    @Test func aNulCharacterIsABadLineWithItsNumber() async throws {
        let table = TestDatabase.uniqueName("cli_nul")
        let path = try input([#"{"id":"a"}"#, #"{"id":"b\u0000c"}"#, #"{"id":"d"}"#])
        let failed = try await ConvertTool.run(["convert", path, "--load", database.url, "--table", table])
        #expect(failed.code == 65, "\(failed.stderr)")
        #expect(failed.stderr.contains("in.ndjson:2") && failed.stderr.contains("U+0000"), "\(failed.stderr)")
        #expect(try await database.query("SELECT to_regclass('\(table)')::text") == [[nil]])
        let skipped = try await ConvertTool.run([
            "convert", path, "--load", database.url, "--table", table, "--on-error", "skip",
        ])
        #expect(skipped.code == 0, "\(skipped.stderr)")
        #expect(try await rows("\"\(table)\"") == [["a"], ["d"]])
        // Without --load the character is written as usual.
        let file = try await ConvertTool.run(["convert", path])
        #expect(file.code == 0 && file.stdout.contains(0))
    }

    @Test func aHostileTableNameIsOnlyAName() async throws {
        try await database.query("CREATE TABLE IF NOT EXISTS cli_victim (a int)")
        let name = "we\"ird; DROP TABLE cli_victim; --" + TestDatabase.uniqueName("")
        let path = try input([#"{"id":"x"}"#])
        let result = try await ConvertTool.run(["convert", path, "--load", database.url, "--table", name])
        #expect(result.code == 0, "\(result.stderr)")
        #expect(try await rows(PostgresName.quoted(name)) == [["x"]])
        #expect(try await database.query("SELECT to_regclass('cli_victim')::text") == [["cli_victim"]])
    }

    @Test func aWrongPasswordIsExit69WithoutThePassword() async throws {
        let wrong = "Wr0ng-\(UInt32.random(in: 0...UInt32.max))-pass"
        let url = database.url.replacingOccurrences(of: ":\(database.password)@", with: ":\(wrong)@")
        let path = try input([#"{"id":"x"}"#])
        let result = try await ConvertTool.run(["convert", path, "--load", url, "--table", "t_never"])
        #expect(result.code == 69, "\(result.stderr)")
        #expect(result.stderr.contains("password authentication failed"))
        for text in [result.output, result.stderr] {
            #expect(!text.contains(wrong) && !text.contains(database.password))
        }
    }

    @Test func fileOptionsAreRefusedWithLoad() async throws {
        let path = try input([#"{"id":"x"}"#])
        let result = try await ConvertTool.run([
            "convert", path, "--load", database.url, "--table", "t", "-o", "x.csv.gz", "--gzip",
        ])
        #expect(result.code == 64 && result.stderr.contains("-o, --gzip"), "\(result.stderr)")
        #expect(!result.stderr.contains(database.password))
    }

    @Test func sigtermInTheMiddleOfALargeLoadLeavesTheOldTable() async throws {
        let table = TestDatabase.uniqueName("cli_sigterm")
        let old = try input([#"{"id":"old","n":0}"#], "old.ndjson")
        #expect(try await ConvertTool.run(["convert", old, "--load", database.url, "--table", table]).code == 0)
        // ~20 MB: long enough to be interrupted while COPY runs.
        let big = folder.appendingPathComponent("big.ndjson")
        let line = Array(#"{"id":"a-fairly-long-identifier-for-this-row","n":12345,"s":"some text, quoted \"here\""}"#.utf8) + [10]
        var block: [UInt8] = []
        for _ in 0..<10_000 { block += line }
        FileManager.default.createFile(atPath: big.path, contents: nil)
        let handle = try FileHandle(forWritingTo: big)
        for _ in 0..<20 { handle.write(Data(block)) }
        try handle.close()

        let process = Process()
        process.executableURL = URL(fileURLWithPath: ConvertTool.binary)
        process.arguments = [
            "convert", big.path, "--columns", "id,n,s", "--load", database.url, "--table", table,
            "--if-exists", "replace",
        ]
        let err = folder.appendingPathComponent("sigterm.err")
        FileManager.default.createFile(atPath: err.path, contents: nil)
        process.standardError = try FileHandle(forWritingTo: err)
        process.standardOutput = FileHandle.nullDevice
        let exited = Task { try await ConvertTool.wait(process) }
        // Wait until the load's transaction is open (rows are being copied), then interrupt it.
        var copying = false
        for _ in 0..<500 where !copying {
            try await Task.sleep(for: .milliseconds(20))
            copying = try await database.query(
                "SELECT pid FROM pg_stat_activity WHERE application_name = 'mics-export' AND xact_start IS NOT NULL"
            ).count > 0
        }
        try await Task.sleep(for: .milliseconds(300))
        #expect(copying)
        process.terminate()
        let code = try await exited.value
        let stderr = (try? String(contentsOf: err, encoding: .utf8)) ?? ""
        #expect(code == 143, "\(stderr)")
        #expect(stderr.contains("rolled back"), "\(stderr)")
        #expect(try await rows("\"\(table)\"") == [["old", "0"]])
        var busy = -1
        for _ in 0..<50 {
            busy = try await database.query(
                "SELECT pid FROM pg_stat_activity WHERE application_name = 'mics-export'").count
            if busy == 0 { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(busy == 0)
        #expect(try await leftovers() == 0)
    }
}

extension TestDatabase {
    /// The types of `table`'s columns, in order (`table` as SQL: quoted where it needs to be).
    func types(_ table: String) async throws -> [String] {
        try await query(
            "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = '\(table)'::regclass "
                + "AND attnum > 0 AND NOT attisdropped ORDER BY attnum"
        ).map { $0[0]! }
    }

    /// The JSON text `sql` returns, checked against the input file by `Fixtures/postgres/check_load.py`
    /// (with `--text`: every value's text against the input's tokens): the script's result.
    func checkedByPython(
        _ sql: String, input: String, columns: String, text: Bool = false, in folder: URL
    ) async throws -> ConvertTool.Result {
        let json = try await query(sql)[0][0] ?? "null"
        let dump = folder.appendingPathComponent("table-\(UInt32.random(in: 0...UInt32.max)).json")
        try Data(json.utf8).write(to: dump)
        return try await ConvertTool.shell(
            "python3 \(ConvertTool.repository.path)/Fixtures/postgres/check_load.py \(text ? "--text " : "")"
                + "'\(input)' '\(dump.path)' \(columns)", in: folder)
    }
}

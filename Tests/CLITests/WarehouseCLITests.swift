import Foundation
import Testing

/// Parts, presets and `columns`, through the built binary as a user runs them.
@Suite struct WarehouseCLITests {
    static func folder() throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("mics-wh-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    /// 1,200 records, some with text a CSV writer must quote.
    static func writeInput(in folder: String) throws {
        var text = ""
        for index in 0..<1_200 {
            let note = index % 7 == 0 ? "\"a,b\\nc\"" : (index % 5 == 0 ? "null" : "\"n\(index)\"")
            text += "{\"id\":\"\(index)\",\"user\":{\"emailAddress\":\"u\(index)@example.com\"},\"note\":\(note)}\n"
        }
        try Data(text.utf8).write(to: URL(fileURLWithPath: folder + "/in.ndjson"))
    }

    /// `gzip -dc FILE`, as a user would check a part.
    static func gunzip(_ path: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "gzip -dc \"$0\"", path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "gzip -dc \(path)")
        return String(decoding: data, as: UTF8.self)
    }

    @Test func splitRowsWritesGzipPartsWithHeadersAndAManifest() async throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.writeInput(in: dir)
        try FileManager.default.createDirectory(atPath: dir + "/out", withIntermediateDirectories: true)
        let result = try await FetchToolRunner.run(
            [
                "convert", "in.ndjson", "-o", "out/users.csv.gz", "--split-rows", "500", "--manifest", "--header-style",
                "snake",
            ],
            in: dir
        )
        #expect(result.code == 0, "\(result.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir + "/out").sorted()
        #expect(files == ["users-00001.csv.gz", "users-00002.csv.gz", "users-00003.csv.gz", "users.manifest.json"])
        for name in files.dropLast() {
            #expect(
                try Self.gunzip(dir + "/out/" + name).hasPrefix("id,user_email_address,note\n"),
                "\(name) has the header"
            )
        }
        for name in files { #expect(result.stderr.contains("wrote out/\(name)")) }
        let manifest = try String(contentsOfFile: dir + "/out/users.manifest.json", encoding: .utf8)
        #expect(manifest.contains("\"record_count\":500") && manifest.contains("\"record_count\":200"))
    }

    @Test func splittingToStdoutIsAUsageError() async throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.writeInput(in: dir)
        let result = try await FetchToolRunner.run(["convert", "in.ndjson", "--split-bytes", "1MB"], in: dir)
        #expect(result.code == 64)
        #expect(result.stderr.contains("need an output file"))
        #expect(result.stdout.isEmpty)
    }

    @Test func aFailingRunLeavesNothingBehind() async throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.writeInput(in: dir)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: dir + "/in.ndjson"))
        handle.seekToEndOfFile()
        handle.write(Data("{\"id\": oops}\n".utf8))
        try handle.close()
        let result = try await FetchToolRunner.run(
            ["convert", "in.ndjson", "-o", "p.csv.gz", "--split-rows", "100", "--manifest"],
            in: dir
        )
        #expect(result.code == 65)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["in.ndjson"])
    }

    @Test func sigtermDuringAPartedRunLeavesNothingBehind() async throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var text = ""
        for index in 0..<40_000 { text += "{\"id\":\"\(index)\",\"note\":\"\(String(repeating: "n", count: 60))\"}\n" }
        try Data(text.utf8).write(to: URL(fileURLWithPath: dir + "/in.ndjson"))
        // A writer that sends the data, then holds the pipe open: the run cannot finish.
        let fifo = dir + "/feed"
        #expect(mkfifo(fifo, 0o600) == 0)
        let writer = Process()
        writer.executableURL = URL(fileURLWithPath: "/bin/sh")
        // `exec sleep`: terminating the writer ends the sleep too (no orphan holds the pipe).
        writer.arguments = ["-c", "exec 3>\"$0\"; cat \"$1\" >&3; exec sleep 120", fifo, dir + "/in.ndjson"]
        try writer.run()
        let tool = Process()
        tool.executableURL = URL(fileURLWithPath: FetchToolRunner.binary)
        tool.arguments = ["convert", fifo, "-o", dir + "/p.csv.gz", "--split-rows", "1000", "--manifest", "-q"]
        tool.standardError = FileHandle.nullDevice
        try tool.run()
        // Wait until some parts exist under their temporary names, then interrupt.
        var sawTemporary = false
        for _ in 0..<600 where !sawTemporary {  // up to 30 s on a loaded machine
            try await Task.sleep(for: .milliseconds(50))
            sawTemporary = (try FileManager.default.contentsOfDirectory(atPath: dir)).contains { $0.hasPrefix(".p-0") }
        }
        tool.terminate()
        tool.waitUntilExit()
        writer.terminate()
        #expect(sawTemporary, "parts were being written when the signal came")
        #expect(tool.terminationStatus == 143)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["feed", "in.ndjson"])
    }

    @Test func theRedshiftPresetWritesGzipPartsAndAManifest() async throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.writeInput(in: dir)
        let result = try await FetchToolRunner.run(
            ["convert", "in.ndjson", "--target", "redshift", "-o", "rs.csv.gz"],
            in: dir
        )
        #expect(result.code == 0, "\(result.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
        #expect(files == ["in.ndjson", "rs-00001.csv.gz", "rs.manifest.json"])
        #expect(try Self.gunzip(dir + "/rs-00001.csv.gz").hasPrefix("id,user_email_address,note\n"))
    }

    @Test(arguments: [
        (
            "bigquery",
            [
                "\"name\": \"user_email_address\", \"type\": \"STRING\"",
                "bq load --source_format=CSV --skip_leading_rows=1",
                "'gs://BUCKET/PREFIX/users-*.csv.gz' users.bigquery.json",
            ]
        ),
        (
            "snowflake",
            [
                "CREATE TABLE users (\n  id VARCHAR,", "COPY INTO users FROM @%users",
                "PATTERN = '.*users-[0-9]+[.]csv[.]gz'",
            ]
        ),
        (
            "redshift",
            [
                "\"user_email_address\" VARCHAR(65535)", "FROM 's3://BUCKET/PREFIX/users.manifest.json' MANIFEST",
                "FORMAT AS CSV GZIP IGNOREHEADER 1 EMPTYASNULL;",
            ]
        ),
        (
            "postgres",
            ["\"note\" text", "\\copy \"users\" FROM PROGRAM 'gzip -dc users.csv.gz' WITH (FORMAT csv, HEADER true)"]
        ),
        (
            "clickhouse",
            [
                "`note` Nullable(String)", "ENGINE = MergeTree",
                #"--query 'INSERT INTO `users` FROM INFILE '\''users.csv.gz'\'' COMPRESSION '\''gzip'\'' FORMAT CSVWithNames'"#,
            ]
        ),
    ])
    func columnsPrintsTheTableAndTheLoadCommand(target: String, expected: [String]) async throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.writeInput(in: dir)
        let result = try await FetchToolRunner.run(
            ["columns", "in.ndjson", "--target", target, "--output-path", "users.csv.gz"],
            in: dir
        )
        #expect(result.code == 0, "\(result.stderr)")
        for text in expected { #expect(result.stdout.contains(text), "\(target): \(text)\n\(result.stdout)") }
    }

    @Test func theLoadCommandFollowsTheNullTextAndDelimiterGiven() async throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let common = ["columns", "--columns", "a,b", "--null-value", "\\N", "--show", "load"]
        let bigquery = try await FetchToolRunner.run(common + ["--target", "bigquery"], in: dir)
        #expect(bigquery.stdout.contains("--null_marker='\\N'"), "\(bigquery.stdout)")
        let postgres = try await FetchToolRunner.run(
            common + ["--target", "postgres", "--delimiter", "tab", "--output-path", "t.tsv"], in: dir)
        #expect(postgres.stdout == "\\copy \"t\" FROM 't.tsv' WITH (FORMAT csv, HEADER true, DELIMITER E'\\t', NULL '\\N')\n")
        let clickhouse = try await FetchToolRunner.run(common + ["--target", "clickhouse"], in: dir)
        #expect(!clickhouse.stdout.contains("format_csv_null_representation"), "\\N is ClickHouse's own null text")
    }

    @Test func columnsListsNamesAndTheBigQuerySchemaIsValidJSON() async throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let list = try await FetchToolRunner.run(
            ["columns", "--columns", "id,user.emailAddress,a.b,a_b", "--header-style", "snake"],
            in: dir
        )
        #expect(list.code == 0 && list.stdout == "id\nuser_email_address\na_b\na_b_2\n")
        let schema = try await FetchToolRunner.run(
            [
                "columns", "--query", "SELECT { id emails { email } } FROM UserPoint", "--target", "bigquery", "--show",
                "table",
            ],
            in: dir
        )
        #expect(schema.code == 0, "\(schema.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(schema.stdout.utf8)) as? [[String: String]]
        #expect(json?.map { $0["name"] ?? "" } == ["id", "emails_email"])
        let none = try await FetchToolRunner.run(["columns"], in: dir)
        #expect(none.code == 64)
    }
}

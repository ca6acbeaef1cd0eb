import Foundation
import MicsPostgresTestSupport
import NIOCore
import Testing

/// `--target postgres` CSV files as PostgreSQL's own CSV COPY reads them (psql `\copy`).
@Suite(.serialized) struct PostgresCSVTargetTests {
    let database: TestDatabase
    let folder: URL

    init() throws {
        database = try TestDatabase.get()
        folder = try ConvertTool.scratch()
    }

    /// `\.` alone on a line ends a CSV COPY's data (PostgreSQL 15 drops the rows after it,
    /// silently): a one-column file must quote that value.
    @Test func aBackslashDotValueIsQuotedSoEveryRowIsCopied() async throws {
        let input = folder.appendingPathComponent("dot.ndjson")
        try Data(#"{"a":"x"}\#n{"a":"\\."}\#n{"a":"y"}\#n"#.utf8).write(to: input)
        let output = folder.appendingPathComponent("dot.csv")
        let result = try await ConvertTool.run([
            "convert", input.path, "--columns", "a", "--target", "postgres", "-o", output.path, "--quiet",
        ])
        #expect(result.code == 0, "\(result.stderr)")
        let csv = try Data(contentsOf: output)
        #expect(String(decoding: csv, as: UTF8.self) == "a\nx\n\"\\.\"\ny\n")

        let table = TestDatabase.uniqueName("csv_dot")
        _ = try await database.query("CREATE TABLE \(table) (a text)")
        try await database.copy(into: table, with: "FORMAT csv, HEADER true", [ByteBuffer(bytes: csv)])
        #expect(try await database.query("SELECT a FROM \(table) ORDER BY a COLLATE \"C\"") == [["\\."], ["x"], ["y"]])
    }
}

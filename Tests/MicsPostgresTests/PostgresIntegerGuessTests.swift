import MicsPostgresTestSupport
import Testing

@testable import MicsPostgres

/// Integer columns staged as `bigint` (PostgresIntegerGuess): the guess never changes a value.
@Suite(.serialized) struct PostgresIntegerGuessTests {
    @Test(arguments: [
        ("0", true), ("7", true), ("-7", true), ("1234567890", true),
        ("9223372036854775807", true), ("-9223372036854775808", true),
        ("9223372036854775808", false), ("-9223372036854775809", false), ("10000000000000000000", false),
        ("-0", false), ("007", false), ("+1", false), ("1.0", false), ("1e3", false), ("-", false),
        ("", false), (" 1", false), ("1 ", false), ("١", false), ("12a", false),
    ])
    func canonicalIntegersAreTheTextBigintGivesBack(cell: String, canonical: Bool) {
        let bytes = Array(cell.utf8)
        #expect(bytes.withUnsafeBytes(PostgresIntegerGuess.isCanonicalInteger) == canonical)
    }

    @Test func theScanFollowsQuotesAndRowEnds() {
        // Column 1 holds integers only; a quoted cell with a comma and a row end inside must not
        // shift the columns; column 2's `""` (the empty string) breaks it (its 7 is not looked at).
        let csv = "\"a,\n1\",5,\"\"\n\"x\"\"y\",,7\nz,-3,\n"
        let scan = Array(csv.utf8).withUnsafeBytes { PostgresIntegerGuess.scan($0, candidates: [true, true, true]) }
        #expect(scan.broken == [true, false, true])
        #expect(scan.integers == [false, true, false])
    }

    /// The same rows loaded with and without the guess, in chunks of 60 bytes (the guess made on
    /// the first, undone on later ones): every value read back is the same, and as expected.
    @Test func everyValueIsTheSameWithAndWithoutTheGuess() async throws {
        let database = try TestDatabase.get()
        let connector = PostgresConnector(settings: try PostgresSettings.resolve(url: database.url, environment: [:]))
        // a: integers → bigint; b: integers, then a decimal → numeric; c: integers, then -0 → bigint;
        // d: digit strings → text; e: integers, then the empty string → text; f: integers, then past
        // 2^63 → numeric; g: NULL in the first chunk, integers later → bigint.
        var rows: [String] = []
        var expected: [[String?]] = []
        for i in 0..<40 {
            let b = i == 30 ? "12.50" : "\(i * 3)"
            let c = i == 25 ? "-0" : "\(-i)"
            let e = i == 35 ? "\"\"" : "\(i)"
            let f = i == 39 ? "9223372036854775808" : "\(Int64.max - Int64(i))"
            let g = i < 10 ? "" : "\(i)"
            rows.append("\(i),\(b),\(c),\(1000 + i),\(e),\(f),\(g)")
            expected.append([
                "\(i)", b, i == 25 ? "0" : c, "\(1000 + i)", i == 35 ? "" : "\(i)", f, i < 10 ? nil : "\(i)",
            ])
        }
        let types: [PostgresColumnType] = [.bigint, .numeric, .bigint, .text, .text, .numeric, .bigint]
        var results: [[[String?]]] = []
        for guess in [true, false] {
            let table = TestDatabase.uniqueName(guess ? "guess" : "noguess")
            let session = try await PostgresLoadSession.open(
                connector: connector,
                tables: [.init(name: try PostgresTableName(parsing: table), columns: ["a", "b", "c", "d", "e", "f", "g"])],
                options: .init(chunkBytes: 60, guessIntegers: guess))
            for row in rows { try await session.write(table: 0, csv: Array((row + "\n").utf8), rows: 1) }
            _ = try await session.finish(types: [types])
            let typesRead = try await database.query(
                "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = '\(table)'::regclass "
                    + "AND attnum > 0 AND NOT attisdropped ORDER BY attnum")
            #expect(typesRead.map { $0[0]! } == ["bigint", "numeric", "bigint", "text", "text", "numeric", "bigint"])
            results.append(
                try await database.query("SELECT a::text, b::text, c::text, d, e, f::text, g::text FROM \(table) ORDER BY a + 0"))
        }
        #expect(results[0] == results[1])
        #expect(results[0] == expected)
    }
}

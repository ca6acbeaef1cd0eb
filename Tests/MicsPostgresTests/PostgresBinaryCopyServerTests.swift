import Foundation
import MicsPostgresTestSupport
import NIOCore
import PostgresNIO
import Testing

@testable import MicsPostgres

/// The server as the oracle: random rows loaded once as CSV that the server parses itself
/// (`FORMAT csv`) and once as our binary tuples; the two tables must hold the same rows
/// (`EXCEPT ALL` empty both ways).
@Suite(.serialized) struct PostgresBinaryCopyServerTests {
    let database: TestDatabase

    init() throws {
        database = try TestDatabase.get()
    }

    /// Straight through the transcoder: text and bigint columns, rows cut into random whole-row blocks.
    @Test(arguments: [1 as UInt64, 2, 3])
    func binaryTuplesLoadWhatTheServersCSVReadingLoads(seed: UInt64) async throws {
        var random = RandomCells(seed: seed)
        let kinds: [RandomCells.Kind] = [.text, .integers, .text, .text, .integers, .text]
        let rows = (0..<3000).map { _ in kinds.map { random.cell($0) } }
        let definition = "(a text, b bigint, c text, d text, e bigint, f text)"
        let (csvTable, binaryTable) = (TestDatabase.uniqueName("csv"), TestDatabase.uniqueName("bin"))
        try await database.query("CREATE TABLE \(csvTable) \(definition)")
        try await database.query("CREATE TABLE \(binaryTable) \(definition)")
        let csv = rows.map { random.csvRow($0) }
        try await database.copy(into: csvTable, with: "FORMAT csv", [ByteBuffer(bytes: csv.joined())])

        var blocks = [PostgresBinaryTranscoder.header]
        var start = 0
        let transcoder = PostgresBinaryTranscoder(bigint: kinds.map { $0 == .integers })
        while start < csv.count {
            let end = min(csv.count, start + random.int(1...200))
            var buffer = ByteBuffer()
            let outcome = Array(csv[start..<end].joined()).withUnsafeBytes { transcoder.append($0, to: &buffer) }
            #expect(outcome == .appended)
            blocks.append(buffer)
            start = end
        }
        blocks.append(PostgresBinaryTranscoder.trailer)
        try await database.copy(into: binaryTable, with: "FORMAT binary", blocks)
        try await expectSameRows(csvTable, binaryTable, count: rows.count)
    }

    /// Through a load session: two tables written in turns (a COPY restarted, with its header and
    /// trailer, at each turn), integer columns staged as bigint and one broken by a late text cell.
    @Test(arguments: [PostgresLoadSession.Staging.inPlace, .temporary])
    func aLoadHoldsWhatTheServersCSVReadingLoads(staging: PostgresLoadSession.Staging) async throws {
        var random = RandomCells(seed: staging == .inPlace ? 11 : 12)
        let kinds: [RandomCells.Kind] = [.integers, .text, .integersThenText(row: 900), .integers, .text]
        let columns = ["n", "t", "late", "m", "u"]
        let types: [PostgresColumnType] = [.bigint, .text, .text, .bigint, .text]
        let definition = "(n bigint, t text, late text, m bigint, u text)"
        let names = (0..<2).map { _ in TestDatabase.uniqueName("load") }
        let oracles = (0..<2).map { _ in TestDatabase.uniqueName("oracle") }
        let session = try await PostgresLoadSession.open(
            connector: PostgresConnector(settings: try database.settings),
            tables: try names.map { .init(name: try PostgresTableName(parsing: $0), columns: columns) },
            options: .init(chunkBytes: 2000, staging: staging))
        var csv: [[UInt8]] = [[], []]
        var row = [0, 0]
        for turn in 0..<400 {
            let table = turn % 2
            let count = random.int(1...12)
            var block: [UInt8] = []
            for _ in 0..<count {
                block += random.csvRow(kinds.map { random.cell($0, row: row[table]) })
                row[table] += 1
            }
            try await session.write(table: table, csv: block, rows: count)
            csv[table] += block
        }
        _ = try await session.finish(types: [types, types])
        for table in 0..<2 {
            try await database.query("CREATE TABLE \(oracles[table]) \(definition)")
            try await database.copy(into: oracles[table], with: "FORMAT csv", [ByteBuffer(bytes: csv[table])])
            try await expectSameRows(oracles[table], names[table], count: row[table])
        }
    }

    /// `\.` alone on a line ends the data of a CSV COPY (PostgreSQL 15: the rows after it are
    /// silently dropped); in a binary tuple it is two bytes like any others.
    @Test func aLoneBackslashDotIsAValueNotTheEndOfTheData() async throws {
        let table = TestDatabase.uniqueName("dot")
        let session = try await PostgresLoadSession.open(
            connector: PostgresConnector(settings: try database.settings),
            tables: [.init(name: try PostgresTableName(parsing: table), columns: ["a"])])
        try await session.write(table: 0, csv: Array("a\n\\.\nb\n".utf8), rows: 3)
        _ = try await session.finish(types: [[.text]])
        #expect(try await database.query("SELECT a FROM \(table) ORDER BY a COLLATE \"C\"") == [["\\."], ["a"], ["b"]])
    }

    func expectSameRows(_ a: String, _ b: String, count: Int) async throws {
        let counts = try await database.query(
            "SELECT (SELECT count(*) FROM \(a))::text, (SELECT count(*) FROM \(b))::text")
        #expect(counts == [["\(count)", "\(count)"]])
        // Each row as one text (`(1,"a b",)`): bigint columns read back as text too.
        let onlyInA = try await database.query(
            "SELECT r::text FROM (SELECT * FROM \(a) EXCEPT ALL SELECT * FROM \(b)) r")
        let onlyInB = try await database.query(
            "SELECT r::text FROM (SELECT * FROM \(b) EXCEPT ALL SELECT * FROM \(a)) r")
        #expect(onlyInA.isEmpty, "rows of \(a) (server-read CSV) not in \(b): \(onlyInA.prefix(5))")
        #expect(onlyInB.isEmpty, "rows of \(b) not in \(a) (server-read CSV): \(onlyInB.prefix(5))")
    }
}

/// Seeded random cells and their CSV (COPY's dialect), with the bytes that are hard to get right.
struct RandomCells {
    enum Kind: Equatable {
        case text
        /// NULL or canonical integers, the bounds among them.
        case integers
        /// Integers up to `row`, then any text now and then.
        case integersThenText(row: Int)
    }

    enum Cell {
        case null
        /// Never quoted: a bigint-staged column's cells.
        case integer(String)
        case text(String)
    }

    /// The C library's seeded generator (`jrand48`, its state passed in): a failure can be replayed.
    private var state: (UInt16, UInt16, UInt16)

    init(seed: UInt64) { state = (0x330E, UInt16(truncatingIfNeeded: seed), UInt16(truncatingIfNeeded: seed >> 16)) }

    mutating func next() -> UInt64 {
        withUnsafeMutablePointer(to: &state) { tuple in
            tuple.withMemoryRebound(to: UInt16.self, capacity: 3) { words in
                let high = UInt64(UInt32(truncatingIfNeeded: jrand48(words)))
                return high << 32 | UInt64(UInt32(truncatingIfNeeded: jrand48(words)))
            }
        }
    }

    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }

    static let pieces = [
        "a", "Z", " ", ",", "\"", "\"\"", "\n", "\r", "\r\n", "é", "漢字", "🙂", "\\", "\\N", "\\.", "NULL", "0",
        "-", "'", "\t", "x,y", "\u{7F}", "\u{FEFF}",
        // Runs longer than the transcoder's sixteen-byte window.
        "abcdefghijklmnop", "0123456789abcdefghijklmnopqrstuv_",
    ]
    static let integers: [Int64] = [0, 1, -1, 42, -7, Int64.max, Int64.min, Int64.max - 1, Int64.min + 1, 1_000_000]

    mutating func cell(_ kind: Kind, row: Int = 0) -> Cell {
        switch kind {
        case .integers:
            return integerCell()
        case .integersThenText(let from):
            return row >= from && int(0...9) == 0 ? textCell() : integerCell()
        case .text:
            return textCell()
        }
    }

    mutating func integerCell() -> Cell {
        switch int(0...9) {
        case 0: return .null
        case 1...3: return .integer(String(Self.integers[int(0...Self.integers.count - 1)]))
        default: return .integer(String(Int64(bitPattern: next()) >> int(0...63)))
        }
    }

    mutating func textCell() -> Cell {
        switch int(0...9) {
        case 0: return .null
        case 1: return .text("")
        case 2: return integerCell()
        default: return .text((0..<int(1...6)).map { _ in Self.pieces[int(0...Self.pieces.count - 1)] }.joined())
        }
    }

    /// NULL unquoted and empty, the empty string `""`; a text that needs quotes gets them, and
    /// one that does not now and then too.
    mutating func csvRow(_ cells: [Cell]) -> [UInt8] {
        let fields = cells.map { cell -> String in
            switch cell {
            case .null:
                return ""
            case .integer(let digits):
                return digits
            case .text(let text):
                let needsQuotes = text.isEmpty || text.utf8.contains { [0x2C, 0x22, 0x0A, 0x0D].contains($0) }
                guard needsQuotes || int(0...4) == 0 else { return text }
                return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            }
        }
        return Array((fields.joined(separator: ",") + "\n").utf8)
    }
}

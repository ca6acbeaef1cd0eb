import NIOCore
import Testing

@testable import MicsPostgres

/// CSV rows → binary COPY tuples, against bytes written by hand (the format: PostgreSQL's
/// `COPY` docs, "Binary Format"). The server's own reading of both is PostgresBinaryCopyServerTests.
@Suite struct PostgresBinaryTranscoderTests {
    static func tuples(_ csv: String, bigint: [Bool] = []) -> [UInt8] {
        var buffer = ByteBuffer()
        let transcoder = PostgresBinaryTranscoder(bigint: bigint)
        let outcome = Array(csv.utf8).withUnsafeBytes { transcoder.append($0, to: &buffer) }
        #expect(outcome == .appended)
        return Array(buffer.readableBytesView)
    }

    // Fields as the format spells them, independent of the transcoder.
    static func count(_ n: Int16) -> [UInt8] { [UInt8(truncatingIfNeeded: n >> 8), UInt8(truncatingIfNeeded: n)] }
    static func text(_ s: String) -> [UInt8] { length(Int32(s.utf8.count)) + Array(s.utf8) }
    static func length(_ n: Int32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: n >> (24 - 8 * $0)) } }
    static let null: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF]

    @Test func theHeaderAndTrailerAreTheFormatsOwn() {
        #expect(
            Array(PostgresBinaryTranscoder.header.readableBytesView)
                == [0x50, 0x47, 0x43, 0x4F, 0x50, 0x59, 0x0A, 0xFF, 0x0D, 0x0A, 0x00, 0, 0, 0, 0, 0, 0, 0, 0])
        #expect(Array(PostgresBinaryTranscoder.trailer.readableBytesView) == [0xFF, 0xFF])
    }

    @Test func aNullIsAnUnquotedEmptyCellAndTheEmptyStringAQuotedOne() {
        #expect(Self.tuples(",\"\",\n") == [0, 3] + Self.null + [0, 0, 0, 0] + Self.null)
        // One column: an empty line is one NULL.
        #expect(Self.tuples("\n") == [0, 1, 0xFF, 0xFF, 0xFF, 0xFF])
    }

    @Test func quotesCommasAndRowEndsInsideAQuotedCellAreItsText() {
        #expect(
            Self.tuples("\"x\"\"y\",\"a,b\n\r\nc\",\"\"\"\"\n")
                == [0, 3, 0, 0, 0, 3, 0x78, 0x22, 0x79] + Self.text("a,b\n\r\nc") + [0, 0, 0, 1, 0x22])
        // A quoted part may start inside a cell, as the server reads it: ab"c,d"e is abc,de.
        #expect(Self.tuples("ab\"c,d\"e,f\n") == Self.count(2) + Self.text("abc,de") + Self.text("f"))
    }

    @Test func multibyteTextIsCopiedAsItsBytes() {
        #expect(
            Self.tuples("é 漢字 🙂,\"🙂,\"\n")
                == [0, 2, 0, 0, 0, 14, 0xC3, 0xA9, 0x20, 0xE6, 0xBC, 0xA2, 0xE5, 0xAD, 0x97, 0x20, 0xF0, 0x9F]
                + [0x99, 0x82] + Self.text("🙂,"))
    }

    @Test func bigintCellsAreEightBytesBigEndian() {
        let csv = "9223372036854775807,-9223372036854775808,0,-1,42,\n"
        #expect(
            Self.tuples(csv, bigint: [true, true, true, true, true, true]) == [0, 6]
                + [0, 0, 0, 8, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]
                + [0, 0, 0, 8, 0x80, 0, 0, 0, 0, 0, 0, 0]
                + [0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0]
                + [0, 0, 0, 8, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]
                + [0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 42]
                + Self.null)
        // Past the end of `bigint`, and where it is false, a column is text.
        #expect(Self.tuples("7,8,9\n", bigint: [false, true]) == [0, 3] + Self.text("7") + Self.length(8)
            + [0, 0, 0, 0, 0, 0, 0, 8] + Self.text("9"))
    }

    @Test(arguments: ["\"\"", "\"1\"", "1.5", "-0", "007", "9223372036854775808", "1\"2\"", "x"])
    func aBigintCellThatIsNoCanonicalIntegerLeavesTheBufferAsItWas(cell: String) {
        var buffer = ByteBuffer(bytes: [1, 2, 3])
        let csv = Array("5,a\n6,b\n\(cell),c\n".utf8)
        let outcome = csv.withUnsafeBytes { PostgresBinaryTranscoder(bigint: [true]).append($0, to: &buffer) }
        #expect(outcome == .notAnInteger(column: 0))
        #expect(Array(buffer.readableBytesView) == [1, 2, 3])
    }

    /// Unquoted runs are found sixteen bytes at a time: cells and rows of every length around
    /// that window, with each kind of run end just inside, at, and just past it.
    @Test(arguments: [1, 2, 14, 15, 16, 17, 31, 32, 33, 47, 100])
    func unquotedRunsOfEveryLengthAroundSixteenBytesAreWhole(length: Int) {
        let cell = String((0..<length).map { Character(UnicodeScalar(UInt8(ascii: "a") + UInt8($0 % 26))) })
        #expect(Self.tuples(cell + "\n") == Self.count(1) + Self.text(cell))
        #expect(Self.tuples(cell + "," + cell + "\r\n") == Self.count(2) + Self.text(cell) + Self.text(cell))
        // A quoted part right after the run, and a row cut after it with no row end.
        #expect(Self.tuples(cell + "\"\"\"x\"," + cell) == Self.count(2) + Self.text(cell + "\"x") + Self.text(cell))
        let digits = String(repeating: "7", count: min(length, 18))
        #expect(
            Self.tuples(digits + "," + cell + "\n", bigint: [true])
                == Self.count(2) + Self.length(8) + Self.bigEndian(Int64(digits)!) + Self.text(cell))
    }

    static func bigEndian(_ value: Int64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: value >> (56 - 8 * $0)) } }

    @Test func rowsEndingInCarriageReturnNewlineOrAtTheEndAreWhole() {
        #expect(Self.tuples("a,1\r\nb,2") == Self.count(2) + Self.text("a") + Self.text("1") + Self.count(2)
            + Self.text("b") + Self.text("2"))
    }

    /// Tuples four times longer than their CSV (NULLs), and cells longer than the first room
    /// asked for: the buffer grows row by row, and appends after what it held.
    @Test func aTupleLongerThanTheRoomFirstAskedForIsWrittenWhole() {
        let nulls = String(repeating: ",", count: 999) + "\n"
        let long = "\"" + String(repeating: "\"\"", count: 1500) + "\",x\n"
        var expected: [UInt8] = [9]
        for _ in 0..<3 { expected += Self.count(1000) + Array(repeating: Self.null, count: 1000).flatMap { $0 } }
        expected += Self.count(2) + Self.text(String(repeating: "\"", count: 1500)) + Self.text("x")
        var buffer = ByteBuffer(bytes: [9])
        let csv = Array((nulls + nulls + nulls + long).utf8)
        let outcome = csv.withUnsafeBytes { PostgresBinaryTranscoder(bigint: []).append($0, to: &buffer) }
        #expect(outcome == .appended)
        #expect(Array(buffer.readableBytesView) == expected)
    }
}

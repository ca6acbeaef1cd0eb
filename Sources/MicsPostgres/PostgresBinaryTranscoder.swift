import CByteScan
import NIOCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whole CSV rows in COPY's CSV dialect (as `--target postgres` writes them) → the tuples of
/// PostgreSQL's binary COPY format, written straight into the buffer that is sent: the server
/// then stores the fields as they come instead of parsing CSV (its COPY of the wide corpus,
/// 122,088 rows: 0.12–0.18 s user as CSV, 0.08–0.11 s as binary).
///
/// ```
/// CSV    "x""y",,42\n            columns: text, text, bigint-staged (PostgresIntegerGuess)
/// tuple  00 03                     field count (int16)
///        00 00 00 03 78 22 79      text: length (int32), the cell unquoted ("" → ")
///        ff ff ff ff               NULL: an unquoted empty cell
///        00 00 00 08 00 … 00 2a    bigint: length 8, the int64 big-endian
/// ```
///
/// The dialect: `,` between cells, `\n` (or `\r\n`) after each row, `"` quotes with `""` inside
/// (a quoted part may start anywhere in a cell, as the server reads it), NULL an unquoted empty
/// cell, the empty string `""`. A COPY's data is `header`, the tuples, then `trailer`; the
/// tuples of one call are whole rows, so a COPY may end after any call. Each tuple has the
/// row's own field count: a row with the wrong count is refused by the server, as its CSV would be.
struct PostgresBinaryTranscoder {
    /// Per column: staged as `bigint`, its cells sent as int64 (a column past the end is text).
    let bigint: [Bool]

    /// `PGCOPY\n\377\r\n\0`, then the flags (int32 0: no OIDs) and the header extension's length (int32 0).
    static let header = ByteBuffer(bytes: Array("PGCOPY\n".utf8) + [0xFF, 0x0D, 0x0A, 0x00] + [0, 0, 0, 0, 0, 0, 0, 0])
    /// The end of a COPY's tuples: a field count of −1.
    static let trailer = ByteBuffer(bytes: [0xFF, 0xFF])

    enum Outcome: Equatable {
        /// Every row is in the buffer.
        case appended
        /// A cell of this bigint-staged column is neither NULL nor a canonical integer; the
        /// buffer is as it was before the call.
        case notAnInteger(column: Int)
    }

    /// Appends the tuples of `csv` (whole rows) to `buffer`.
    func append(_ csv: UnsafeRawBufferPointer, to buffer: inout ByteBuffer) -> Outcome {
        let start = buffer.writerIndex
        var position = 0
        // A few rows' worth: the buffer grows only once what it has is full, as `writeBytes` would
        // (room for the whole block at once could double it while a chunk is still filling).
        var room = 4096
        while position < csv.count {
            let rowsFrom = position
            var stop = Stop.done
            buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: room) { out in
                let (written, stopped) = rows(csv, from: &position, into: out)
                stop = stopped
                return written
            }
            switch stop {
            case .done:
                break
            case .needsRoom where position == rowsFrom:
                // Not one row fitted in all the room there was: twice as much.
                room = max(room, buffer.writableBytes) * 2
            case .needsRoom:
                break
            case .notAnInteger(let column):
                buffer.moveWriterIndex(to: start)
                return .notAnInteger(column: column)
            }
        }
        return .appended
    }

    private enum Stop { case done, needsRoom, notAnInteger(Int) }

    private static let comma = UInt8(ascii: ","), quote = UInt8(ascii: "\""), newline = UInt8(ascii: "\n")
    private static let carriageReturn = UInt8(ascii: "\r")
    /// Bit b set: byte b ends an unquoted run (`,` `"` `\n` `\r`, all below 64).
    private static let runEnds: UInt64 = 1 << comma | 1 << quote | 1 << newline | 1 << carriageReturn

    @inline(__always)
    private static func endsRun(_ byte: UInt8) -> Bool {
        byte < 64 && runEnds >> byte & 1 != 0
    }

    /// The index of the first byte at or after `i` that ends an unquoted run (`n` if none):
    /// sixteen bytes at a time (a byte loop was most of the transcoder's time), the last
    /// fifteen one by one.
    @inline(__always)
    private static func runEnd(_ csv: UnsafeRawBufferPointer, from i: Int) -> Int {
        let n = csv.count
        var i = i
        if let base = csv.baseAddress?.assumingMemoryBound(to: UInt8.self) {
            while n - i >= 16 {
                let ends = mics_csv_run_ends16(base + i)
                if ends != 0 { return i + ends.trailingZeroBitCount }
                i += 16
            }
        }
        while i < n && !endsRun(csv[i]) { i += 1 }
        return i
    }

    /// The index of the first `"` at or after `i` (`n` if none).
    @inline(__always)
    private static func quoteEnd(_ csv: UnsafeRawBufferPointer, from i: Int) -> Int {
        guard i < csv.count, let base = csv.baseAddress,
              let hit = memchr(base + i, Int32(quote), csv.count - i) else { return csv.count }
        return base.distance(to: UnsafeRawPointer(hit))
    }

    /// Transcodes whole rows from `position` into `out`, stopping before a row that does not fit
    /// (`needsRoom`) or at a bigint cell that is not an integer; `position` ends after the last row written.
    private func rows(_ csv: UnsafeRawBufferPointer, from position: inout Int, into out: UnsafeMutableRawBufferPointer)
        -> (written: Int, stop: Stop)
    {
        let n = csv.count
        var written = 0
        while position < n {
            var at = written
            var i = position
            guard out.count - at >= 2 else { return (written, .needsRoom) }
            let countAt = at
            at += 2
            var field = 0
            while true {
                guard out.count - at >= 4 else { return (written, .needsRoom) }
                let lengthAt = at
                at += 4
                if field < bigint.count && bigint[field] {
                    let start = i
                    i = Self.runEnd(csv, from: i)
                    if i < n && csv[i] == Self.quote { return (written, .notAnInteger(field)) }
                    if i == start {
                        out.storeBytes(of: Int32(-1).bigEndian, toByteOffset: lengthAt, as: Int32.self)
                    } else {
                        guard let value = PostgresIntegerGuess.canonicalInteger(.init(rebasing: csv[start..<i])) else {
                            return (written, .notAnInteger(field))
                        }
                        guard out.count - at >= 8 else { return (written, .needsRoom) }
                        out.storeBytes(of: Int32(8).bigEndian, toByteOffset: lengthAt, as: Int32.self)
                        out.storeBytes(of: value.bigEndian, toByteOffset: at, as: Int64.self)
                        at += 8
                    }
                } else {
                    let dataAt = at
                    var quoted = false
                    // Unquoted and quoted parts, each copied as it is found.
                    while i < n {
                        let byte = csv[i]
                        if byte == Self.quote {
                            quoted = true
                            i += 1
                            while i < n {
                                let start = i
                                i = Self.quoteEnd(csv, from: i)
                                guard copy(csv, start..<i, into: out, at: &at) else { return (written, .needsRoom) }
                                // `""` is one quote inside; a lone one ends the quoted part.
                                guard i + 1 < n && csv[i + 1] == Self.quote else {
                                    i += 1
                                    break
                                }
                                guard copy(csv, i..<i + 1, into: out, at: &at) else { return (written, .needsRoom) }
                                i += 2
                            }
                        } else if Self.endsRun(byte) {
                            break
                        } else {
                            let start = i
                            i = Self.runEnd(csv, from: i)
                            guard copy(csv, start..<i, into: out, at: &at) else { return (written, .needsRoom) }
                        }
                    }
                    let length = quoted || at > dataAt ? Int32(at - dataAt) : -1
                    out.storeBytes(of: length.bigEndian, toByteOffset: lengthAt, as: Int32.self)
                }
                field += 1
                if i < n && csv[i] == Self.comma {
                    i += 1
                    continue
                }
                if i < n && csv[i] == Self.carriageReturn { i += 1 }
                if i < n && csv[i] == Self.newline { i += 1 }
                break
            }
            out.storeBytes(of: Int16(truncatingIfNeeded: field).bigEndian, toByteOffset: countAt, as: Int16.self)
            written = at
            position = i
        }
        return (written, .done)
    }

    /// Copies `csv[range]` to `out` at `at`; false when it does not fit.
    @inline(__always)
    private func copy(
        _ csv: UnsafeRawBufferPointer, _ range: Range<Int>, into out: UnsafeMutableRawBufferPointer, at: inout Int
    ) -> Bool {
        guard out.count - at >= range.count else { return false }
        if !range.isEmpty {
            (out.baseAddress! + at).copyMemory(from: csv.baseAddress! + range.lowerBound, byteCount: range.count)
        }
        at += range.count
        return true
    }
}

import MicsVocabulary
import MicsDecode
import MicsProject
import MicsSink
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
/// The parse worker's synchronous loop: a block of lines → output bytes, counts, rejects.
///
/// ```
/// LineBlock ──frame──▶ line ──scan──▶ RecordValues ──write──▶ ConvertedBlock.bytes
///                       │ blank: counted      │ bad: Reject (skip) or failure (fail)
/// ```
/// Per-line work stays here, in one loop with no suspension and no allocation once the
/// buffers have grown; only whole blocks cross task boundaries.
package struct BlockConverter<Writer: RowWriter> {
    package var scanner: JSONLineScanner
    package var writer: Writer
    /// `--explode`: rows per element instead of one per record.
    package var explode: ExplodedRows?
    /// `--tables`: each record's rows, table by table, each table with its own writer.
    package var tableRows: TableRows?
    package var tableWriters: [Writer] = []
    package let columns: [ColumnSpec]
    package let onError: OnError
    package let maxLineBytes: Int
    /// Parts need to cut between rows: keep where each row ends.
    package let recordRowEnds: Bool
    /// The scanner's record as a row, made once: its buffers never move (a row made per line
    /// was a call into MicsProject and a retain and release of the record).
    private let recordRow: RecordRow
    /// Set when the last `convert` returned a partial result.
    private var resume: Resume?
    /// `--tables`: each table's bytes and rows in the last result.
    private var tableReserve: [(bytes: Int, rows: Int)] = []

    /// - Parameter tables: with `--tables`, the plan and one writer per table (`writer` is
    ///   then unused).
    package init(columns: [ColumnSpec], writer: Writer, options: ConvertOptions, trackDrift: Bool = true,
                 tables: (plan: TablePlan, writers: [Writer])? = nil) {
        if let tables {
            scanner = JSONLineScanner(columns: columns, explode: Array(tables.plan.levels.dropFirst()),
                                      levelParent: tables.plan.levelParent)
            tableRows = TableRows(plan: tables.plan, columnCount: columns.count)
            tableWriters = tables.writers
        } else {
            scanner = JSONLineScanner(columns: columns, explode: options.explode)
        }
        explode = options.explode.isEmpty ? nil
            : ExplodedRows(levels: options.explode.count, columnCount: columns.count, dropEmpty: options.explodeDropEmpty)
        recordRow = RecordRow(record: scanner.record)
        scanner.trackDrift = trackDrift
        scanner.rejectsNul = options.rejectsNulCharacter
        self.writer = writer
        self.columns = columns
        onError = options.onError
        maxLineBytes = options.maxLineBytes
        recordRowEnds = options.splitRows != nil || options.splitBytes != nil
    }

    /// Output past this size is handed on before the block is done (between rows), so a
    /// record exploded into very many rows does not hold them all at once.
    package static var flushBytes: Int { 1 << 20 }
    /// Row ends (`rowEnds`, for parts) are 32-bit offsets in a block's output, and a block is
    /// flushed between rows at `flushBytes`: so only a single row past 2 GiB can pass this,
    /// and it stops the run with an error (`rowTooLarge`) rather than trap. Tests lower it.
    package var rowEndLimit = Int(Int32.max)

    /// Converts a block, or the rest of it after a partial result: call again with the
    /// same block while the result `isPartial`.
    package mutating func convert(_ block: LineBlock, sourceName: String) -> ConvertedBlock {
        var result = ConvertedBlock(tables: tableWriters.count)
        let excelSafeBefore = excelSafeChanges
        let resuming = resume
        resume = nil
        if !tableWriters.isEmpty {
            // Each table's rows take about what they took in the last block: no growing.
            for t in result.tables.indices where t < tableReserve.count {
                result.tables[t].reserveCapacity(tableReserve[t])
            }
        } else if resuming == nil {
            result.bytes.reserveCapacity(block.bytes.count + block.bytes.count / 4)
        }
        if resuming == nil {
            for line in block.overlongLines {
                let reason = "line longer than --max-line-bytes (\(maxLineBytes) bytes)"
                if !reject(&result, sourceName, line, reason, text: UnsafeBufferPointer(start: nil, count: 0)) { return result }
            }
        }
        block.bytes.withUnsafeBufferPointer { bytes in
            var start = resuming?.start ?? 0
            var lineNumber = resuming?.line ?? block.firstLine
            var midRecord = resuming?.midRecord ?? false
            let count = bytes.count
            while start < count {
                if !midRecord && result.outputBytes >= Self.flushBytes {
                    resume = Resume(start: start, line: lineNumber, midRecord: false)
                    return
                }
                // memchr here, not `LineBlocker.firstNewline`: another module's, a call per line.
                let end = memchr(bytes.baseAddress! + start, 0x0A, count - start)
                    .map { UnsafeRawPointer(bytes.baseAddress!).distance(to: UnsafeRawPointer($0)) } ?? count
                var lineEnd = end
                if lineEnd > start && bytes[lineEnd - 1] == 0x0D { lineEnd -= 1 }
                let line = UnsafeBufferPointer(rebasing: bytes[start..<lineEnd])
                let outcome = midRecord
                    ? writeRemainingRows(line, into: &result)
                    : convertLine(line, number: lineNumber, source: sourceName, into: &result)
                midRecord = false
                switch outcome {
                case .next: break
                case .stop:
                    if result.failure?.location == nil { result.failure?.location = "\(sourceName):\(lineNumber)" }
                    return
                case .paused:
                    resume = Resume(start: start, line: lineNumber, midRecord: true)
                    return
                }
                start = end + 1
                lineNumber += 1
            }
        }
        result.isPartial = resume != nil
        if !tableWriters.isEmpty { tableReserve = result.tables.map { ($0.bytes.count, $0.rowEnds.count) } }
        result.excelSafeChanges = excelSafeChanges - excelSafeBefore
        return result
    }

    private var excelSafeChanges: Int { tableWriters.reduce(writer.excelSafeChanges) { $0 + $1.excelSafeChanges } }

    /// The types of the cells written so far: one list per table (the flat output is one table).
    package var types: [[ColumnTypeState]] { tableRows == nil ? [writer.types] : tableWriters.map(\.types) }

    /// Where a partial conversion stopped: the line, and whether its record's rows are
    /// only partly written.
    package struct Resume {
        package var start: Int
        package var line: Int
        package var midRecord: Bool
    }

    package enum LineOutcome {
        case next
        /// A bad line under `--on-error fail`: the run stops.
        case stop
        /// The output is full in the middle of this record's exploded rows.
        case paused
    }

    @inline(__always)
    private mutating func convertLine(_ line: UnsafeBufferPointer<UInt8>, number: Int, source: String, into result: inout ConvertedBlock) -> LineOutcome {
        if isBlank(line) {
            result.blankLines += 1
            return .next
        }
        if line.count > maxLineBytes {
            return reject(&result, source, number, "line longer than --max-line-bytes (\(maxLineBytes) bytes)", text: line)
                ? .next : .stop
        }
        do {
            try scanner.scan(line)
        } catch let error {
            return reject(&result, source, number, error.message, text: line) ? .next : .stop
        }
        result.records += 1
        if tableRows != nil {
            writeTableRows(line, into: &result)
            // Row ends are 32-bit here too, and a block flushes only between records: a record
            // whose rows pass the limit in one table is an error naming its line, not a trap.
            // (`assembled` adds each row's `_row` prefix: room is kept for it.)
            for table in result.tables where table.bytes.count + table.rowEnds.count * Self.rowKeyRoom > rowEndLimit {
                result.failure = Self.rowTooLarge(rowEndLimit)
                return .stop
            }
            return .next
        }
        guard explode != nil else {
            scanner.record.withArena { arena in
                writer.write(record: recordRow, text: ValueText(line: line, arena: arena), to: &result.bytes)
            }
            result.rows += 1
            if recordRowEnds {
                guard result.bytes.count <= rowEndLimit else {
                    result.failure = Self.rowTooLarge(rowEndLimit)
                    return .stop
                }
                result.rowEnds.append(Int32(result.bytes.count))
            }
            return .next
        }
        explode!.plan(scanner.record)
        return writeRemainingRows(line, into: &result)
    }

    /// `--tables`: the record's rows in every table (its number is the writer loop's business:
    /// here, the record's place in the block).
    private mutating func writeTableRows(_ line: UnsafeBufferPointer<UInt8>, into result: inout ConvertedBlock) {
        // Moved out and back (a copy would retain and release each of its buffers per record).
        guard var rows = tableRows.take() else { return }
        let ordinal = Int32(result.records - 1)
        scanner.record.withArena { arena in
            rows.write(scanner.record, ordinal: ordinal, text: ValueText(line: line, arena: arena),
                       writers: &tableWriters, outputs: &result.tables)
        }
        tableRows = consume rows
        result.rows += 1
    }

    /// The planned exploded rows of the current record, until done or the output is full.
    private mutating func writeRemainingRows(_ line: UnsafeBufferPointer<UInt8>, into result: inout ConvertedBlock) -> LineOutcome {
        guard var rows = explode else { return .next }
        explode = nil  // keeps `rows` uniquely referenced: no copy of its buffers
        let limit = recordRowEnds ? rowEndLimit : nil
        var finished = true
        scanner.record.withArena { arena in
            finished = Self.writeRows(&rows, ValueText(line: line, arena: arena), &writer, &result, rowEndLimit: limit)
        }
        explode = rows
        if result.failure != nil { return .stop }
        return finished ? .next : .paused
    }

    /// True when the record's rows are all written (or one passed `rowEndLimit`: a failure).
    /// - Parameter rowEndLimit: nil when no row ends are kept (no parts).
    private static func writeRows(_ rows: inout ExplodedRows, _ text: ValueText, _ writer: inout Writer,
                                  _ result: inout ConvertedBlock, rowEndLimit: Int?) -> Bool {
        while let row = rows.next() {
            writer.write(exploded: row, text: text, to: &result.bytes)
            result.rows += 1
            if let rowEndLimit {
                guard result.bytes.count <= rowEndLimit else {
                    result.failure = rowTooLarge(rowEndLimit)
                    return true
                }
                result.rowEnds.append(Int32(result.bytes.count))
            }
            if result.bytes.count >= flushBytes && rows.hasPendingRows { return false }
        }
        return true
    }

    /// A row whose end lies past `limit` in its block's output (see `rowEndLimit`).
    /// Bytes a table row may gain in the writer loop: its `_row` prefix and number.
    static var rowKeyRoom: Int { 64 }

    static func rowTooLarge(_ limit: Int) -> ExportError {
        ExportError(.badInput, "a row of this line ends past \(limit) bytes of output: parts index rows with 32-bit offsets",
                    hint: "select fewer or smaller columns (a large value in several columns or exploded rows), or drop --split-rows/--split-bytes")
    }

    @inline(__always)
    private func isBlank(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        for c in line where c != 0x20 && c != 0x09 && c != 0x0D { return false }
        return true
    }

    private func reject(_ result: inout ConvertedBlock, _ source: String, _ line: Int, _ reason: String, text: UnsafeBufferPointer<UInt8>) -> Bool {
        let rejected = Reject(source: source, line: line, reason: reason, text: Array(text.prefix(1 << 20)))
        if onError == .fail {
            result.failure = ExportError(.badInput, reason, at: "\(source):\(line)",
                hint: "fix the line, or run with --on-error skip --rejects FILE to keep going and keep the bad lines")
            return false
        }
        result.rejects.append(rejected)
        return true
    }
}

/// What a worker hands to the writer for one block.
package struct ConvertedBlock: Sendable {
    package var bytes: [UInt8] = []
    package var records = 0
    package var rows = 0
    package var blankLines = 0
    package var rejects: [Reject] = []
    package var failure: ExportError?
    package var excelSafeChanges = 0
    /// With parts: the offset in `bytes` just after each row.
    package var rowEnds: [Int32] = []
    /// More of the same block follows (its output passed `BlockConverter.flushBytes`).
    package var isPartial = false
    /// Compressed input bytes read for this block (for MB/s and progress).
    package var inputBytes: Int64 = 0
    /// `--tables`: each table's rows (`bytes` stays empty).
    package var tables: [TableBlockOutput]

    package init(tables: Int = 0) {
        self.tables = Array(repeating: TableBlockOutput(), count: tables)
    }

    /// The output bytes held so far, every table included.
    package var outputBytes: Int { tables.reduce(bytes.count) { $0 + $1.bytes.count } }
}

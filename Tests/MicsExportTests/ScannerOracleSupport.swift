@testable import MicsAPI
@testable import MicsDecode
@testable import MicsExport
@testable import MicsPipelines
@testable import MicsProject
@testable import MicsSandbox
@testable import MicsSink
@testable import MicsVocabulary

/// Runs one line through the scanner or through the plain tree walk (`RecordTree`, the
/// oracle), then through the real CSV and flat NDJSON writers, so both can be compared cell
/// for cell.
enum ScannerOracle {
    struct Rendered: Equatable, CustomStringConvertible {
        var csv: String
        var ndjson: String
        var description: String { "csv: \(csv.debugDescription) ndjson: \(ndjson.debugDescription)" }
    }

    static func columns(_ paths: [String]) -> [ColumnSpec] {
        paths.enumerated().map { index, path in
            var column = ColumnSpec(path: path)
            column.name = "c\(index)"
            return column
        }
    }

    /// The scanner alone (throws its `ScanError`); duplicate keys are its business too.
    static func scanned(_ line: [UInt8], _ columns: [ColumnSpec], _ options: ConvertOptions) throws(ScanError) -> Rendered {
        var scanner = JSONLineScanner(columns: columns)
        var failure: ScanError?
        line.withUnsafeBufferPointer { buffer in
            do throws(ScanError) { try scanner.scan(buffer) } catch { failure = error }
        }
        if let failure { throw failure }
        return render(scanner.record, line, columns, options)
    }

    /// The scanner as the pipeline uses it (one code path: the same as `scanned`).
    static func pipeline(_ line: [UInt8], _ columns: [ColumnSpec], _ options: ConvertOptions) throws(ScanError) -> Rendered {
        try scanned(line, columns, options)
    }

    /// The oracle: the whole record as a tree (its own lexer), SPEC 3's walk written plainly.
    /// An invalid line gives no values at all, so a comparison with the scanner fails loudly.
    static func tree(_ line: [UInt8], _ columns: [ColumnSpec], _ options: ConvertOptions) -> Rendered {
        let record = JSONLineScanner(columns: columns).record
        line.withUnsafeBufferPointer { buffer in
            RecordTree.parse(buffer)?.evaluate(columns, line: buffer, into: record)
        }
        return render(record, line, columns, options)
    }

    /// Whether the scanner accepts the line (its error otherwise).
    static func validate(_ line: [UInt8]) -> ScanError? {
        var scanner = JSONLineScanner(columns: [])
        return line.withUnsafeBufferPointer { buffer -> ScanError? in
            do throws(ScanError) {
                try scanner.scan(buffer)
                return nil
            } catch {
                return error
            }
        }
    }

    static func render(_ record: RecordValues, _ line: [UInt8], _ columns: [ColumnSpec], _ options: ConvertOptions) -> Rendered {
        var options = options
        options.header = false
        let names = columns.map(\.name)
        var csvWriter = CSVRowWriter(names: names, options: options)
        var ndjsonWriter = NDJSONRowWriter(names: names, options: options)
        var csv: [UInt8] = []
        var ndjson: [UInt8] = []
        line.withUnsafeBufferPointer { lineBytes in
            record.arena.withUnsafeBufferPointer { arena in
                let text = ValueText(line: lineBytes, arena: arena)
                csvWriter.write(RecordRow(record: record), text: text, to: &csv)
                ndjsonWriter.write(RecordRow(record: record), text: text, to: &ndjson)
            }
        }
        return Rendered(csv: String(decoding: csv, as: UTF8.self), ndjson: String(decoding: ndjson, as: UTF8.self))
    }

    static func options(_ arrays: ArrayMode, null: String = "", separator: String = "|") -> ConvertOptions {
        var options = ConvertOptions()
        options.arrays = arrays
        options.nullValue = null
        options.arraySeparator = separator
        return options
    }
}

/// SplitMix64: a small deterministic generator, so every failure can be replayed.
struct SplitMix {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    mutating func oneIn(_ n: Int) -> Bool { below(n) == 0 }
    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
}

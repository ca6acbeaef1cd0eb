import MicsVocabulary
import MicsDecode
import MicsProject
import MicsSink
/// What a conversion did, for the summary line, `--strict` and the tests.
public struct ConvertSummary: Sendable {
    public var columns: [String] = []
    public var records = 0
    public var rows = 0
    public var blankLines = 0
    public var rejected = 0
    public var bytesIn: Int64 = 0
    public var bytesOut: Int64 = 0
    public var seconds = 0.0
    public var excelSafeChanges = 0
    /// Paths seen in the data that no column selects (drift).
    public var unselectedPaths: [String] = []
    /// Unselected paths past the 10,000 listed (the tries keep no more): counted, not named.
    public var unlistedPaths = 0
    /// Columns whose path never appeared in the data (drift).
    public var unseenColumns: [String] = []
    public var outputs: [String] = []
    /// SPEC 10: the tables written, typed (one for a flat conversion): what the schema file
    /// says, and what a loader or the lineage reads.
    public var tables: [TableSchema] = []
    /// `--tables` over a stream: paths found to hold an array only after the sample that
    /// decided the tables; their columns stay in the parent table, joined (drift).
    public var lateArrays: [String] = []
    /// The export and execution a pull read: named first, its erroneous tasks warned of last.
    public var source: SourceLineage? = nil
    /// A database load (SPEC 11): one line per table, `loaded 4 rows into "public"."users"`, printed last.
    public var loaded: [String] = []

    public var hasDrift: Bool { !unselectedPaths.isEmpty || !unseenColumns.isEmpty || !lateArrays.isEmpty }

    /// The lines printed on stderr at the end of a run.
    public func report(label: String? = nil) -> String {
        let prefix = label.map { "[\($0)] " } ?? ""
        let mb = Double(bytesIn) / 1_000_000
        let speed = seconds > 0 ? mb / seconds : 0
        var lines = source.map { [prefix + $0.summaryLine] } ?? []
        lines += [
            "\(prefix)\(records) records → \(rows) rows; \(blankLines) blank lines skipped; \(rejected) rejected",
            "\(prefix)\(bytesIn) bytes in, \(bytesOut) bytes out, \(String(format: "%.2f", seconds)) s, \(String(format: "%.1f", speed)) MB/s",
        ]
        if excelSafeChanges > 0 { lines.append("\(prefix)--excel-safe changed \(excelSafeChanges) cells") }
        if !unselectedPaths.isEmpty {
            let shown = unselectedPaths.prefix(20).joined(separator: ", ")
            let hidden = unselectedPaths.count - min(20, unselectedPaths.count) + unlistedPaths
            let more = hidden > 0 ? " (+\(hidden) more)" : ""
            lines.append("\(prefix)drift: in the data but not selected: \(shown)\(more)")
        }
        if !unseenColumns.isEmpty {
            lines.append("\(prefix)drift: columns never seen in the data: \(unseenColumns.joined(separator: ", "))")
        }
        if !lateArrays.isEmpty {
            lines.append("\(prefix)drift: arrays found after the first --infer-rows records, joined in their parent"
                         + " table: \(lateArrays.joined(separator: ", "))")
        }
        if let warning = source?.warningLine { lines.append(prefix + warning) }
        for output in outputs { lines.append("\(prefix)wrote \(output)") }
        for table in loaded { lines.append(prefix + table) }
        return lines.joined(separator: "\n")
    }
}

import Foundation

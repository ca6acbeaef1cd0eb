import Foundation
import MicsAPI
import MicsExport
import MicsPipelines
import MicsSandbox

/// Listings for people and for scripts: an aligned table on a terminal, tab-separated lines
/// (same columns, header first) when piped, JSON with `--json`.
enum TableOutput {
    static var stdoutIsTerminal: Bool { isatty(1) != 0 }

    static func print(header: [String], rows: [[String]]) {
        if stdoutIsTerminal {
            var widths = header.map(\.count)
            for row in rows {
                for (n, cell) in row.enumerated() where n < widths.count { widths[n] = max(widths[n], cell.count) }
            }
            let line = { (cells: [String]) -> String in
                cells.enumerated().map { n, cell in
                    n == cells.count - 1 ? cell : cell.padding(toLength: widths[n], withPad: " ", startingAt: 0)
                }.joined(separator: "  ")
            }
            write(line(header))
            rows.forEach { write(line($0)) }
        } else {
            write(header.joined(separator: "\t"))
            for row in rows {
                write(row.map { $0.replacingOccurrences(of: "\t", with: " ") }.joined(separator: "\t"))
            }
        }
    }

    static func printJSON<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        write(String(decoding: try encoder.encode(value), as: UTF8.self))
    }

    /// A reader that went away (`| head`) ends the program quietly, as SIGPIPE would.
    static func write(_ line: String) {
        do {
            try FileHandle.standardOutput.write(contentsOf: Data((line + "\n").utf8))
        } catch {
            exit(141)
        }
    }

    /// `2019-07-08 14:09:43Z` from epoch milliseconds.
    static func date(_ ms: Int64?) -> String {
        guard let ms else { return "-" }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate, .withTime, .withColonSeparatorInTime, .withSpaceBetweenDateAndTime]
        return formatter.string(from: Date(timeIntervalSince1970: Double(ms) / 1000)) + "Z"
    }

    /// `4m52s` from milliseconds.
    static func duration(_ ms: Int64?) -> String {
        guard let ms else { return "-" }
        let s = ms / 1000
        return s >= 3600 ? "\(s / 3600)h\(s % 3600 / 60)m" : s >= 60 ? "\(s / 60)m\(s % 60)s" : "\(s)s"
    }
}

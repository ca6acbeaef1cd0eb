import MicsVocabulary
import MicsDecode
import MicsProject
import MicsSink
/// How far a run is, for the progress line (the CLI decides how to show it).
public struct ProgressSnapshot: Sendable {
    public var bytesIn: Int64
    public var totalBytes: Int64?
    public var rows: Int
    public var elapsed: Double
    public var finished: Bool

    /// `42.0 MB of 200.0 MB (21%), 120000 rows, 310.2 MB/s, 0:01 left`
    public var line: String {
        let mb = Double(bytesIn) / 1_000_000
        let speed = elapsed > 0 ? mb / elapsed : 0
        var text = String(format: "%.1f MB", mb)
        if let totalBytes, totalBytes > 0 {
            let total = Double(totalBytes) / 1_000_000
            text += String(format: " of %.1f MB (%.0f%%)", total, min(100, 100 * mb / total))
            if speed > 0 && !finished {
                let left = Int(max(0, (total - mb) / speed))
                text += String(format: ", %d:%02d left", left / 60, left % 60)
            }
        }
        return text + ", \(rows) rows, " + String(format: "%.1f MB/s", speed)
    }
}

/// Calls the reporter a few times a second at most, from the writer loop.
package final class ProgressMeter {
    private let total: Int64?
    private let report: ConvertRunner.Progress?
    private let started = ContinuousClock.now
    private var last = ContinuousClock.now

    package init(total: Int64?, report: ConvertRunner.Progress?) {
        self.total = total
        self.report = report
    }

    package func update(bytesIn: Int64, rows: Int) {
        guard let report else { return }
        let now = ContinuousClock.now
        guard now - last >= .milliseconds(200) else { return }
        last = now
        report(ProgressSnapshot(bytesIn: bytesIn, totalBytes: total, rows: rows, elapsed: (now - started).seconds, finished: false))
    }

    package func finish(bytesIn: Int64, rows: Int) {
        report?(ProgressSnapshot(bytesIn: bytesIn, totalBytes: total, rows: rows,
                                 elapsed: (ContinuousClock.now - started).seconds, finished: true))
    }
}

import Foundation

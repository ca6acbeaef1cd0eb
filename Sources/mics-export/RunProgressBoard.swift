import Foundation
import MicsAPI
import MicsExport
import MicsPipelines
import MicsSandbox

/// `run`'s stderr while several pipelines run at once. On a terminal, one progress line
/// holds every running pipeline, redrawn in place, and notes and summaries print above it:
///
/// ```
/// [demo] wrote out/demo-2026-11-29.csv.gz           ← printed above, stays
/// [emails] 42.0 MB of 200.0 MB (21%), … · [users] 10.3 MB, 81000 rows, …   ← redrawn
/// ```
/// (one `\r` line per pipeline would have them overwrite each other). Elsewhere (a log
/// file, a scheduler), a plain labelled line per pipeline every few seconds; nothing with
/// `--quiet` but the errors.
// @unchecked: every mutable property is read and written under `lock`.
final class RunProgressBoard: @unchecked Sendable {
    private let lock = NSLock()
    private let quiet: Bool
    private let terminal = isatty(2) != 0
    /// Running pipelines' latest progress, in the order they started.
    private var running: [(label: String, snapshot: ProgressSnapshot)] = []
    private var lastPlain: [String: Date] = [:]
    private var drawn = false

    init(quiet: Bool) {
        self.quiet = quiet
    }

    /// The progress callback of pipeline `label`.
    func progress(for label: String) -> ConvertRunner.Progress? {
        if quiet { return nil }
        return { [self] snapshot in update(label, snapshot) }
    }

    /// Lines for the user (a note, a summary), labelled; dropped with `--quiet`.
    func say(_ text: String, label: String) {
        if !quiet { print(text, label: label) }
    }

    /// Lines that print even with `--quiet` (errors), labelled line by line.
    func print(_ text: String, label: String) {
        let labelled = text.split(separator: "\n", omittingEmptySubsequences: false).map { "[\(label)] \($0)" }
        lock.withLock {
            clear()
            write(labelled.joined(separator: "\n") + "\n")
            redraw()
        }
    }

    /// Pipeline `label` has ended: its progress leaves the line.
    func finish(_ label: String) {
        lock.withLock {
            running.removeAll { $0.label == label }
            clear()
            redraw()
        }
    }

    private func update(_ label: String, _ snapshot: ProgressSnapshot) {
        lock.withLock {
            if terminal {
                if let index = running.firstIndex(where: { $0.label == label }) {
                    running[index].snapshot = snapshot
                } else {
                    running.append((label, snapshot))
                }
                redraw()
            } else if !snapshot.finished, Date().timeIntervalSince(lastPlain[label] ?? .distantPast) >= 5 {
                lastPlain[label] = Date()
                write("[\(label)] \(snapshot.line)\n")
            }
        }
    }

    private func clear() {
        if drawn { write("\r\u{1B}[K") }
        drawn = false
    }

    private func redraw() {
        guard terminal, !running.isEmpty else { return }
        // One pipeline: the whole progress line; several: each one's share, kept short.
        var line =
            running.count == 1
            ? "[\(running[0].label)] \(running[0].snapshot.line)"
            : running.map { "[\($0.label)] \(Self.short($0.snapshot))" }.joined(separator: " · ")
        // Wider than the terminal, the line would wrap and `\r` would no longer erase it.
        let width = Self.terminalWidth()
        if line.count >= width { line = String(line.prefix(max(1, width - 2))) + "…" }
        write("\r\u{1B}[K" + line)
        drawn = true
    }

    /// `36%, 144057 rows` (or `12.6 MB, …` when the size is unknown).
    static func short(_ snapshot: ProgressSnapshot) -> String {
        if let total = snapshot.totalBytes, total > 0 {
            return "\(min(100, Int(100 * Double(snapshot.bytesIn) / Double(total))))%, \(snapshot.rows) rows"
        }
        return String(format: "%.1f MB, ", Double(snapshot.bytesIn) / 1_000_000) + "\(snapshot.rows) rows"
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    static func terminalWidth() -> Int {
        var size = winsize()
        guard ioctl(2, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 120 }
        return Int(size.ws_col)
    }
}

import Foundation
import MicsAPI
import MicsExport
import MicsPipelines
import MicsSandbox

/// Progress while an execution runs, on stderr: a live line on a terminal
/// (`execution 879879879 RUNNING 42/120 tasks 0m12s`), else a line every 10 s at most.
// @unchecked: every mutable property is read and written under `lock`.
final class WaitDisplay: @unchecked Sendable {
    private let quiet: Bool
    private let terminal = isatty(2) != 0
    private let lock = NSLock()
    private var lastPlain: ContinuousClock.Instant?
    private var drawn = false

    init(quiet: Bool) {
        self.quiet = quiet
    }

    @Sendable func show(_ progress: ExecutionWaiter.Progress) {
        guard !quiet else { return }
        var line = "execution \(progress.execution.id) \(progress.status)"
        if let total = progress.numTasks { line += " \(progress.completedTasks ?? 0)/\(total) tasks" }
        line += " " + ExecutionWaiter.format(progress.elapsed)
        lock.lock()
        defer { lock.unlock() }
        if terminal {
            FileHandle.standardError.write(Data(("\r\u{1B}[K" + line).utf8))
            drawn = true
        } else if lastPlain.map({ ContinuousClock.now - $0 >= .seconds(10) }) ?? true || progress.status.isFinished {
            lastPlain = .now
            CLI.printError(line)
        }
    }

    func end() {
        lock.lock()
        defer { lock.unlock() }
        if drawn { FileHandle.standardError.write(Data("\n".utf8)) }
        drawn = false
    }
}

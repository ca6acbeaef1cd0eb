import ArgumentParser
import Foundation
import MicsAPI
import MicsExport
import MicsPipelines
import MicsSandbox

/// What every command shares: errors to exit codes, progress and summary on stderr
/// (never stdout, which may carry the data), and cleanup on SIGINT/SIGTERM.
enum CLI {
    static func printError(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// Runs `body`; an `ExportError` is printed and becomes its exit code.
    static func guarded(_ body: () async throws -> Void) async throws {
        SignalCleanup.install()
        do {
            try await body()
        } catch let error as ExportError {
            printError("mics-export: \(error)")
            throw ExitCode(error.kind.exitCode)
        }
    }

    /// - Parameter source: what a pull read, named in the summary.
    static func convert(
        _ sources: [InputSource], _ options: ConvertOptions, quiet: Bool, label: String? = nil,
        source: SourceLineage? = nil
    ) async throws {
        let display = ProgressDisplay(quiet: quiet, label: label)
        // A pull's lineage goes into the schema file too (`"source"`), when one is written.
        var summary = try await ConvertRunner.run(
            inputs: sources, options: options, progress: display.report, stages: OutputStages.files,
            schemaSource: source?.jsonText())
        summary.source = source
        display.end()
        if !quiet { printError(summary.report(label: label)) }
    }
}

/// The progress line: refreshed in place on a terminal, a plain line every few seconds
/// otherwise, nothing with --quiet.
// @unchecked: called only from the pipeline's writer loop, one snapshot at a time.
final class ProgressDisplay: @unchecked Sendable {
    private let quiet: Bool
    private let label: String?
    private let terminal = isatty(2) != 0
    private var lastPlain = Date.distantPast
    private var drawn = false

    init(quiet: Bool, label: String?) {
        self.quiet = quiet
        self.label = label
    }

    var report: ConvertRunner.Progress? {
        if quiet { return nil }
        return { [self] snapshot in self.show(snapshot) }
    }

    private func show(_ snapshot: ProgressSnapshot) {
        let prefix = label.map { "[\($0)] " } ?? ""
        if terminal {
            FileHandle.standardError.write(Data(("\r\u{1B}[K" + prefix + snapshot.line).utf8))
            drawn = true
        } else if !snapshot.finished, Date().timeIntervalSince(lastPlain) >= 5 {
            lastPlain = Date()
            CLI.printError(prefix + snapshot.line)
        }
    }

    func end() {
        if drawn { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}

/// SIGINT/SIGTERM: remove the temporary output files, then exit 130/143.
enum SignalCleanup {
    // Set once by `install`, at start-up, before any task runs.
    nonisolated(unsafe) private static var sources: [DispatchSourceSignal] = []
    /// Set before a database load starts (for the message only).
    nonisolated(unsafe) static var loading = false

    static func install() {
        guard sources.isEmpty else { return }
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler {
                TemporaryFiles.removeAll()
                // A load: the connection closes with the process and the server rolls back.
                CLI.printError(
                    "mics-export: interrupted; "
                        + (loading ? "the load was rolled back, the tables are as they were" : "no output file was left"))
                exit(128 + signalNumber)
            }
            source.resume()
            sources.append(source)
        }
    }
}

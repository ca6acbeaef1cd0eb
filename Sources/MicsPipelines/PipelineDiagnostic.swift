import MicsExport
import MicsAPI
/// One mistake in a pipeline file, where an editor can jump to it:
/// `pipelines/x.yaml:7:12: unknown key 'colums' in projection; did you mean 'columns'?`
///
/// `validate` prints all of them; `run` refuses a file that has any (exit 65, as for any
/// other bad input).
public struct PipelineDiagnostic: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    /// 1-based.
    public var line: Int
    /// 1-based, in characters.
    public var column: Int
    public var message: String

    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String { "\(file):\(line):\(column): \(message)" }

    /// All of `diagnostics` as one error, in file order.
    public static func error(_ diagnostics: [PipelineDiagnostic]) -> ExportError {
        let lines = diagnostics.sorted { ($0.line, $0.column) < ($1.line, $1.column) }.map(\.description)
        let count = diagnostics.count == 1 ? "a mistake" : "\(diagnostics.count) mistakes"
        return ExportError(
            .badInput, "the pipeline file has \(count):\n  " + lines.joined(separator: "\n  "),
            at: diagnostics.first?.file, hint: "check it with: mics-export validate \(diagnostics.first?.file ?? "FILE")")
    }

    /// The valid name nearest to `word` (Levenshtein distance), when it is near enough to be
    /// a typo: at most a third of the longer word, and at least 1.
    package static func nearest(to word: String, in candidates: [String]) -> String? {
        let scored = candidates.map { ($0, distance(word.lowercased(), $0)) }
        guard let best = scored.min(by: { $0.1 < $1.1 }) else { return nil }
        return best.1 <= max(1, max(word.count, best.0.count) / 3) ? best.0 : nil
    }

    package static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        if a.isEmpty { return b.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in stride(from: 1, through: b.count, by: 1) {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}

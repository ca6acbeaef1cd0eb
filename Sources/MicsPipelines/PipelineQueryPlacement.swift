import MicsExport
import MicsAPI
import Yams

/// Where `projection.query` sits in the file, so that an OTQL error at line 2, column 5 of
/// the query is reported at the file's own line and column:
///
/// ```
/// 4  projection:
/// 5    query: |              ← the scalar's mark: the `|`
/// 6      SELECT { id        ← query line 1 = file line 6; columns shift by the indent (6)
/// 7        emails { email } ← query line 2 = file line 7
/// ```
/// A literal block (`|`) keeps lines one to one. A one-line scalar shifts by its column (and
/// the opening quote). A folded or multi-line flow scalar joins lines, so past its first line
/// the position is the best guess: the query's line counted from the scalar's. A position
/// always lies in the file: the end of a block query (past its final line break) is the end
/// of its last line, and no column goes past its line's end (found by fuzzing).
package struct PipelineQueryPlacement: Sendable, Equatable {
    package var line: Int
    package var column: Int
    /// `|` or `>`: the content starts on the next line.
    package var block: Bool
    /// `'…'` or `"…"`: the content starts one column after the mark.
    package var quoted: Bool
    /// Columns of indentation of a block scalar's content.
    package var indent: Int
    /// Each file line's width, in characters.
    package var widths: [Int]

    package init(scalar: Node.Scalar, fileLines: [Substring]) {
        widths = fileLines.map(\.count)
        line = scalar.mark?.line ?? 1
        column = scalar.mark?.column ?? 1
        block = scalar.style == .literal || scalar.style == .folded
        quoted = scalar.style == .singleQuoted || scalar.style == .doubleQuoted
        indent = 0
        if block {
            // The first non-blank line after the indicator sets the block's indentation.
            for text in fileLines.dropFirst(line) where !text.allSatisfy({ $0 == " " }) {
                indent = text.prefix { $0 == " " }.count
                break
            }
        }
    }

    /// The file position of `queryLine`, `queryColumn` (both 1-based).
    package func map(line queryLine: Int, column queryColumn: Int) -> PipelinePosition {
        var at: PipelinePosition
        if block {
            at = PipelinePosition(line: line + queryLine, column: indent + queryColumn)
            // The query's end after its final line break: the end of its last line.
            if queryLine > 1, queryColumn == 1, at.line > widths.count || widths[at.line - 1] < at.column {
                at = PipelinePosition(line: at.line - 1, column: Int.max)
            }
        } else if queryLine == 1 {
            at = PipelinePosition(line: line, column: column + queryColumn - 1 + (quoted ? 1 : 0))
        } else {
            at = PipelinePosition(line: line + queryLine - 1, column: queryColumn)
        }
        guard !widths.isEmpty else { return at }
        at.line = min(max(at.line, 1), widths.count)
        at.column = min(max(at.column, 1), widths[at.line - 1] + 1)
        return at
    }
}

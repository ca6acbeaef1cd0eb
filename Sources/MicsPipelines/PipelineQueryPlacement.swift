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
/// the position is the best guess: the query's line counted from the scalar's.
package struct PipelineQueryPlacement: Sendable, Equatable {
    package var line: Int
    package var column: Int
    /// `|` or `>`: the content starts on the next line.
    package var block: Bool
    /// `'…'` or `"…"`: the content starts one column after the mark.
    package var quoted: Bool
    /// Columns of indentation of a block scalar's content.
    package var indent: Int

    package init(scalar: Node.Scalar, fileLines: [Substring]) {
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
        if block { return PipelinePosition(line: line + queryLine, column: indent + queryColumn) }
        if queryLine == 1 { return PipelinePosition(line: line, column: column + queryColumn - 1 + (quoted ? 1 : 0)) }
        return PipelinePosition(line: line + queryLine - 1, column: queryColumn)
    }
}

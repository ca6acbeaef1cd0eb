import MicsExport
import MicsAPI
import Yams

/// A line and column in a pipeline file (1-based). Yams' `Mark` has no public initialiser,
/// and positions inside a value (a `${` in a path, an OTQL error in a query) need one.
package struct PipelinePosition: Sendable, Equatable {
    package var line: Int
    package var column: Int

    package init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    /// The start of the file when the node has no mark.
    package init(_ mark: Mark?) {
        self.init(line: mark?.line ?? 1, column: mark?.column ?? 1)
    }

    /// `column` moved right by `offset` characters.
    package func shifted(by offset: Int) -> PipelinePosition {
        PipelinePosition(line: line, column: column + offset)
    }
}

import MicsVocabulary
import MicsDecode
import MicsProject
/// The last stage of a conversion: where the converted blocks go.
///
/// ```
/// writer loop ──begin(preamble)──▶ OutputSink    one file or stdout (gzip in its own task)
///             ──write(block)─────▶ PartedOutput  NAME-00001.csv.gz, … (+ NAME.manifest.json)
///             ──commit / abort
/// ```
/// `rowEnds` (offsets just after each row, kept only when parts are asked for) let a
/// parted output cut between rows; a single output ignores them.
package protocol OutputStage: AnyObject, Sendable {
    /// What starts every file: BOM and header. Called once, before any block.
    func begin(preamble: [UInt8]) async throws
    func write(_ bytes: [UInt8], rows: Int, rowEnds: [Int32]) async throws
    /// The data is complete and this is what it is (rows, typed columns; files as planned):
    /// called before `commit`, when every table of the run is complete. A stage that loads
    /// a database makes its typed table here (SPEC 11); files need nothing.
    func willCommit(_ table: TableSchema) async throws
    /// Completes every file (renames it to its final name). A failed commit leaves none.
    func commit() async throws
    /// Removes what was written; nothing appears under a final name.
    func abort()
    /// Bytes as written (after gzip), known once `commit` has returned.
    var bytesOut: Int64 { get }
    /// The files written, known once `commit` has returned; nil: the output path as given.
    var outputs: [String]? { get }
}

extension OutputStage {
    package func willCommit(_ table: TableSchema) async throws {}
}

/// `--tables`: what one table's output stage is for. The runner asks a factory for one
/// stage per table (files by default; a database loader plugs in its own).
package struct TableStageRequest: Sendable {
    /// The table's name (`users`, `users__emails`).
    package var name: String
    /// Header names: the keys, then the data columns.
    package var names: [String]
    /// How many of `names` are keys (`_row`, `_<segment>_idx`…; 0 for a flat output).
    package var keyCount: Int
    /// The options for this table's output: `outputPath` is its file (`out/users__emails.csv.gz`).
    package var options: ConvertOptions

    package init(name: String, names: [String], keyCount: Int, options: ConvertOptions) {
        self.name = name
        self.names = names
        self.keyCount = keyCount
        self.options = options
    }
}

/// Makes each table's output stage (one for a flat conversion).
package typealias OutputStageFactory = @Sendable (TableStageRequest) throws -> any OutputStage

package enum OutputStages {
    /// Files: the table's own path, with the format, gzip, parts and manifest rules of a
    /// flat output.
    package static let files: OutputStageFactory = { request in try make(request.options) }

    /// Parts (or a manifest) need the parted output; anything else, one file or stdout.
    package static func make(_ options: ConvertOptions) throws -> any OutputStage {
        if options.splitRows != nil || options.splitBytes != nil || options.manifest {
            guard let path = options.outputPath else {
                throw ExportError(.usage, "--split-rows, --split-bytes and --manifest need an output file (-o)")
            }
            return try PartedOutput(path: path, options: options)
        }
        return try OutputSink(path: options.outputPath, gzip: options.gzip, level: options.gzipLevel)
    }
}

extension OutputSink: OutputStage {
    package func begin(preamble: [UInt8]) async throws { try await write(preamble) }
    package func write(_ bytes: [UInt8], rows: Int, rowEnds: [Int32]) async throws { try await write(bytes) }
    package var outputs: [String]? { nil }
}

/// An output that keeps nothing: `columns --target` converts the data only for its types.
package final class DiscardStage: OutputStage, @unchecked Sendable {
    package init() {}
    package func begin(preamble: [UInt8]) async throws {}
    package func write(_ bytes: [UInt8], rows: Int, rowEnds: [Int32]) async throws {}
    package func commit() async throws {}
    package func abort() {}
    package var bytesOut: Int64 { 0 }
    package var outputs: [String]? { nil }
}

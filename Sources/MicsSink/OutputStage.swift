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
    /// Completes every file (renames it to its final name). A failed commit leaves none.
    func commit() async throws
    /// Removes what was written; nothing appears under a final name.
    func abort()
    /// Bytes as written (after gzip), known once `commit` has returned.
    var bytesOut: Int64 { get }
    /// The files written, known once `commit` has returned; nil: the output path as given.
    var outputs: [String]? { get }
}

package enum OutputStages {
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

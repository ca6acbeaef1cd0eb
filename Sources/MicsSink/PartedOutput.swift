import MicsVocabulary
import MicsDecode
import MicsProject
import AsyncAlgorithms
import Foundation

/// Output cut into parts (`--split-rows`, `--split-bytes`) and/or with a manifest.
///
/// Each part is written under a temporary name and closed when full; none is renamed
/// until `commit`, when the run has succeeded: then every part is renamed, and the
/// manifest written last. So a failed or interrupted run leaves no part and no manifest
/// (the temporary files are removed by `abort` or, on a signal, by `TemporaryFiles`), and
/// a reader that waits for the manifest sees every part complete. The price: parts appear
/// only at the end, not while the run goes on. Parts an earlier run left under the same
/// name beyond this run's count are removed at commit, so `NAME-*` never mixes two runs.
///
/// With gzip the splitter runs in its own task, as `OutputSink`'s deflate does, so that
/// deflate does not take the parse workers' core; plain parts are written in the writer loop.
// @unchecked: the parts list and flags are guarded by `lock`; the splitter is used by one task at a time.
package final class PartedOutput: OutputStage, @unchecked Sendable {
    package typealias Chunk = (bytes: [UInt8], rows: Int, rowEnds: [Int32])

    private let names: PartNames
    private let options: ConvertOptions
    private let lock = NSLock()
    private var parts: [AtomicFile] = []
    private var aborted = false
    private var committed = false
    private var splitter: PartSplitter?
    private var channel: AsyncChannel<Chunk>?
    private var task: Task<Void, Error>?

    package private(set) var bytesOut: Int64 = 0
    package private(set) var outputs: [String]? = nil

    package init(path: String, options: ConvertOptions) throws {
        names = PartNames(path: path, parted: options.splitRows != nil || options.splitBytes != nil)
        self.options = options
    }

    package func begin(preamble: [UInt8]) async throws {
        var splitter = PartSplitter(
            preamble: preamble,
            splitRows: options.splitRows,
            splitBytes: options.splitBytes,
            gzipLevel: options.gzip ? options.gzipLevel : nil,
            makePart: { [self] in try newPart($0) }
        )
        guard options.gzip else {
            self.splitter = splitter
            return
        }
        let channel = AsyncChannel<Chunk>()
        self.channel = channel
        task = Task { [self] in
            var failure: Error?
            // Keep receiving after a failure, so that the sender is never left waiting.
            for await chunk in channel where failure == nil {
                do { try splitter.write(chunk.bytes, rows: chunk.rows, rowEnds: chunk.rowEnds) } catch {
                    failure = error
                }
            }
            if let failure { throw failure }
            if isAborted { return }
            try splitter.finish()
        }
    }

    package func write(_ bytes: [UInt8], rows: Int, rowEnds: [Int32]) async throws {
        if let channel {
            await channel.send((bytes, rows, rowEnds))
        } else {
            try splitter?.write(bytes, rows: rows, rowEnds: rowEnds)
        }
    }

    package func commit() async throws {
        if let channel, let task {
            channel.finish()
            try await task.value
        } else {
            try splitter?.finish()
        }
        let done = lock.withLock { () -> [AtomicFile]? in
            guard !aborted else { return nil }
            committed = true
            return parts
        }
        guard let done else { throw ExportError(.other, "the output was aborted", at: names.manifest) }
        var published: [AtomicFile] = []
        do {
            for part in done {
                try part.publish()
                published.append(part)
            }
            for stale in names.staleParts(beyond: done.count) { unlink(stale) }
            if options.manifest {
                let entries = done.map {
                    Manifest.Entry(
                        url: PartNames.fileName($0.finalPath),
                        contentLength: $0.bytesWritten,
                        recordCount: $0.rows
                    )
                }
                try Manifest(entries: entries).write(to: names.manifest)
            }
        } catch {
            // All or nothing: take back the parts already renamed.
            for part in published { unlink(part.finalPath) }
            for part in done.dropFirst(published.count) { part.remove() }
            throw error
        }
        bytesOut = done.reduce(0) { $0 + $1.bytesWritten }
        outputs = done.map(\.finalPath) + (options.manifest ? [names.manifest] : [])
    }

    package func abort() {
        let toRemove = lock.withLock { () -> [AtomicFile] in
            guard !committed else { return [] }
            aborted = true
            return parts
        }
        channel?.finish()
        task?.cancel()
        for part in toRemove { part.remove() }
    }

    private var isAborted: Bool { lock.withLock { aborted } }

    /// Called by the splitter, on its task; refused once the output is aborted.
    private func newPart(_ index: Int) throws -> AtomicFile {
        try lock.withLock {
            guard !aborted else { throw ExportError(.other, "the output was aborted", at: names.part(index)) }
            let part = try AtomicFile(path: names.part(index))
            parts.append(part)
            return part
        }
    }
}

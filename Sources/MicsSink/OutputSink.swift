import MicsVocabulary
import MicsDecode
import MicsProject
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import AsyncAlgorithms

/// Where output bytes go: stdout or an atomic file, through gzip or not.
///
/// With gzip, deflate sets the pace (37 MB/s of CSV at level 6, FACTS.md), so it runs in
/// its own task and the parse workers keep the other core busy; the two meet at a
/// channel that carries whole blocks.
// @unchecked: only the writer loop calls it; the deflate task owns the file while it runs.
package final class OutputSink: @unchecked Sendable {
    private let file: AtomicFile?
    private let name: String
    private var deflateChannel: AsyncChannel<[UInt8]>?
    private var deflateTask: Task<Int64, Error>?
    private var plainBytes: Int64 = 0

    package init(path: String?, gzip: Bool, level: Int) throws {
        name = path ?? "<stdout>"
        file = try path.map { try AtomicFile(path: $0) }
        if gzip {
            let channel = AsyncChannel<[UInt8]>()
            let deflater = try GzipDeflater(level: level)
            deflateChannel = channel
            deflateTask = Task { [file, name] in
                var failure: Error?
                var written: Int64 = 0
                let emit: (UnsafeRawBufferPointer) throws -> Void = { bytes in
                    written += Int64(bytes.count)
                    if let file { try file.write(bytes) } else { try FileDescriptorWriter.writeAll(1, bytes, name: name) }
                }
                for await chunk in channel where failure == nil {
                    do { try chunk.withUnsafeBytes { try deflater.deflate($0, emit) } } catch { failure = error }
                }
                if let failure { throw failure }
                try deflater.finish(emit)
                return written
            }
        }
    }

    /// Bytes as written (after gzip), known once `commit` has returned.
    package private(set) var bytesOut: Int64 = 0

    package func write(_ bytes: [UInt8]) async throws {
        guard !bytes.isEmpty else { return }
        if let deflateChannel {
            await deflateChannel.send(bytes)
            return
        }
        try bytes.withUnsafeBytes { raw in
            if let file { try file.write(raw) } else { try FileDescriptorWriter.writeAll(1, raw, name: name) }
        }
        plainBytes += Int64(bytes.count)
    }

    package func commit() async throws {
        if let deflateChannel, let deflateTask {
            deflateChannel.finish()
            bytesOut = try await deflateTask.value
        } else {
            bytesOut = plainBytes
        }
        try file?.commit()
    }

    /// Stops: the temporary file is removed at once; with gzip its descriptor is closed only
    /// once the deflate task has stopped writing (closed earlier, the number could be reused
    /// by a file opened meanwhile, under `run --jobs` another output, and get these bytes).
    package func abort() {
        deflateChannel?.finish()
        deflateTask?.cancel()
        guard let deflateTask, let file else {
            file?.abort()
            return
        }
        file.remove()
        Task {
            _ = try? await deflateTask.value
            file.abort()
        }
    }
}

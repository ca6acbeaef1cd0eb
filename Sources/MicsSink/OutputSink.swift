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
/// With gzip, deflate runs in its own task (`ParallelGzip`): blocks of 256 KiB become gzip
/// members, compressed by libdeflate on whichever core is free (two at once when deflate
/// falls behind), written in order. libdeflate at level 6 compresses the wide CSV at ≈ 50 MB/s
/// a core (zlib: 16 MB/s), 7% smaller than `gzip -6`. The writer loop and the deflate task
/// meet at a channel that carries whole blocks.
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
            try GzipCompressor.validate(level: level)
            let channel = AsyncChannel<[UInt8]>()
            deflateChannel = channel
            deflateTask = Task { [file, name] in
                try await ParallelGzip.run(channel, level: level) { member in
                    if let file { try file.write(member) } else { try FileDescriptorWriter.writeAll(1, member, name: name) }
                }
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

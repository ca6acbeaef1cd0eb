import MicsVocabulary
import AsyncAlgorithms
import Foundation

/// The deflate stage of one output file: blocks become gzip members on both cores, written in order.
///
/// ```
/// chunks ─▶ fill A ─full─▶ compress A (a task) ─────────────▶ write A
///                          fill B ─full─▶ compress B (a task) ─────────▶ write B
///                                         (A done? fill A : wait for A, then fill A) …
/// ```
/// A block is compressed by a task of its own while the stage goes on taking chunks into the
/// other one; members are written in order, each as soon as it and those before it are done.
/// When deflate keeps up, one block compresses while the other fills. When it falls behind
/// (B is full and A still compressing), both compress at once, one per core, and the stage
/// waits for A: parsing pauses, both cores deflate, which is the most deflate can have.
///
/// Bounded: an output holds `maxBlocks` blocks at most (2 by default; each `blockSize` plain
/// bytes and its member, ≈ 0.36 MiB at 256 KiB), and blocks are compressed by tasks of their
/// own only while a core has none (`GzipCompressors.reserveTask`); past that an output
/// compresses its block in its own task. Blocks and compressors are the process's, taken and
/// given back, so ten gzip outputs hold ten filling blocks and one more a core, and about as
/// many compressors as cores.
/// With no block free the stage waits for the oldest, so it stops taking chunks, and the
/// writer loop's `send` waits, and the parse workers with it. A third block (`maxBlocks: 3`)
/// would let parsing go on while two blocks compress, for 0.36 MiB more an output; measured,
/// it gains nothing on two cores (both are busy deflating then).
package enum ParallelGzip {
    /// Runs until `chunks` finishes; returns the compressed bytes written. Every member is
    /// handed to `write` whole and in order, so the file is a valid gzip file after each call.
    ///
    /// Cancelled (the output was aborted): stops writing, waits for the blocks being compressed,
    /// throws `CancellationError`. A failed `write` is thrown once `chunks` finishes (chunks are
    /// taken and dropped meanwhile, so the sender is never left waiting).
    package static func run(
        _ chunks: AsyncChannel<[UInt8]>,
        level: Int,
        blockSize: Int = GzipDeflater.defaultBlockSize,
        maxBlocks: Int = 2,
        write: (UnsafeRawBufferPointer) throws -> Void
    ) async throws -> Int64 {
        precondition(maxBlocks >= 2, "one block fills while another compresses")
        var pipeline: InOrder
        do {
            pipeline = try InOrder(level: level, blockSize: blockSize, maxBlocks: maxBlocks)
        } catch {
            for await _ in chunks {}
            throw error
        }
        var failure: Error?
        for await chunk in chunks where failure == nil {
            do {
                var offset = 0
                while offset < chunk.count, let block = pipeline.filling {
                    offset += chunk.withUnsafeBytes { block.append(UnsafeRawBufferPointer(rebasing: $0[offset...])) }
                    if block.isFull { try await pipeline.submit(write) }
                }
            } catch {
                failure = error
            }
        }
        if failure == nil && Task.isCancelled { failure = CancellationError() }
        if failure == nil {
            do {
                // The last block; an empty member when nothing came at all (a valid, empty file).
                if (pipeline.filling?.count ?? 0) > 0 || pipeline.members == 0 { try await pipeline.submit(write, last: true) }
                try await pipeline.drain(write)
            } catch {
                failure = error
            }
        }
        await pipeline.release()
        if let failure { throw failure }
        return pipeline.written
    }

    /// The blocks this output holds: one filling, the others compressing (oldest first).
    private struct InOrder {
        let level: Int
        let blockSize: Int
        let maxBlocks: Int
        /// nil after the last block is submitted (or a failure while finding the next).
        var filling: GzipBlock?
        var compressing: [(block: GzipBlock, done: Flag, task: Task<Void, Error>)] = []
        var members = 0
        var written: Int64 = 0

        init(level: Int, blockSize: Int, maxBlocks: Int) throws {
            self.level = level
            self.blockSize = blockSize
            self.maxBlocks = maxBlocks
            try GzipCompressor.validate(level: level)
            filling = GzipCompressors.takeBlock(capacity: blockSize)
        }

        /// Starts compressing the filled block and takes the next one to fill, after writing the
        /// members already done, and waiting for the oldest if this output holds `maxBlocks`.
        /// When every core already has a block to compress (other outputs' too), this one is
        /// compressed here instead, after the members before it, and filled again.
        mutating func submit(_ write: (UnsafeRawBufferPointer) throws -> Void, last: Bool = false) async throws {
            guard let block = filling else { return }
            members += 1
            while let oldest = compressing.first, oldest.done.isSet { try await writeOldest(write) }
            guard GzipCompressors.reserveTask() else {
                try await drain(write)
                try GzipCompressors.compress(block, level: level)
                try write(block.member)
                written += Int64(block.member.count)
                return
            }
            filling = nil
            let done = Flag()
            compressing.append((block, done, Task { [level] in
                defer { done.set() }
                try GzipCompressors.compress(block, level: level)
            }))
            if last { return }
            if compressing.count >= maxBlocks { try await writeOldest(write) }
            filling = GzipCompressors.takeBlock(capacity: blockSize)
        }

        /// Writes every member still to come, in order.
        mutating func drain(_ write: (UnsafeRawBufferPointer) throws -> Void) async throws {
            while !compressing.isEmpty { try await writeOldest(write) }
        }

        /// Gives the blocks back, once the compressions still under way (which use them) have ended.
        mutating func release() async {
            for entry in compressing {
                _ = try? await entry.task.value
                GzipCompressors.endTask()
                GzipCompressors.give(entry.block)
            }
            compressing = []
            if let filling { GzipCompressors.give(filling) }
            filling = nil
        }

        private mutating func writeOldest(_ write: (UnsafeRawBufferPointer) throws -> Void) async throws {
            let oldest = compressing.removeFirst()
            defer { GzipCompressors.endTask() }
            try await oldest.task.value
            try write(oldest.block.member)
            written += Int64(oldest.block.member.count)
            GzipCompressors.give(oldest.block)
        }
    }

    /// Set by a compress task as it ends; read by the stage to write members without waiting.
    // @unchecked: the value is behind `lock`.
    private final class Flag: @unchecked Sendable {
        private let lock = NSLock()
        private var value = false
        var isSet: Bool { lock.withLock { value } }
        func set() { lock.withLock { value = true } }
    }
}

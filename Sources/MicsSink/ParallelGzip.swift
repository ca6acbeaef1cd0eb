import MicsVocabulary
import AsyncAlgorithms
import Foundation

/// The deflate stage of one output file: blocks become gzip members on both cores, written in order.
///
/// ```
/// chunks ─▶ fill block A ─full─▶ compress A (a task) ──┐
///           fill block B ─full─▶ compress B (a task) ──┼─▶ write A, then B, then C … (in order)
///           fill block C …  only while A and B are both still compressing
/// ```
/// A block is compressed by a task of its own while the stage goes on taking chunks into the
/// next one; a member is written as soon as it and every member before it are done. When
/// deflate keeps up (one block compressed while the next fills) two blocks are enough; a third
/// is made only when deflate falls behind, and then two blocks compress at once.
///
/// Bounded: at most `maxBlocks` blocks ever exist (each `blockSize` plain bytes and its member)
/// and one compressor fewer (≈ 0.5 MiB each). With none free the stage waits for the oldest,
/// so it stops taking chunks, and the writer loop's `send` waits, and the parse workers with it.
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
        maxBlocks: Int = 3,
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
                while offset < chunk.count {
                    offset += chunk.withUnsafeBytes { pipeline.filling.append(UnsafeRawBufferPointer(rebasing: $0[offset...])) }
                    if pipeline.filling.isFull { try await pipeline.submit(write) }
                }
            } catch {
                failure = error
            }
        }
        if failure == nil && Task.isCancelled { failure = CancellationError() }
        if failure == nil {
            do {
                // The last block; an empty member when nothing came at all (a valid, empty file).
                if pipeline.filling.count > 0 || pipeline.members == 0 { try await pipeline.submit(write, last: true) }
                try await pipeline.drain(write)
            } catch {
                failure = error
            }
        }
        if let failure {
            await pipeline.abandon()
            throw failure
        }
        return pipeline.written
    }

    /// The blocks: one filling, the others compressing (oldest first) or free. A compressor is
    /// taken for each block compressing, so there are never more than `maxBlocks − 1`.
    private struct InOrder {
        let level: Int
        let blockSize: Int
        let maxBlocks: Int
        var filling: GzipBlock
        var compressing: [(block: GzipBlock, compressor: GzipCompressor, done: Flag, task: Task<Void, Error>)] = []
        var free: [GzipBlock] = []
        var compressors: [GzipCompressor]
        var made = 1
        var members = 0
        var written: Int64 = 0

        init(level: Int, blockSize: Int, maxBlocks: Int) throws {
            self.level = level
            self.blockSize = blockSize
            self.maxBlocks = maxBlocks
            compressors = [try GzipCompressor(level: level)]
            filling = GzipBlock(capacity: blockSize)
        }

        /// Starts compressing the filled block and finds the next one to fill: a free block
        /// (writing the members already done first), a new one if deflate is behind, or the
        /// oldest once its member is written.
        mutating func submit(_ write: (UnsafeRawBufferPointer) throws -> Void, last: Bool = false) async throws {
            let block = filling
            // Blocks compressing < blocks made ≤ compressors made + 1: one is free or can be made.
            let compressor = try compressors.popLast() ?? GzipCompressor(level: level)
            let done = Flag()
            compressing.append((block, compressor, done, Task {
                defer { done.set() }
                try compressor.compress(block)
            }))
            members += 1
            if last { return }
            while let oldest = compressing.first, oldest.done.isSet { try await writeOldest(write) }
            if let next = free.popLast() {
                filling = next
            } else if made < maxBlocks {
                filling = GzipBlock(capacity: blockSize)
                made += 1
            } else {
                try await writeOldest(write)
                filling = free.removeLast()
            }
        }

        /// Writes every member still to come, in order.
        mutating func drain(_ write: (UnsafeRawBufferPointer) throws -> Void) async throws {
            while !compressing.isEmpty { try await writeOldest(write) }
        }

        /// Waits for the blocks being compressed, writing nothing: they use the blocks' buffers.
        mutating func abandon() async {
            for entry in compressing { _ = try? await entry.task.value }
            compressing = []
        }

        private mutating func writeOldest(_ write: (UnsafeRawBufferPointer) throws -> Void) async throws {
            let oldest = compressing.removeFirst()
            try await oldest.task.value
            compressors.append(oldest.compressor)
            try write(oldest.block.member)
            written += Int64(oldest.block.member.count)
            free.append(oldest.block)
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

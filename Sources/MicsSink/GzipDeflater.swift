import MicsVocabulary
import Foundation
internal import CLibdeflate

/// gzip output as independent members, one per block of plain bytes (pigz-style, but each
/// block is a whole member, so blocks can be compressed on any core and in any order):
///
///     plain bytes ─▶ block (≤ blockSize) ─▶ libdeflate ─▶ member: header, deflate data, CRC-32 + length
///     member 1 ‖ member 2 ‖ … ‖ member n   = one gzip file (RFC 1952 §2.2: a file is a series of members)
///
/// `gzip -d`, zcat, Python's `gzip`, Go's `compress/gzip`, Java's `GZIPInputStream` and our
/// own `GzipInflater` read every member to the end (a reader that stops after the first one,
/// like Rust's `flate2::GzDecoder`, sees only the first block: README, Output). Starting each 256 KiB block without the
/// previous 32 KiB of history costs 0.9% of size on the wide CSV (1 MiB blocks: 0.2%, for
/// 1.5 MiB more memory), and libdeflate's level 6 is 7% smaller than zlib's to begin with.

/// libdeflate's compressor at one level: makes a block's member. ≈ 0.5 MiB of match-finder
/// tables once used (levels 1…9), so they are shared by every output of the process
/// (`GzipCompressors`).
// @unchecked: used by one compression at a time.
package final class GzipCompressor: @unchecked Sendable {
    private let handle: OpaquePointer
    package let level: Int

    /// - Parameter level: 1 (fastest) … 9 (smallest), libdeflate's levels of the same numbers
    ///   (it goes on to 12, slower and larger in memory: not offered); 6 is the default.
    package init(level: Int) throws {
        try Self.validate(level: level)
        guard let handle = libdeflate_alloc_compressor(Int32(level)) else {
            throw ExportError(.other, "cannot start gzip compression (out of memory)")
        }
        self.handle = handle
        self.level = level
    }

    deinit { libdeflate_free_compressor(handle) }

    package static func validate(level: Int) throws {
        guard (1...9).contains(level) else {
            throw ExportError(
                .usage, "gzip level must be 1…9, got \(level)",
                hint: "use 1 (fastest) … 9 (smallest); 6 is the default")
        }
    }

    /// Compresses the block's plain bytes (none is fine: an empty member) into its member and
    /// empties it. Synchronous, CPU only: ≈ 20 ms a MiB of CSV at level 6.
    package func compress(_ block: GzipBlock) throws {
        let produced = libdeflate_gzip_compress(
            handle, block.plain.baseAddress!, block.count, block.compressed.baseAddress!, block.compressed.count)
        // The buffer holds libdeflate's own bound for a full block: 0 cannot happen.
        guard produced > 0 else {
            throw ExportError(.other, "gzip compression failed (libdeflate: no room for \(block.count) bytes)")
        }
        block.compressed(produced)
    }
}

/// What the gzip outputs of a process share: compressors (per level) and blocks (per size),
/// taken for a while and given back, so that ten outputs hold ten filling blocks and the few
/// compressing, not two blocks and two compressors each. Since a compression never suspends,
/// there are about as many compressors as cores.
package enum GzipCompressors {
    /// Compresses `block` with a free compressor of `level` (made if none is free), given back after.
    package static func compress(_ block: GzipBlock, level: Int) throws {
        let compressor = try compressors.take(level) { try GzipCompressor(level: level) }
        defer { compressors.give(compressor, key: level) }
        try compressor.compress(block)
    }

    /// An empty block of `capacity` plain bytes, until `give(_:)`.
    package static func takeBlock(capacity: Int) -> GzipBlock {
        blocks.take(capacity) { GzipBlock(capacity: capacity) }
    }

    /// Gives a block back (emptied); it must no longer be used.
    package static func give(_ block: GzipBlock) {
        block.reset()
        blocks.give(block, key: block.capacity)
    }

    /// Reserves one of the process's places for a block compressed by a task of its own; false
    /// when every core already has one (compressing, or compressed and not yet written). The
    /// caller then compresses in its own task: so the blocks held stay about one an output plus
    /// one a core, however many outputs a run writes. `endTask()` gives the place back.
    package static func reserveTask() -> Bool {
        tasks.withLock { count in
            guard count < taskLimit else { return false }
            count += 1
            return true
        }
    }

    package static func endTask() {
        tasks.withLock { $0 -= 1 }
    }

    private static let taskLimit = max(1, ProcessInfo.processInfo.activeProcessorCount)
    private static let tasks = Locked(0)
    private static let compressors = SharedPool<Int, GzipCompressor>()
    private static let blocks = SharedPool<Int, GzipBlock>()

    // @unchecked: `value` is behind `lock`.
    private final class Locked: @unchecked Sendable {
        private let lock = NSLock()
        private var value: Int
        init(_ value: Int) { self.value = value }
        func withLock<T>(_ body: (inout Int) -> T) -> T { lock.withLock { body(&value) } }
    }

    // @unchecked: `free` is behind `lock`.
    private final class SharedPool<Key: Hashable, Item: Sendable>: @unchecked Sendable {
        private let lock = NSLock()
        private var free: [Key: [Item]] = [:]

        func take(_ key: Key, orMake make: () throws -> Item) rethrows -> Item {
            if let item = lock.withLock({ free[key]?.popLast() }) { return item }
            return try make()
        }

        func give(_ item: Item, key: Key) {
            lock.withLock { free[key, default: []].append(item) }
        }
    }
}

/// One block's plain bytes and the member made of them: the unit a core compresses.
/// Both buffers are allocated once and reused, block after block (`GzipCompressors` keeps
/// the blocks outputs give back).
// @unchecked: used by one task at a time (filled by the deflate stage, compressed by a
// task it starts and awaits, then written by the stage again).
package final class GzipBlock: @unchecked Sendable {
    package let capacity: Int
    fileprivate let plain: UnsafeMutableRawBufferPointer
    fileprivate let compressed: UnsafeMutableRawBufferPointer
    /// Plain bytes in the block.
    package private(set) var count = 0
    /// Length of the member made by the last compression.
    private var memberCount = 0

    /// - Parameter capacity: plain bytes per block.
    package init(capacity: Int) {
        precondition(capacity > 0, "bad block capacity")
        self.capacity = capacity
        plain = .allocate(byteCount: capacity, alignment: 16)
        // nil: the bound for any compressor, whatever its level.
        compressed = .allocate(byteCount: libdeflate_gzip_compress_bound(nil, capacity), alignment: 16)
    }

    deinit {
        plain.deallocate()
        compressed.deallocate()
    }

    package var isFull: Bool { count == capacity }

    /// Copies as much of `bytes` as fits; returns how many were taken.
    package func append(_ bytes: UnsafeRawBufferPointer) -> Int {
        let taken = min(bytes.count, capacity - count)
        guard taken > 0 else { return 0 }
        (plain.baseAddress! + count).copyMemory(from: bytes.baseAddress!, byteCount: taken)
        count += taken
        return taken
    }

    fileprivate func reset() {
        count = 0
        memberCount = 0
    }

    fileprivate func compressed(_ length: Int) {
        memberCount = length
        count = 0
    }

    /// The member made by the last compression, valid until the next one.
    package var member: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: compressed[..<memberCount]) }
}

/// Compresses a stream of plain bytes into gzip members, one block at a time, on the caller's
/// task: plain chunks in, whole members out.
///
///     deflate(chunk) ──▶ block ──full──▶ compress ──▶ output(member)
///     endMember()    ──▶ what the block holds becomes a member now (a part's size is then exact)
///     finish()       ──▶ the last member (an empty one if nothing came at all)
///
/// Pure and synchronous: no I/O. Every piece handed to `output` is one complete member, so the
/// bytes written so far always form a valid gzip file. `OutputSink` runs the same blocks on
/// both cores (`ParallelGzip`); this one is for parts, where each cut depends on the sizes
/// written before it.
package final class GzipDeflater {
    /// Plain bytes per member (see the top of the file for the choice).
    package static let defaultBlockSize = 256 << 10

    private let block: GzipBlock
    private let level: Int
    private var finished = false
    private var members = 0

    /// Plain bytes taken but not yet in a member.
    package var pending: Int { block.count }
    package var blockSize: Int { block.capacity }

    /// Plain bytes fed so far.
    package private(set) var bytesIn: Int64 = 0
    /// Compressed bytes handed to `output` so far (bytes still in the block are not counted
    /// until their member is made).
    package private(set) var bytesOut: Int64 = 0

    /// - Parameters:
    ///   - level: 1 (fastest) … 9 (smallest); gzip's default is 6.
    ///   - blockSize: plain bytes per member.
    package init(level: Int, blockSize: Int = GzipDeflater.defaultBlockSize) throws {
        try GzipCompressor.validate(level: level)
        self.level = level
        block = GzipCompressors.takeBlock(capacity: blockSize)
    }

    deinit { GzipCompressors.give(block) }

    /// Takes `input`; `output` is called with each member completed (valid only during the call).
    package func deflate(_ input: UnsafeRawBufferPointer, _ output: (UnsafeRawBufferPointer) throws -> Void) throws {
        precondition(!finished, "deflate after finish")
        var rest = input
        while !rest.isEmpty {
            let taken = block.append(rest)
            rest = UnsafeRawBufferPointer(rebasing: rest[taken...])
            if block.isFull { try endMember(output) }
        }
        bytesIn += Int64(input.count)
    }

    /// Makes a member of the bytes taken since the last one, if any.
    package func endMember(_ output: (UnsafeRawBufferPointer) throws -> Void) throws {
        precondition(!finished, "endMember after finish")
        guard block.count > 0 else { return }
        try emit(output)
    }

    /// Makes the last member and hands it out. Call once.
    package func finish(_ output: (UnsafeRawBufferPointer) throws -> Void) throws {
        precondition(!finished, "finish called twice")
        if block.count > 0 || members == 0 { try emit(output) }
        finished = true
    }

    private func emit(_ output: (UnsafeRawBufferPointer) throws -> Void) throws {
        try GzipCompressors.compress(block, level: level)
        members += 1
        bytesOut += Int64(block.member.count)
        try output(block.member)
    }
}

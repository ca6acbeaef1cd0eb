import MicsVocabulary
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
/// tables once used (levels 1…9), so there are as many as blocks compressing at once, no more.
// @unchecked: used by one task at a time (the one compressing a block with it).
package final class GzipCompressor: @unchecked Sendable {
    private let handle: OpaquePointer

    /// - Parameter level: 1 (fastest) … 9 (smallest), libdeflate's levels of the same numbers
    ///   (it goes on to 12, slower and larger in memory: not offered); 6 is the default.
    package init(level: Int) throws {
        try Self.validate(level: level)
        guard let handle = libdeflate_alloc_compressor(Int32(level)) else {
            throw ExportError(.other, "cannot start gzip compression (out of memory)")
        }
        self.handle = handle
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

/// One block's plain bytes and the member made of them: the unit a core compresses.
/// Both buffers are allocated once and reused, block after block.
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
    private let compressor: GzipCompressor
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
        compressor = try GzipCompressor(level: level)
        block = GzipBlock(capacity: blockSize)
    }

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
        try compressor.compress(block)
        members += 1
        bytesOut += Int64(block.member.count)
        try output(block.member)
    }
}

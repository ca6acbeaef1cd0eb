import MicsVocabulary
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Cuts a source's bytes into blocks of whole lines (≈ `blockSize` each), the unit that
/// the parse workers take. Pure and incremental: chunk boundaries mean nothing.
///
/// ```
/// chunks:  |{"a":1}\n{"a|":2}\n{"a":3}|\n{"a":4}|      (end of source)
/// blocks:  [{"a":1}\n{"a":2}\n{"a":3}\n]  [{"a":4}]
/// ```
///
/// A line longer than `maxLineBytes` is not kept: its bytes are dropped up to its end and
/// its number is reported in the next block's `overlongLines`, so memory stays bounded
/// by the longest allowed line.
package struct LineBlocker {
    package let maxLineBytes: Int
    package let blockSize: Int
    private var pending: [UInt8] = []
    /// Number of the first line in `pending`.
    private var nextLine = 1
    private var discarding = false
    private var overlong: [Int] = []
    private var atSourceStart = true
    /// `pending[..<noNewlineBefore]` is known to hold no newline.
    private var noNewlineBefore = 0

    package init(maxLineBytes: Int, blockSize: Int = 256 << 10) {
        self.maxLineBytes = maxLineBytes
        self.blockSize = blockSize
        pending.reserveCapacity(blockSize + 64 * 1024)
    }

    package mutating func feed(_ chunk: UnsafeRawBufferPointer, _ emit: (LineBlock) throws -> Void) rethrows {
        var input = chunk
        if atSourceStart {
            // A UTF-8 BOM opens the source only: wait until 3 bytes are known.
            pending.append(contentsOf: input)
            input = UnsafeRawBufferPointer(start: nil, count: 0)
            guard pending.count >= 3 else { return }
            if pending[0] == 0xEF && pending[1] == 0xBB && pending[2] == 0xBF { pending.removeFirst(3) }
            atSourceStart = false
        }
        if discarding {
            guard let newline = Self.firstNewline(input) else { return }
            discarding = false
            nextLine += 1
            input = UnsafeRawBufferPointer(rebasing: input[(newline + 1)...])
        }
        if pending.count + input.count >= blockSize, let newline = Self.lastNewline(input) {
            // What was carried (moved, not copied: it may be one long line) and this chunk
            // up to its last newline make the block.
            var block: [UInt8] = []
            swap(&block, &pending)
            block.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[...newline]))
            pending.reserveCapacity(blockSize + 64 * 1024)
            pending.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[(newline + 1)...]))
            noNewlineBefore = pending.count
            try emitBlock(block, emit)
            return
        }
        pending.append(contentsOf: input)
        if pending.count >= blockSize { try cutBlock(emit) }
    }

    /// Like `feed`, but the source's next bytes are read straight into the block being made,
    /// after the carried tail of the last line, instead of arriving in a chunk that is then
    /// copied in: that copy was 4 % of a wide conversion's CPU (perf). `read` fills the buffer
    /// it is given, short only at the end of the source, 0 past it. Returns the bytes read.
    /// The blocks are the ones `feed` makes of the same bytes.
    package mutating func fill(
        _ read: (UnsafeMutableRawBufferPointer) throws -> Int, _ emit: (LineBlock) throws -> Void
    ) throws -> Int {
        let carried = pending.count
        guard !atSourceStart, !discarding, carried < blockSize / 2 else {
            // The BOM check, a dropped line, or a long line still coming (its carry grows in
            // `feed`'s amortized appends, not by a copy per read): through `feed`.
            let chunk = try [UInt8](unsafeUninitializedCapacity: blockSize) { buffer, count in
                count = 0
                count = try read(UnsafeMutableRawBufferPointer(buffer))
            }
            try chunk.withUnsafeBytes { try feed($0, emit) }
            return chunk.count
        }
        var got = 0
        let next = try [UInt8](unsafeUninitializedCapacity: blockSize + 64 * 1024) { buffer, count in
            count = 0
            let base = UnsafeMutableRawPointer(buffer.baseAddress!)
            pending.withUnsafeBytes { carry in
                if let from = carry.baseAddress { base.copyMemory(from: from, byteCount: carried) }
            }
            got = try read(UnsafeMutableRawBufferPointer(start: base + carried, count: blockSize - carried))
            count = carried + got
        }
        pending = next  // `noNewlineBefore` still holds: the carried bytes come first, unchanged
        if pending.count >= blockSize { try cutBlock(emit) }
        return got
    }

    private mutating func emitBlock(_ block: [UInt8], _ emit: (LineBlock) throws -> Void) rethrows {
        let lines = block.withUnsafeBytes { Self.countNewlines($0) }
        try emit(LineBlock(bytes: block, firstLine: nextLine, overlongLines: overlong))
        overlong.removeAll()
        nextLine += lines
    }

    /// The end of the source: what is left is the last line (it may lack its newline).
    package mutating func finish(_ emit: (LineBlock) throws -> Void) rethrows {
        if atSourceStart, pending.count >= 3, pending[0] == 0xEF && pending[1] == 0xBB && pending[2] == 0xBF {
            pending.removeFirst(3)
        }
        if !pending.isEmpty || !overlong.isEmpty {
            try emit(LineBlock(bytes: pending, firstLine: nextLine, overlongLines: overlong))
        }
        self = LineBlocker(maxLineBytes: maxLineBytes, blockSize: blockSize)
    }

    private mutating func cutBlock(_ emit: (LineBlock) throws -> Void) rethrows {
        // Only the bytes added since the last look can hold a newline: a long line is
        // scanned once, not once per chunk.
        let lastNewline = pending.withUnsafeBytes { bytes in
            Self.lastNewline(UnsafeRawBufferPointer(rebasing: bytes[noNewlineBefore...])).map { $0 + noNewlineBefore }
        }
        noNewlineBefore = pending.count
        guard let lastNewline else {
            if pending.count - 1 > maxLineBytes {  // - 1: a CR whose LF has not come yet (no overflow at Int.max)
                // One line, still going, already too long: drop it.
                overlong.append(nextLine)
                pending.removeAll(keepingCapacity: true)
                noNewlineBefore = 0
                discarding = true
            }
            return
        }
        // The block keeps pending's storage; only the unfinished line after it is copied out.
        var block: [UInt8] = []
        swap(&block, &pending)
        let rest = block.count - lastNewline - 1
        // The unfinished line after the block is already too long: drop it, and report it
        // with the next block (it comes after this block's lines).
        let restIsOverlong = rest - 1 > maxLineBytes
        pending.reserveCapacity(blockSize + 64 * 1024)
        if restIsOverlong {
            discarding = true
        } else {
            pending.append(contentsOf: block[(lastNewline + 1)...])
        }
        block.removeLast(rest)
        noNewlineBefore = 0
        try emitBlock(block, emit)
        if restIsOverlong { overlong.append(nextLine) }
    }

    @inlinable
    package static func firstNewline(_ bytes: UnsafeRawBufferPointer) -> Int? {
        guard let base = bytes.baseAddress, let hit = memchr(base, 0x0A, bytes.count) else { return nil }
        return base.distance(to: UnsafeRawPointer(hit))
    }

    package static func lastNewline(_ bytes: UnsafeRawBufferPointer) -> Int? {
        // The last newline is usually near the end: a backward byte loop is enough.
        var k = bytes.count - 1
        while k >= 0 {
            if bytes[k] == 0x0A { return k }
            k -= 1
        }
        return nil
    }

    /// memchr while lines are long (it leaps over them); once they prove short (under 256
    /// bytes on average after 16), eight bytes at a time: a call per line of narrow exports
    /// (49 bytes) cost twice as much.
    package static func countNewlines(_ bytes: UnsafeRawBufferPointer) -> Int {
        guard let start = bytes.baseAddress else { return 0 }
        var cursor = start
        let end = cursor + bytes.count
        var count = 0
        while cursor < end, let hit = memchr(cursor, 0x0A, cursor.distance(to: end)) {
            count += 1
            cursor = UnsafeRawPointer(hit) + 1
            if count & 15 == 0 && start.distance(to: cursor) < count * 256 {
                return count + countNewlinesByWords(from: cursor, to: end)
            }
        }
        return count
    }

    static func countNewlinesByWords(from start: UnsafeRawPointer, to end: UnsafeRawPointer) -> Int {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let lows: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        let evens: UInt64 = 0x00FF_00FF_00FF_00FF
        var at = start
        var count = 0
        while end - at >= 8 {
            // One counter per byte lane, for at most 255 words.
            var lanes: UInt64 = 0
            var words = 0
            while words < 255 && end - at >= 8 {
                let x = at.loadUnaligned(as: UInt64.self) ^ (ones &* 0x0A)
                // The high bit of each byte of x that is zero (exact: no carry crosses a byte).
                lanes &+= (~(((x & lows) &+ lows) | x) & ~lows) >> 7
                at += 8
                words += 1
            }
            // Lanes summed in pairs (each ≤ 510), then the four pairs in the top 16 bits.
            let pairs = (lanes & evens) &+ ((lanes >> 8) & evens)
            count += Int((pairs &* 0x0001_0001_0001_0001) >> 48)
        }
        while at < end {
            if at.load(as: UInt8.self) == 0x0A { count += 1 }
            at += 1
        }
        return count
    }
}

/// Whole lines of one source, and where they start.
package struct LineBlock: Sendable {
    package var bytes: [UInt8]
    package var firstLine: Int
    /// Lines before this block's first that were too long and dropped.
    package var overlongLines: [Int] = []
    package var sourceIndex = 0
    /// Input bytes (as read, before inflating) since the previous block.
    package var inputBytes: Int64 = 0
    
    package init(bytes: [UInt8], firstLine: Int, overlongLines: [Int] = [], inputBytes: Int64 = 0) {
        self.bytes = bytes
        self.firstLine = firstLine
        self.overlongLines = overlongLines
        self.inputBytes = inputBytes
    }
}

import MicsVocabulary
import MicsDecode
import MicsProject
/// Cuts converted blocks into parts, between rows, and writes each part (gzip or not).
///
/// ```
/// block bytes ─┬ row ┬ row ┬ row ┬ row ─▶ part 1: preamble + rows │ part 2: preamble + rows
///              rowEnds[0]  [1]   [2]       cut when the row limit is reached, or at the
///                                          first row end once the part's size reaches the limit
/// ```
/// - Rows: exact. A part holds `splitRows` rows (the last one fewer).
/// - Bytes as written: plain output is cut exactly after the row that reaches the limit.
///   With gzip, a part is a series of gzip members, and its size is known exactly each time
///   a member is made. Far from the limit (more than `gzipNear` to go) members hold 256 KiB of
///   plain bytes; closer, a member is made at the first row end past `gzipRun` (128 KiB) plain
///   bytes, and the part is cut after the first member that brings it to the limit. A part
///   then ends at most one member over the limit: ≤ 128 KiB plus one row, compressed (on
///   text ~50 KiB; incompressible data grows by 5 bytes a 64 KiB and 18 a member), so under
///   150 KiB plus one row. Every part but the last reaches the limit.
///
/// Synchronous; the caller decides on which task it runs (gzip: its own, as `OutputSink`).
package struct PartSplitter {
    /// Plain bytes a member holds near the limit.
    package static let gzipRun = 128 * 1024
    /// Compressed bytes to go below which members are short. Far from it, the members of one
    /// run and the bytes it leaves behind (≤ 2 blocks and a row, ≤ 0.51 MiB compressed besides
    /// the row) cannot reach the limit.
    package static let gzipNear: Int64 = 1 << 20

    package let preamble: [UInt8]
    package let splitRows: Int?
    package let splitBytes: Int64?
    /// nil: plain output.
    package let gzipLevel: Int?
    /// Creates part `index` (from 1).
    package let makePart: (Int) throws -> AtomicFile

    private var current: AtomicFile?
    private var deflater: GzipDeflater?
    private var partCount = 0

    package init(
        preamble: [UInt8],
        splitRows: Int?,
        splitBytes: Int64?,
        gzipLevel: Int?,
        makePart: @escaping (Int) throws -> AtomicFile
    ) {
        self.preamble = preamble
        self.splitRows = splitRows
        self.splitBytes = splitBytes
        self.gzipLevel = gzipLevel
        self.makePart = makePart
    }

    /// `rowEnds`: where each row ends (kept by the converter when a limit is set).
    package mutating func write(_ bytes: [UInt8], rows: Int, rowEnds: [Int32]) throws {
        guard !bytes.isEmpty else { return }
        try bytes.withUnsafeBytes { raw in
            // Without limits, or without row ends (not kept), the block goes whole to the current part.
            guard splitRows != nil || splitBytes != nil, !rowEnds.isEmpty else {
                if current == nil { try openPart() }
                try feed(raw)
                current!.rows += rows
                return
            }
            var index = 0
            var start = 0
            while index < rowEnds.count {
                if current == nil { try openPart() }
                let part = current!
                var last = rowEnds.count
                if let splitRows { last = min(last, index + splitRows - part.rows) }
                var full = false
                if let limit = splitBytes, gzipLevel == nil {
                    // Plain: the size is known exactly; stop after the row that reaches the limit.
                    var end = index
                    while end < last {
                        end += 1
                        if part.bytesWritten + Int64(Int(rowEnds[end - 1]) - start) >= limit {
                            full = true
                            break
                        }
                    }
                    last = end
                } else if let limit = splitBytes, let deflater {
                    // gzip: feed runs of rows; near the limit each run ends a member, so the
                    // size written is exact after it.
                    while index < last {
                        let near = part.bytesWritten + Self.gzipNear >= limit
                        let run = near ? Self.gzipRun : deflater.blockSize
                        var end = index + 1
                        while end < last && deflater.pending + Int(rowEnds[end - 1]) - start < run { end += 1 }
                        let stop = Int(rowEnds[end - 1])
                        try feed(UnsafeRawBufferPointer(rebasing: raw[start..<stop]))
                        part.rows += end - index
                        index = end
                        start = stop
                        if near && deflater.pending >= run { try deflater.endMember { try part.write($0) } }
                        if part.bytesWritten >= limit {
                            full = true
                            break
                        }
                    }
                    last = index
                }
                if index < last {
                    let stop = Int(rowEnds[last - 1])
                    try feed(UnsafeRawBufferPointer(rebasing: raw[start..<stop]))
                    part.rows += last - index
                    index = last
                    start = stop
                }
                if let splitRows, part.rows >= splitRows { full = true }
                if full { try closePart() }
            }
            if start < raw.count {
                // Bytes after the last row end belong to no row: keep them rather than lose them.
                if current == nil { try openPart() }
                try feed(UnsafeRawBufferPointer(rebasing: raw[start...]))
            }
        }
    }

    /// Completes the last part; a run with no row still gets one part (its header only).
    package mutating func finish() throws {
        if partCount == 0 { try openPart() }
        if current != nil { try closePart() }
    }

    private mutating func openPart() throws {
        partCount += 1
        current = try makePart(partCount)
        if let gzipLevel { deflater = try GzipDeflater(level: gzipLevel) }
        try preamble.withUnsafeBytes { try feed($0) }
    }

    private mutating func closePart() throws {
        guard let part = current else { return }
        if let deflater { try deflater.finish { try part.write($0) } }
        deflater = nil
        try part.close()
        current = nil
    }

    private func feed(_ bytes: UnsafeRawBufferPointer) throws {
        guard let part = current, bytes.count > 0 else { return }
        if let deflater {
            try deflater.deflate(bytes) { try part.write($0) }
        } else {
            try part.write(bytes)
        }
    }
}

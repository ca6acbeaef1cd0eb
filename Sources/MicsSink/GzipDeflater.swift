import MicsVocabulary
import MicsDecode
import MicsProject
import CZlib

/// Compresses bytes incrementally into one gzip member: plain chunks in, gzip pieces out.
///
///     bytes ──▶ zlib deflate (Z_NO_FLUSH) ──▶ output buffer ──full──▶ output(_:)
///     finish() ──▶ Z_FINISH until Z_STREAM_END ──▶ last piece (header, data, CRC-32 + length)
///
/// Pure and synchronous: no I/O. Output is gathered into one reused buffer and handed out only
/// when full (and once more at `finish`), so a writer gets few, large pieces — every piece has
/// exactly `outputChunkSize` bytes except the last. The result reads with `gzip -d` / `zcat`.
package final class GzipDeflater {
    /// zlib keeps a pointer back to its `z_stream`, so it must never move: heap, not a stored property.
    private let stream: UnsafeMutablePointer<z_stream>
    private let outputBuffer: UnsafeMutableRawBufferPointer
    /// Bytes of `outputBuffer` already filled and not yet handed out.
    private var filled = 0
    private var finished = false

    /// Plain bytes fed so far.
    package private(set) var bytesIn: Int64 = 0
    /// Compressed bytes handed to `output` so far (up to `outputChunkSize` more wait in the buffer
    /// until the next full piece or `finish`).
    package private(set) var bytesOut: Int64 = 0

    /// - Parameters:
    ///   - level: 1 (fastest) … 9 (smallest); gzip's default is 6.
    ///   - memLevel: zlib's internal state size, 1…9 (8 is zlib's default).
    package init(level: Int, outputChunkSize: Int = 256 * 1024, memLevel: Int = 8) throws {
        guard (1...9).contains(level) else {
            throw ExportError(
                .usage, "gzip level must be 1…9, got \(level)",
                hint: "use 1 (fastest) … 9 (smallest); 6 is the default")
        }
        precondition(outputChunkSize > 0 && outputChunkSize <= Int(UInt32.max), "bad outputChunkSize")
        precondition((1...9).contains(memLevel), "bad memLevel")
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        // 15 + 16: a 32 KiB window and a gzip (not zlib) header and trailer.
        let code = mics_deflateInit2(stream, Int32(level), 15 + 16, Int32(memLevel))
        guard code == Z_OK else {
            stream.deinitialize(count: 1)
            stream.deallocate()
            throw ExportError(.other, "cannot start gzip compression (zlib error \(code))")
        }
        outputBuffer = .allocate(byteCount: outputChunkSize, alignment: 16)
    }

    deinit {
        deflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
        outputBuffer.deallocate()
    }

    /// Compresses `input`; `output` is called with each full piece (valid only during the call).
    package func deflate(_ input: UnsafeRawBufferPointer, _ output: (UnsafeRawBufferPointer) throws -> Void) throws {
        precondition(!finished, "deflate after finish")
        guard var next = input.baseAddress, input.count > 0 else { return }
        var remaining = input.count
        while remaining > 0 {
            // avail_in is 32-bit: at most 1 GiB per stretch.
            let length = min(remaining, 1 << 30)
            stream.pointee.next_in = UnsafeMutablePointer(mutating: next.assumingMemoryBound(to: Bytef.self))
            stream.pointee.avail_in = UInt32(length)
            while stream.pointee.avail_in > 0 {
                try run(Z_NO_FLUSH, output)
            }
            next += length
            remaining -= length
        }
        stream.pointee.next_in = nil
        bytesIn += Int64(input.count)
    }

    /// Ends the gzip member (writes the trailer) and hands out everything left. Call once.
    package func finish(_ output: (UnsafeRawBufferPointer) throws -> Void) throws {
        precondition(!finished, "finish called twice")
        stream.pointee.next_in = nil
        stream.pointee.avail_in = 0
        while try run(Z_FINISH, output) != Z_STREAM_END {}
        finished = true
        if filled > 0 {
            try emit(output)
        }
    }

    /// One zlib call into the free part of the buffer; hands the buffer out when it is full.
    @discardableResult
    private func run(_ flush: Int32, _ output: (UnsafeRawBufferPointer) throws -> Void) throws -> Int32 {
        let free = outputBuffer.count - filled
        stream.pointee.next_out = (outputBuffer.baseAddress! + filled).assumingMemoryBound(to: Bytef.self)
        stream.pointee.avail_out = UInt32(free)
        let code = CZlib.deflate(stream, flush)
        filled += free - Int(stream.pointee.avail_out)
        // Z_BUF_ERROR only means "no progress possible now": with room left and Z_FINISH it cannot happen.
        guard code == Z_OK || code == Z_STREAM_END || code == Z_BUF_ERROR else {
            let reason = stream.pointee.msg.map { String(cString: $0) } ?? "error \(code)"
            throw ExportError(.other, "gzip compression failed (zlib: \(reason))")
        }
        if filled == outputBuffer.count {
            try emit(output)
        }
        return code
    }

    private func emit(_ output: (UnsafeRawBufferPointer) throws -> Void) throws {
        let piece = UnsafeRawBufferPointer(rebasing: outputBuffer[..<filled])
        filled = 0
        bytesOut += Int64(piece.count)
        try output(piece)
    }
}

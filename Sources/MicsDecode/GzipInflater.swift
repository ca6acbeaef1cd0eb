import MicsVocabulary
import CZlib

/// Inflates gzip (or zlib) bytes incrementally: compressed chunks in, inflated pieces out.
///
///     compressed chunk ──▶ zlib inflate ──▶ piece (≤ outputChunkSize) ──▶ output(_:)
///                          member end: inflateReset, go on with the next member
///
/// Pure and synchronous: no I/O, no concurrency. Feed every chunk to `inflate(_:_:)` (chunk
/// boundaries mean nothing), then call `finish()`, which throws if the input stopped inside a
/// member: a truncated file is an error, never a short result.
///
/// - Concatenated members (`cat a.gz b.gz`) are all read to the end.
/// - After the last member, a run of zero bytes is padding (tape/block tools add it) and is
///   ignored; any other trailing byte is an error.
/// - Memory is bounded: one output buffer of `outputChunkSize` plus zlib's 32 KiB window,
///   whatever the compression ratio (the inflated bytes are never accumulated here).
package final class GzipInflater {
    private enum State {
        /// Nothing fed yet: zlib detects gzip or zlib from the header.
        case start
        /// zlib is inside a member.
        case inMember
        /// A member ended; the next byte decides: `1f` a new member, `00` padding, else garbage.
        case betweenMembers
        /// Zero padding after the last member: only zero bytes may follow.
        case padding
    }

    /// zlib keeps a pointer back to its `z_stream`, so it must never move: heap, not a stored property.
    private let stream: UnsafeMutablePointer<z_stream>
    /// The one output buffer, reused for every piece: no allocation per call.
    private let outputBuffer: UnsafeMutableRawBufferPointer
    private var state = State.start
    /// Compressed offset where the current member starts (for errors in its first bytes).
    private var memberStart: Int64 = 0
    private var memberCount = 0
    /// Put in the errors' `location`; callers may also fill it in themselves.
    package let name: String?

    /// Compressed bytes fed so far.
    package private(set) var bytesIn: Int64 = 0
    /// Inflated bytes handed to `output` so far.
    package private(set) var bytesOut: Int64 = 0

    package init(outputChunkSize: Int = 256 * 1024, name: String? = nil) {
        precondition(outputChunkSize > 0 && outputChunkSize <= Int(UInt32.max), "bad outputChunkSize")
        self.name = name
        outputBuffer = .allocate(byteCount: outputChunkSize, alignment: 16)
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        // 15 + 32: a 32 KiB window, gzip or zlib header detected automatically.
        let code = mics_inflateInit2(stream, 15 + 32)
        // Only Z_MEM_ERROR or a header/library mismatch can fail here: neither is recoverable.
        precondition(code == Z_OK, "inflateInit2 failed (\(code))")
    }

    deinit {
        inflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
        outputBuffer.deallocate()
    }

    /// Feeds compressed bytes; calls `output` with each inflated piece as it is produced.
    ///
    /// A piece is valid only during the call (the buffer is reused): copy what you keep.
    /// Piece sizes depend on the input chunks: a large input chunk gives full pieces.
    package func inflate(_ input: UnsafeRawBufferPointer, _ output: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard let base = input.baseAddress, input.count > 0 else { return }
        let start = bytesIn
        var position = 0
        while position < input.count {
            switch state {
            case .start:
                state = .inMember
                memberCount = 1
            case .inMember:
                let offset = start + Int64(position)
                position += try inflateMember(base + position, count: input.count - position, at: offset, output)
            case .betweenMembers:
                let byte = input[position]
                if byte == 0 {
                    state = .padding
                } else if byte == 0x1f {
                    guard inflateReset(stream) == Z_OK else {
                        throw corrupt(Z_STREAM_ERROR, at: start + Int64(position))
                    }
                    state = .inMember
                    memberStart = start + Int64(position)
                    memberCount += 1
                } else {
                    throw trailingGarbage(at: start + Int64(position))
                }
            case .padding:
                for index in position..<input.count where input[index] != 0 {
                    throw trailingGarbage(at: start + Int64(index))
                }
                position = input.count
            }
        }
        bytesIn = start + Int64(input.count)
    }

    /// Call once at the end of input: throws if the input ended inside a member (or was empty).
    package func finish() throws {
        switch state {
        case .betweenMembers, .padding:
            return
        case .start, .inMember:
            throw ExportError(
                .badInput, "truncated gzip stream: the file ends inside a compressed member",
                at: name, hint: "the download or copy was cut short; fetch the file again")
        }
    }

    /// Runs zlib on one stretch of input until it is consumed or the member ends.
    /// Returns the number of input bytes consumed.
    private func inflateMember(
        _ input: UnsafeRawPointer, count: Int, at offset: Int64, _ output: (UnsafeRawBufferPointer) throws -> Void
    ) throws -> Int {
        // avail_in is 32-bit: take at most 1 GiB per stretch, the caller loops for the rest.
        let length = min(count, 1 << 30)
        stream.pointee.next_in = UnsafeMutablePointer(mutating: input.assumingMemoryBound(to: Bytef.self))
        stream.pointee.avail_in = UInt32(length)
        defer {
            // Do not leave a pointer into the caller's buffer behind.
            stream.pointee.next_in = nil
            stream.pointee.avail_in = 0
        }
        let outBase = outputBuffer.baseAddress!.assumingMemoryBound(to: Bytef.self)
        while true {
            let availableBefore = stream.pointee.avail_in
            stream.pointee.next_out = outBase
            stream.pointee.avail_out = UInt32(outputBuffer.count)
            let code = CZlib.inflate(stream, Z_NO_FLUSH)
            let produced = outputBuffer.count - Int(stream.pointee.avail_out)
            if produced > 0 {
                bytesOut += Int64(produced)
                try output(UnsafeRawBufferPointer(rebasing: outputBuffer[..<produced]))
            }
            let consumed = length - Int(stream.pointee.avail_in)
            switch code {
            case Z_STREAM_END:
                state = .betweenMembers
                return consumed
            case Z_OK, Z_BUF_ERROR:
                // A full output buffer may hide more pending output: go round again.
                if stream.pointee.avail_out == 0 { continue }
                if stream.pointee.avail_in == 0 { return consumed }
                // Room on both sides yet no progress: zlib wants more input than a stretch holds.
                if produced == 0 && stream.pointee.avail_in == availableBefore { return consumed }
            default:
                throw corrupt(code, at: offset + Int64(consumed))
            }
        }
    }

    private func corrupt(_ code: Int32, at offset: Int64) -> ExportError {
        // A bad header in the first bytes of a later member: the file goes on with non-gzip bytes.
        if memberCount > 1 && offset - memberStart <= 2 && (code == Z_DATA_ERROR || code == Z_NEED_DICT) {
            return trailingGarbage(at: memberStart)
        }
        if code == Z_MEM_ERROR {
            return ExportError(.other, "out of memory while inflating gzip data", at: name)
        }
        let fallback = code == Z_NEED_DICT ? "needs a preset dictionary" : "error \(code)"
        let reason = stream.pointee.msg.map { String(cString: $0) } ?? fallback
        return ExportError(
            .badInput, "corrupt gzip data (zlib: \(reason)) at compressed byte \(offset)",
            at: name, hint: "the file is damaged; fetch it again or check it with `gzip -t`")
    }

    private func trailingGarbage(at offset: Int64) -> ExportError {
        ExportError(
            .badInput, "trailing garbage after the end of the gzip data at compressed byte \(offset)",
            at: name, hint: "the file has extra bytes that are neither a gzip member nor zero padding")
    }
}

import MicsVocabulary
/// The inflate stage: decides from the first two bytes whether an input is gzip, then either
/// passes its chunks through untouched or inflates them.
///
///     chunks ──▶ first 2 bytes == 1f 8b ? ──yes──▶ GzipInflater ──▶ new [UInt8] per piece
///                                          └─no──▶ the same chunk arrays, not copied
///
/// The decision is by magic bytes, never by file name: `export.ndjson` may be gzip and
/// `x.gz` may be plain. Up to one byte is held back until two are known, so a first chunk of
/// 0 or 1 byte is fine; an input shorter than two bytes is plain.
///
/// Output is `[UInt8]`, like the chunks of `ByteChunks`: passthrough forwards the caller's array
/// (no copy); an inflated piece (up to `outputChunkSize`, 256 KiB by default) is copied once out
/// of the inflater's reused buffer into a new array, which the next stage may keep.
///
/// Feed all chunks with `feed(_:_:)`, then call `finish(_:)` once. The struct holds a reference
/// to its inflater: do not copy it mid-stream and use both copies.
package struct InputDecompressor {
    /// `nil` until two bytes (or the end of input) are seen.
    package private(set) var isGzip: Bool?
    /// Bytes fed in (compressed bytes for gzip, plain bytes otherwise).
    package private(set) var compressedBytesIn: Int64 = 0
    /// Bytes handed to `output`.
    package private(set) var bytesOut: Int64 = 0

    private var held: [UInt8] = []
    private var inflater: GzipInflater?
    private let name: String?
    private let outputChunkSize: Int

    /// - Parameter name: the input's name, put in the `location` of gzip errors.
    package init(name: String? = nil, outputChunkSize: Int = 256 * 1024) {
        self.name = name
        self.outputChunkSize = outputChunkSize
    }

    package mutating func feed(_ chunk: [UInt8], _ output: ([UInt8]) throws -> Void) throws {
        if let bytes = admit(chunk) { try route(bytes, output) }
    }

    /// `feed`, each piece handed out as bytes valid only during the call: an inflated piece
    /// goes straight from the inflater's buffer, with no array made for it (the convert
    /// pipeline's path: the line framer copies it once anyway).
    package mutating func feedBytes(_ chunk: [UInt8], _ output: (UnsafeRawBufferPointer) throws -> Void) throws {
        try chunk.withUnsafeBytes { try feedBytes($0, output) }
    }

    /// `feedBytes` for bytes the caller holds (a slice of a chunk): once the first two bytes
    /// have decided, nothing is copied (a gzip chunk is fed in slices: an array per slice was
    /// 37 MB of copies over the bench's 200 MB file).
    package mutating func feedBytes(
        _ chunk: UnsafeRawBufferPointer, _ output: (UnsafeRawBufferPointer) throws -> Void
    ) throws {
        guard isGzip != nil else {
            // Until two bytes have decided (the first chunk, nearly always): held as an array.
            guard let bytes = admit(Array(chunk)) else { return }
            return try bytes.withUnsafeBytes { try pass($0, output) }
        }
        compressedBytesIn += Int64(chunk.count)
        try pass(chunk, output)
    }

    /// Hands counted bytes on: inflated when gzip, as they are otherwise.
    private mutating func pass(_ bytes: UnsafeRawBufferPointer, _ output: (UnsafeRawBufferPointer) throws -> Void) throws {
        if bytes.isEmpty { return }
        guard let inflater else {
            bytesOut += Int64(bytes.count)
            return try output(bytes)
        }
        let before = inflater.bytesOut
        defer { bytesOut += inflater.bytesOut - before }
        try inflater.inflate(bytes, output)
    }

    /// Counts a chunk and decides gzip or not from its first two bytes; returns the bytes to
    /// route now (nil while fewer than two bytes have been seen).
    private mutating func admit(_ chunk: [UInt8]) -> [UInt8]? {
        compressedBytesIn += Int64(chunk.count)
        if chunk.isEmpty { return nil }
        if isGzip == nil {
            if held.isEmpty && chunk.count >= 2 {
                decide(chunk[0], chunk[1])
            } else {
                held += chunk
                guard held.count >= 2 else { return nil }
                decide(held[0], held[1])
                let bytes = held
                held = []
                return bytes
            }
        }
        return chunk
    }

    /// End of input: flushes a held byte, and throws if a gzip member is incomplete.
    package mutating func finish(_ output: ([UInt8]) throws -> Void) throws {
        if isGzip == nil {
            // Fewer than two bytes in all: cannot be gzip.
            isGzip = false
            if !held.isEmpty {
                let bytes = held
                held = []
                try route(bytes, output)
            }
        }
        try inflater?.finish()
    }

    /// `finish` for `feedBytes`.
    package mutating func finishBytes(_ output: (UnsafeRawBufferPointer) throws -> Void) throws {
        try finish { (piece: [UInt8]) in try piece.withUnsafeBytes(output) }
    }

    private mutating func decide(_ first: UInt8, _ second: UInt8) {
        let gzip = first == 0x1f && second == 0x8b
        isGzip = gzip
        if gzip {
            inflater = GzipInflater(outputChunkSize: outputChunkSize, name: name)
        }
    }

    private mutating func route(_ bytes: [UInt8], _ output: ([UInt8]) throws -> Void) throws {
        guard let inflater else {
            bytesOut += Int64(bytes.count)
            try output(bytes)
            return
        }
        var produced: Int64 = 0
        defer { bytesOut += produced }
        try bytes.withUnsafeBytes { input in
            try inflater.inflate(input) { piece in
                produced += Int64(piece.count)
                // One memcpy into an array the next stage owns.
                try output([UInt8](unsafeUninitializedCapacity: piece.count) { array, count in
                    UnsafeMutableRawBufferPointer(array).copyMemory(from: piece)
                    count = piece.count
                })
            }
        }
    }
}

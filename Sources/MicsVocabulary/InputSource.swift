/// One input of the pipeline: a name for messages, its size when known, and its bytes.
///
/// Files, stdin and HTTP downloads all become an `InputSource`; the pipeline reads the
/// sources in order, as one stream of records, each framed on its own (a source without
/// a final newline does not glue its last line to the next source's first).
///
/// `open` is called once, when the pipeline reaches this source, so a download starts
/// only when its turn comes. Chunks should be 64 KiB – 1 MiB: a chunk crosses a task
/// boundary, and that costs microseconds.
public struct InputSource: Sendable {
    public var name: String
    public var size: Int64?
    /// A regular file can be read twice (column inference makes a first pass).
    public var rereadable: Bool
    public var open: @Sendable () async throws -> ByteChunks {
        didSet { fillingReader = nil }  // another `open` (a replay, say): the old reader no longer says the same
    }
    /// Files and stdin: a reader that fills buffers the caller owns, so that plain text goes
    /// straight into the line blocks, with no chunk copied in between (BlockReader).
    package var fillingReader: (@Sendable () throws -> any FillingReader)?

    public init(name: String, size: Int64? = nil, rereadable: Bool = false,
                open: @escaping @Sendable () async throws -> ByteChunks) {
        self.name = name
        self.size = size
        self.rereadable = rereadable
        self.open = open
    }
}

/// A pull-based stream of byte chunks: the producer runs only when the consumer asks,
/// which gives backpressure for free.
public typealias ByteChunks = AsyncThrowingStream<[UInt8], Error>

extension ByteChunks {
    /// A stream that calls `next` for each chunk; `nil` ends it.
    public static func pulling(_ next: @escaping @Sendable () async throws -> [UInt8]?) -> ByteChunks {
        AsyncThrowingStream(unfolding: next)
    }
}

/// Reads a source into buffers the caller owns.
package protocol FillingReader: AnyObject {
    /// Fills `buffer`: fewer bytes only at the end of the source, 0 past it.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
}

extension FillingReader {
    /// The next `size` bytes (fewer only at the end, none past it) in a new array.
    package func chunk(size: Int) throws -> [UInt8] {
        try [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            count = 0
            count = try read(into: UnsafeMutableRawBufferPointer(buffer))
        }
    }
}

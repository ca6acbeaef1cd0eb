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
    public var open: @Sendable () async throws -> ByteChunks

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

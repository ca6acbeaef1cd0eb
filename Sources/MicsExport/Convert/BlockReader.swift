import MicsVocabulary
import MicsDecode
import MicsProject
import MicsSink
import AsyncAlgorithms

/// The reader task: every source in order → inflate if gzip → blocks of whole lines,
/// dealt to the workers in turn. Each source is framed on its own, so a file without a
/// final newline does not glue its last line to the next file's first.
package enum BlockReader {
    package static func read(_ inputs: [InputSource], options: ConvertOptions,
                     into channels: [AsyncThrowingChannel<LineBlock, Error>]) async {
        var turn = 0
        func deal(_ block: LineBlock) async {
            await channels[turn].send(block)
            turn = (turn + 1) % channels.count
        }
        do {
            for (index, input) in inputs.enumerated() {
                try await forEachBlock(of: input, index: index, options: options) { await deal($0) }
            }
            for channel in channels { channel.finish() }
        } catch {
            for channel in channels { channel.fail(error) }
        }
    }

    /// Compressed bytes inflated at a time (≈ 200 KiB of text at export ratios).
    static let gzipSlice = 48 << 10

    /// Calls `body` with each block of one source, in order.
    package static func forEachBlock(of input: InputSource, index: Int, options: ConvertOptions,
                             _ body: (LineBlock) async throws -> Void) async throws {
        var decompressor = InputDecompressor()
        var blocker = LineBlocker(maxLineBytes: options.maxLineBytes)
        var ready: [LineBlock] = []
        var bytesRead: Int64 = 0
        func flush() async throws {
            for var block in ready {
                block.sourceIndex = index
                block.inputBytes = bytesRead
                bytesRead = 0
                try await body(block)
            }
            ready.removeAll(keepingCapacity: true)
        }
        /// A chunk as read: inflated if gzip, then framed.
        func take(_ chunk: [UInt8]) async throws {
            // A gzip chunk inflates to ~5× its size: fed in slices, each slice's blocks
            // leave before the next is inflated (one block waits here, not five).
            var from = 0
            repeat {
                let slice = decompressor.isGzip == false ? chunk.count : min(chunk.count, from + Self.gzipSlice)
                bytesRead += Int64(slice - from)
                try chunk.withUnsafeBytes { bytes in
                    let piece = UnsafeRawBufferPointer(rebasing: bytes[from..<slice])
                    try decompressor.feedBytes(piece, { blocker.feed($0) { ready.append($0) } })
                }
                try await flush()
                from = slice
            } while from < chunk.count
        }
        do {
            if let makeReader = input.fillingReader {
                let reader = try makeReader()
                // The first chunk tells gzip from plain text; plain text is then read straight
                // into the blocks (LineBlocker.fill), gzip goes on chunk by chunk.
                var chunk = try reader.chunk(size: FileSource.chunkSize)
                while !chunk.isEmpty {
                    try Task.checkCancellation()
                    try await take(chunk)
                    if decompressor.isGzip == false {
                        while true {
                            try Task.checkCancellation()
                            let read = try blocker.fill({ try reader.read(into: $0) }) { ready.append($0) }
                            bytesRead += Int64(read)
                            try await flush()
                            if read == 0 { break }
                        }
                        break
                    }
                    chunk = try reader.chunk(size: FileSource.chunkSize)
                }
            } else {
                for try await chunk in try await input.open() {
                    try Task.checkCancellation()
                    try await take(chunk)
                }
            }
            try decompressor.finishBytes({ blocker.feed($0) { ready.append($0) } })
            blocker.finish { ready.append($0) }
            if ready.isEmpty && bytesRead > 0 {
                ready.append(LineBlock(bytes: [], firstLine: 1))
            }
            try await flush()
        } catch var error as ExportError {
            if error.location == nil { error.location = input.name }
            throw error
        }
    }
}

import MicsVocabulary
import MicsDecode
import MicsProject
import MicsSink
/// SPEC 2.3: no columns given, so the data decides. Every leaf path, in first-seen order.
///
/// Regular files get an exact first pass (memory: the set of paths). A source that can be
/// read only once (stdin, a download) is read until `--infer-rows` records, those chunks
/// are kept, and the source is handed back replaying them before the rest of the stream.
///
/// With `--tables` the same pass learns which paths hold arrays (SPEC 10): every path for
/// inferred columns, the selected paths for given ones.
package enum ColumnInference {
    package static func infer(inputs: [InputSource], options: ConvertOptions) async throws -> ([ColumnSpec], [InputSource]) {
        let learned = try await learn(inputs: inputs, options: options, columns: nil)
        return (learned.columns, learned.inputs)
    }

    /// The columns (`given`, or inferred when nil), the paths that held an array, and the
    /// inputs to convert (a stream replays what this pass read).
    /// - Parameter sample: read files only up to this many records too (as streams are).
    package static func learn(inputs: [InputSource], options: ConvertOptions, columns given: [ColumnSpec]?,
                              sample: Int? = nil)
        async throws -> (columns: [ColumnSpec], arrays: Set<[String]>, inputs: [InputSource])
    {
        var scanner = JSONLineScanner(columns: given ?? [], discoverAll: given == nil)
        scanner.trackDrift = false
        var records = 0
        var replaced = inputs
        for (index, input) in inputs.enumerated() {
            if input.rereadable {
                do {
                    try await BlockReader.forEachBlock(of: input, index: index, options: options) { block in
                        records += discover(block, &scanner, limit: sample.map { $0 - records } ?? Int.max)
                        if let sample, records >= sample { throw SampleRead() }
                    }
                } catch is SampleRead {
                    break
                }
                continue
            }
            // Read once: keep the chunks read while inferring, replay them later.
            let stream = ChunkReplay(try await input.open())
            var decompressor = InputDecompressor()
            var blocker = LineBlocker(maxLineBytes: options.maxLineBytes, blockSize: 64 * 1024)
            while records < options.inferRows, let chunk = try await stream.nextAndKeep() {
                try decompressor.feedBytes(chunk, { blocker.feed($0) { records += discover($0, &scanner, limit: options.inferRows - records) } })
            }
            if records < options.inferRows {
                try decompressor.finish { piece in
                    piece.withUnsafeBytes { blocker.feed($0) { records += discover($0, &scanner, limit: options.inferRows - records) } }
                }
                blocker.finish { records += discover($0, &scanner, limit: options.inferRows - records) }
            }
            var again = input
            again.open = { stream.replaying() }
            replaced[index] = again
            break  // the rows inferred from are enough; later sources are not read twice
        }
        return (given ?? columns(from: scanner.trie), scanner.trie.arrayPaths, replaced)
    }

    private struct SampleRead: Error {}

    /// Walks every line of a block (bad lines are the main pass's business).
    private static func discover(_ block: LineBlock, _ scanner: inout JSONLineScanner, limit: Int) -> Int {
        var records = 0
        block.bytes.withUnsafeBufferPointer { bytes in
            var start = 0
            while start < bytes.count && records < limit {
                let rest = UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[start...]))
                let end = LineBlocker.firstNewline(rest).map { start + $0 } ?? bytes.count
                if end > start, (try? scanner.scan(UnsafeBufferPointer(rebasing: bytes[start..<end]))) != nil {
                    records += 1
                }
                start = end + 1
            }
        }
        return records
    }

    /// Leaves: nodes that held a scalar, or never held an object.
    package static func columns(from trie: PathTrie) -> [ColumnSpec] {
        var columns: [ColumnSpec] = []
        for index in 1..<trie.nodes.count {
            let node = trie.nodes[index]
            guard node.heldLeafValue || !node.heldObject else { continue }
            let path = trie.path(of: Int32(index))
            columns.append(ColumnSpec(name: path.joined(separator: "."), path: path))
        }
        return columns
    }
}

/// A stream read once, whose first chunks are kept to be read again.
// @unchecked: read by one consumer at a time: first the inference pass, then the replayed stream.
package final class ChunkReplay: @unchecked Sendable {
    private var iterator: ByteChunks.AsyncIterator
    private var kept: [[UInt8]] = []

    package init(_ stream: ByteChunks) { iterator = stream.makeAsyncIterator() }

    package func nextAndKeep() async throws -> [UInt8]? {
        guard let chunk = try await iterator.next() else { return nil }
        kept.append(chunk)
        return chunk
    }

    /// The kept chunks, then the rest of the original stream.
    package func replaying() -> ByteChunks {
        .pulling { [self] in
            if !kept.isEmpty { return kept.removeFirst() }
            return try await iterator.next()
        }
    }
}

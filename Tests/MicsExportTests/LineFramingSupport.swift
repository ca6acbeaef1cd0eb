@testable import MicsAPI
@testable import MicsDecode
@testable import MicsExport
@testable import MicsPipelines
@testable import MicsProject
@testable import MicsSandbox
@testable import MicsSink
@testable import MicsVocabulary

/// One framed line: its number, and its bytes (line end removed, a CR kept), or `nil` when
/// it is longer than the maximum (dropped by LineBlocker or rejected by BlockConverter).
struct FramedLine: Equatable, CustomStringConvertible {
    var number: Int
    var text: [UInt8]?

    var description: String {
        "\(number): " + (text.map { String(decoding: $0, as: UTF8.self).debugDescription } ?? "<overlong>")
    }
}

/// The oracle for line framing, and LineBlocker run the way the pipeline runs it.
enum LineFramingSupport {
    /// Too long for `maxLineBytes`: the content without a final CR, as BlockConverter measures.
    static func isOverlong(_ line: ArraySlice<UInt8>, maxLineBytes: Int) -> Bool {
        let content = line.last == 0x0D ? line.count - 1 : line.count
        return content > maxLineBytes
    }

    /// The simplest framing there is: drop a leading BOM, split on `\n`, a final empty piece
    /// is no line.
    static func oracle(_ input: [UInt8], maxLineBytes: Int) -> [FramedLine] {
        var bytes = input[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        var pieces = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
        if pieces.last?.isEmpty == true { pieces.removeLast() }
        return pieces.enumerated().map { index, piece in
            FramedLine(number: index + 1, text: isOverlong(piece, maxLineBytes: maxLineBytes) ? nil : Array(piece))
        }
    }

    /// Lines in number order (where an overlong line is reported is a separate question).
    static func byNumber(_ lines: [FramedLine]) -> [FramedLine] {
        lines.sorted { $0.number < $1.number }
    }

    /// Feeds `chunks` to a LineBlocker, then frames each block as BlockConverter does.
    static func frame(_ chunks: [[UInt8]], maxLineBytes: Int, blockSize: Int) -> [FramedLine] {
        var blocker = LineBlocker(maxLineBytes: maxLineBytes, blockSize: blockSize)
        var blocks: [LineBlock] = []
        for chunk in chunks {
            chunk.withUnsafeBytes { blocker.feed($0) { blocks.append($0) } }
        }
        blocker.finish { blocks.append($0) }
        return lines(of: blocks, maxLineBytes: maxLineBytes)
    }

    /// As BlockReader reads a file: the first `firstChunk` bytes fed, the rest read straight
    /// into the blocks (`fill`) until a read gives 0.
    static func frameFilling(_ input: [UInt8], firstChunk: Int, maxLineBytes: Int, blockSize: Int) throws -> [FramedLine] {
        var blocker = LineBlocker(maxLineBytes: maxLineBytes, blockSize: blockSize)
        var blocks: [LineBlock] = []
        let first = min(firstChunk, input.count)
        input[..<first].withUnsafeBytes { blocker.feed($0) { blocks.append($0) } }
        var at = first
        while true {
            let read = try blocker.fill({ buffer in
                let count = min(buffer.count, input.count - at)
                input[at..<at + count].withUnsafeBytes { buffer.copyMemory(from: $0) }
                at += count
                return count
            }) { blocks.append($0) }
            if read == 0 { break }
        }
        blocker.finish { blocks.append($0) }
        return lines(of: blocks, maxLineBytes: maxLineBytes)
    }

    /// The lines of `blocks`, framed as BlockConverter does.
    static func lines(of blocks: [LineBlock], maxLineBytes: Int) -> [FramedLine] {
        var lines: [FramedLine] = []
        for block in blocks {
            for number in block.overlongLines { lines.append(FramedLine(number: number, text: nil)) }
            var number = block.firstLine
            var start = 0
            let bytes = block.bytes
            while start < bytes.count {
                let end = bytes[start...].firstIndex(of: 0x0A) ?? bytes.count
                let piece = bytes[start..<end]
                lines.append(FramedLine(number: number, text: isOverlong(piece, maxLineBytes: maxLineBytes) ? nil : Array(piece)))
                number += 1
                start = end + 1
            }
        }
        return lines
    }
}

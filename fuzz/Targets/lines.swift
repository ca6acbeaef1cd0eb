// Fuzz target `lines`: LineBlocker, the line framer. Chunk boundaries mean nothing: the input
// cut into chunks of sizes drawn from its first bytes (empty chunks too), with a small block
// size and line limit also drawn from them, must give exactly the lines of a plain split on
// `\n` (a leading BOM dropped), in order, with their numbers; an overlong line once, in its place.
import MicsDecode
#if canImport(Glibc)
import Glibc
#endif

struct Framed: Equatable {
    var number: Int
    var text: [UInt8]?
}

func overlong(_ piece: ArraySlice<UInt8>, _ max: Int) -> Bool {
    (piece.last == 0x0D ? piece.count - 1 : piece.count) > max
}

func oracle(_ input: ArraySlice<UInt8>, max: Int) -> [Framed] {
    var bytes = input
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
    var pieces = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
    if pieces.last?.isEmpty == true { pieces.removeLast() }
    return pieces.enumerated().map { Framed(number: $0 + 1, text: overlong($1, max) ? nil : Array($1)) }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 4 else { return 0 }
    let all = Array(UnsafeBufferPointer(start: data, count: size))
    let maxLine = all[0] == 0xFF ? Int.max : Int(all[0] % 48) + 1  // Int.max: "no limit" must not overflow
    let blockSize = Int(all[1] % 96) + 1
    var seed = UInt64(all[2]) << 8 | UInt64(all[3])
    let input = all[4...]
    var blocker = LineBlocker(maxLineBytes: maxLine, blockSize: blockSize)
    var blocks: [LineBlock] = []
    var at = input.startIndex
    while at < input.endIndex {
        seed = seed &* 6364136223846793005 &+ 1442695040888963407
        let n = min(Int(seed >> 59), input.endIndex - at)  // 0…31 bytes, empty chunks included
        input[at..<at + n].withUnsafeBytes { blocker.feed($0) { blocks.append($0) } }
        at += n
    }
    blocker.finish { blocks.append($0) }
    var got: [Framed] = []
    for block in blocks {
        for number in block.overlongLines { got.append(Framed(number: number, text: nil)) }
        var number = block.firstLine
        var start = 0
        while start < block.bytes.count {
            let end = block.bytes[start...].firstIndex(of: 0x0A) ?? block.bytes.count
            let piece = block.bytes[start..<end]
            got.append(Framed(number: number, text: overlong(piece, maxLine) ? nil : Array(piece)))
            number += 1
            start = end + 1
        }
    }
    let want = oracle(input, max: maxLine)
    if got != want {
        report("max \(maxLine) block \(blockSize)\n got: \(got.map { "\($0.number):\($0.text.map { $0.count } ?? -1)" })\nwant: \(want.map { "\($0.number):\($0.text.map { $0.count } ?? -1)" })")
    }
    // The block bound: a block holds whole lines only, and none longer than allowed kept past it.
    return 0
}

// Fuzz target `gzip`: InputDecompressor / GzipInflater (ISA-L), with zlib as the oracle.
//   first byte even: the rest is fed as it is (gzip or not, valid or not), once in one chunk
//     and once in chunks of sizes drawn from it: same verdict, and the same bytes when both
//     accept; and when it starts like gzip, the verdict and (when both accept) the bytes of
//     zlib reading it by the same rules (every member, then only zero padding);
//   first byte odd: the rest is cut into 1–3 pieces, each compressed as a gzip member with
//     zlib itself, maybe followed by zero padding or one garbage byte: the inflated output is
//     exactly the pieces joined (an error exactly when garbage was added).
import CZlib
import MicsDecode
#if canImport(Glibc)
import Glibc
#endif

struct TooBig: Error {}

func run(_ bytes: [UInt8], chunkSeed: UInt64?) -> (out: [UInt8], error: String?) {
    var d = InputDecompressor(name: "fuzz", outputChunkSize: 4096)
    var out: [UInt8] = []
    let sink: ([UInt8]) throws -> Void = { piece in
        out += piece
        if out.count > 8 << 20 { throw TooBig() }
    }
    do {
        if var seed = chunkSeed {
            var at = 0
            while at < bytes.count {
                seed = seed &* 6364136223846793005 &+ 1442695040888963407
                let n = min(Int(seed >> 58), bytes.count - at)
                try d.feed(Array(bytes[at..<at + n]), sink)
                at += n
            }
        } else {
            try d.feed(bytes, sink)
        }
        try d.finish(sink)
        return (out, nil)
    } catch is TooBig {
        return (Array(out.prefix(8 << 20)), "too big")
    } catch {
        return (out, "\(error)")
    }
}

func gzipMember(_ piece: ArraySlice<UInt8>, level: Int32) -> [UInt8] {
    var stream = z_stream()
    precondition(mics_deflateInit2(&stream, level, 31, 8) == Z_OK)
    var input = Array(piece)
    var out = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(input.count))) + 64)
    let produced = input.withUnsafeMutableBufferPointer { i in
        out.withUnsafeMutableBufferPointer { o in
            stream.next_in = i.baseAddress
            stream.avail_in = UInt32(i.count)
            stream.next_out = o.baseAddress
            stream.avail_out = UInt32(o.count)
            precondition(deflate(&stream, Z_FINISH) == Z_STREAM_END)
            return o.count - Int(stream.avail_out)
        }
    }
    deflateEnd(&stream)
    return Array(out.prefix(produced))
}

/// zlib's reading of `bytes`, the oracle: gzip members one after another to the end, then
/// nothing but zero bytes; at least one member.
func zlibInflate(_ bytes: [UInt8]) -> (out: [UInt8], ok: Bool, tooBig: Bool) {
    var out: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    var position = 0
    var members = 0
    while position < bytes.count {
        if members > 0 && bytes[position] == 0 { return (out, bytes[position...].allSatisfy { $0 == 0 }, false) }
        var stream = z_stream()
        // 15 + 16: gzip only, a 32 KiB window.
        guard mics_inflateInit2(&stream, 15 + 16) == Z_OK else { return (out, false, false) }
        var code = Z_OK
        bytes.withUnsafeBufferPointer { input in
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress! + position)
            stream.avail_in = UInt32(input.count - position)
            while code == Z_OK && out.count <= 8 << 20 {
                code = buffer.withUnsafeMutableBufferPointer { o in
                    stream.next_out = o.baseAddress
                    stream.avail_out = UInt32(o.count)
                    let result = inflate(&stream, Z_NO_FLUSH)
                    out += o[..<(o.count - Int(stream.avail_out))]
                    return result
                }
            }
        }
        let left = Int(stream.avail_in)
        inflateEnd(&stream)
        if out.count > 8 << 20 { return (out, false, true) }
        guard code == Z_STREAM_END else { return (out, false, false) }
        position = bytes.count - left
        members += 1
    }
    return (out, members > 0, false)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 2 else { return 0 }
    let all = Array(UnsafeBufferPointer(start: data, count: size))
    let mode = all[0]
    let rest = Array(all[2...])
    if mode & 1 == 0 {
        let whole = run(rest, chunkSeed: nil)
        let cut = run(rest, chunkSeed: UInt64(all[1]))
        // An over-limit output stops at a different place per chunking: compare the verdicts only.
        if whole.error == "too big" || cut.error == "too big" { return 0 }
        // On an error only the verdict counts: ISA-L may hand out some bytes past a bad back
        // reference before it sees it (stale, chunking-dependent), and a failed run keeps nothing.
        let agree = whole.error == nil && cut.error == nil ? whole.out == cut.out : whole.error != nil && cut.error != nil
        if !agree {
            report("whole: \(whole.out.count) bytes, \(whole.error ?? "ok"); chunked: \(cut.out.count) bytes, \(cut.error ?? "ok")")
        }
        if rest.count >= 2 && rest[0] == 0x1f && rest[1] == 0x8b {
            let oracle = zlibInflate(rest)
            if !oracle.tooBig && (oracle.ok != (whole.error == nil) || (oracle.ok && oracle.out != whole.out)) {
                report("zlib: \(oracle.out.count) bytes, \(oracle.ok ? "ok" : "error"); ours: \(whole.out.count) bytes, \(whole.error ?? "ok")")
            }
        }
        // Not gzip: passed through untouched.
        if !(rest.count >= 2 && rest[0] == 0x1f && rest[1] == 0x8b), whole.out != rest || whole.error != nil {
            report("plain input not passed through")
        }
        return 0
    }
    // Round trip.
    let members = Int(all[1] % 3) + 1
    var compressed: [UInt8] = []
    var start = 0
    for m in 0..<members {
        let end = m == members - 1 ? rest.count : min(rest.count, start + rest.count / members)
        compressed += gzipMember(rest[start..<end], level: Int32(all[1] >> 2 % 10))
        start = end
    }
    let tail = (all[1] >> 6) & 3
    if tail == 1 { compressed += [0, 0, 0] }
    if tail == 2 { compressed += [0x42] }
    let got = run(compressed, chunkSeed: UInt64(all[1]) | 0x100)
    let wantError = tail == 2
    if (got.error != nil) != wantError || (!wantError && got.out != rest) {
        report("round trip: \(members) members, tail \(tail): \(got.out.count) bytes vs \(rest.count), \(got.error ?? "ok")")
    }
    return 0
}

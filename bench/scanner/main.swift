// The scanner alone, on one thread: cycles per byte of `JSONLineScanner.scan` over the lines
// of a file, the number issue 12 asks for. CPU time of this thread (not wall time), the
// fastest of several rounds, so other processes on a shared machine move it little.
//
//     swift run -c release mics-scan-bench FILE COLUMNS [MEGABYTES] [ROUNDS]
//     swift run -c release mics-scan-bench bench/data/wide.ndjson id,creation_ts,emails.email,profiles.gender,segments.id
//
// Reads the first MEGABYTES (default 50) of FILE into memory: a benchmark, not the product.
import MicsDecode
import MicsProject
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

let arguments = CommandLine.arguments
guard arguments.count >= 3 else {
    print("usage: mics-scan-bench FILE COLUMNS [MEGABYTES] [ROUNDS]")
    exit(64)
}
let columns = try ColumnList.parse(arguments[2])
let limit = (arguments.count > 3 ? Int(arguments[3]) ?? 50 : 50) * 1_000_000
let rounds = arguments.count > 4 ? Int(arguments[4]) ?? 7 : 7

guard let file = fopen(arguments[1], "rb") else {
    print("cannot open \(arguments[1])")
    exit(66)
}
var bytes = [UInt8](repeating: 0, count: limit)
let count = bytes.withUnsafeMutableBytes { fread($0.baseAddress, 1, limit, file) }
fclose(file)
bytes.removeSubrange(count...)
// Whole lines only.
if let last = bytes.lastIndex(of: UInt8(ascii: "\n")) { bytes.removeSubrange((last + 1)...) }

/// Start and end of each line, found once (framing is not what this measures).
var lines: [(Int, Int)] = []
var start = 0
for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
    lines.append((start, index))
    start = index + 1
}

func threadSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}

/// The CPU's clock from /proc/cpuinfo (Linux), to turn seconds into cycles.
func megahertz() -> Double? {
    guard let info = fopen("/proc/cpuinfo", "r") else { return nil }
    defer { fclose(info) }
    var line = [CChar](repeating: 0, count: 512)
    while fgets(&line, 512, info) != nil {
        let text = String(cString: line)
        if text.hasPrefix("cpu MHz"), let value = text.split(separator: ":").last {
            return Double(value.trimmingCharacters(in: " \n\t"))
        }
    }
    return nil
}

extension StringProtocol {
    func trimmingCharacters(in set: String) -> String {
        String(drop { set.contains($0) }.reversed().drop { set.contains($0) }.reversed())
    }
}

/// One round over every line; returns the bad lines. Its own function so that callgrind can
/// count its instructions alone: `valgrind --tool=callgrind --toggle-collect='*walkEveryLine*' …`.
@inline(never)
func walkEveryLine(_ scanner: inout JSONLineScanner, _ all: UnsafeBufferPointer<UInt8>, _ lines: [(Int, Int)]) -> Int {
    var bad = 0
    for (from, to) in lines {
        do {
            try scanner.scan(UnsafeBufferPointer(rebasing: all[from..<to]))
        } catch {
            bad += 1
        }
    }
    return bad
}

var scanner = JSONLineScanner(columns: columns)
var best = Double.infinity
var bad = 0
bytes.withUnsafeBufferPointer { all in
    for _ in 0..<rounds {
        let started = threadSeconds()
        bad = walkEveryLine(&scanner, all, lines)
        best = min(best, threadSeconds() - started)
    }
}
let perByte = best / Double(bytes.count)
var report = "\(lines.count) lines, \(bytes.count) bytes, \(bad) bad; best of \(rounds): "
report += "\(Int(Double(bytes.count) / best / 1e6)) MB/s, \(Int(perByte * 1e12)) ps/byte"
if let mhz = megahertz() {
    report += ", \(Double(Int(perByte * mhz * 1e6 * 100)) / 100) cycles/byte at \(Int(mhz)) MHz"
}
print(report)

import Foundation

@testable import MicsAPI
@testable import MicsDecode
@testable import MicsExport
@testable import MicsPipelines
@testable import MicsProject
@testable import MicsSandbox
@testable import MicsSink
@testable import MicsVocabulary

/// Helpers for the gzip tests: deterministic data, the system `gzip`, chunked feeding.
enum GzipTestSupport {
    /// Deterministic ndjson-like text (SplitMix64): ids, emails, nested arrays, some repetition
    /// so it compresses like a real export, some noise so it is not trivial.
    static func ndjson(bytes: Int, seed: UInt64) -> [UInt8] {
        var random = SplitMix(state: seed)
        func next() -> UInt64 { random.next() }
        let names = ["anna", "bob", "chloé", "dmitri", "eve", "farid", "gao", "hana"]
        let events = ["$page_view", "$item_view", "$transaction_confirmed", "$basket_view"]
        var text = ""
        text.reserveCapacity(bytes + 512)
        while text.utf8.count < bytes {
            let id = next() % 10_000_000_000_000
            let name = names[Int(next() % UInt64(names.count))]
            var line = "{\"user_point_id\":\"\(id)\",\"emails\":[{\"email\":\"\(name).\(next() % 9999)@example.com\"}]"
            line += ",\"activities\":["
            for index in 0..<Int(next() % 4) {
                if index > 0 { line += "," }
                line += "{\"ts\":\(1_700_000_000_000 + next() % 100_000_000),\"type\":\"\(events[Int(next() % 4)])\""
                line += ",\"amount\":\(next() % 100_000).\(next() % 100)}"
            }
            line += "]}\n"
            text += line
        }
        return Array(text.utf8)
    }

    /// A fresh temporary directory; the caller removes it.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("gzip-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static var gzipPath: String {
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/gzip") { return "/usr/bin/gzip" }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/bin"
        for dir in path.split(separator: ":") where FileManager.default.isExecutableFile(atPath: "\(dir)/gzip") {
            return "\(dir)/gzip"
        }
        return "gzip"
    }

    /// Runs the real `gzip` with `arguments`, stdin from `input`, stdout into `output`.
    static func runGzip(_ arguments: [String], input: URL, output: URL) throws {
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        let stdin = try FileHandle(forReadingFrom: input)
        let stdout = try FileHandle(forWritingTo: output)
        defer {
            try? stdin.close()
            try? stdout.close()
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: gzipPath)
        process.arguments = arguments
        process.standardInput = stdin
        process.standardOutput = stdout
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ExportError(.other, "gzip \(arguments) exited with \(process.terminationStatus)")
        }
    }

    /// Compresses `data` with the system gzip at `level`.
    static func systemGzip(_ data: [UInt8], level: Int, in directory: URL) throws -> [UInt8] {
        let plain = directory.appendingPathComponent("plain-\(UUID().uuidString)")
        let packed = directory.appendingPathComponent("packed-\(UUID().uuidString).gz")
        try Data(data).write(to: plain)
        try runGzip(["-c", "-\(level)"], input: plain, output: packed)
        return Array(try Data(contentsOf: packed))
    }

    /// Decompresses `data` with the system `gzip -dc`.
    static func systemGunzip(_ data: [UInt8], in directory: URL) throws -> [UInt8] {
        let packed = directory.appendingPathComponent("ours-\(UUID().uuidString).gz")
        let plain = directory.appendingPathComponent("unpacked-\(UUID().uuidString)")
        try Data(data).write(to: packed)
        try runGzip(["-dc"], input: packed, output: plain)
        return Array(try Data(contentsOf: plain))
    }

    /// Cuts `data` into chunks of `size`, with an empty chunk after every third one.
    static func chunks(_ data: [UInt8], size: Int) -> [[UInt8]] {
        var result: [[UInt8]] = [[]]
        var start = 0
        while start < data.count {
            let end = min(start + size, data.count)
            result.append(Array(data[start..<end]))
            if result.count % 3 == 0 { result.append([]) }
            start = end
        }
        return result
    }

    /// Inflates `data` fed in chunks of `chunkSize` (whole if nil), then `finish()`.
    static func inflate(_ data: [UInt8], chunkSize: Int? = nil, outputChunkSize: Int = 256 * 1024) throws -> [UInt8] {
        let inflater = GzipInflater(outputChunkSize: outputChunkSize)
        var result: [UInt8] = []
        result.reserveCapacity(data.count * 8)
        for chunk in chunks(data, size: chunkSize ?? max(data.count, 1)) {
            try chunk.withUnsafeBytes { input in
                try inflater.inflate(input) { piece in
                    precondition(piece.count <= outputChunkSize, "piece larger than the output buffer")
                    result.append(contentsOf: piece)
                }
            }
        }
        try inflater.finish()
        return result
    }

    /// Compresses `data` with our deflater, fed in chunks of `chunkSize`; one piece per member.
    static func deflate(
        _ data: [UInt8], level: Int, chunkSize: Int = 10_000, blockSize: Int = GzipDeflater.defaultBlockSize
    ) throws -> (bytes: [UInt8], pieceSizes: [Int]) {
        let deflater = try GzipDeflater(level: level, blockSize: blockSize)
        var result: [UInt8] = []
        var sizes: [Int] = []
        for chunk in chunks(data, size: chunkSize) {
            try chunk.withUnsafeBytes { input in
                try deflater.deflate(input) { piece in
                    sizes.append(piece.count)
                    result.append(contentsOf: piece)
                }
            }
        }
        try deflater.finish { piece in
            sizes.append(piece.count)
            result.append(contentsOf: piece)
        }
        return (result, sizes)
    }

    /// Runs an InputDecompressor over `chunks`, returning the output and the detection.
    static func decompress(_ chunks: [[UInt8]], name: String? = nil) throws -> (bytes: [UInt8], isGzip: Bool?) {
        var decompressor = InputDecompressor(name: name, outputChunkSize: 4096)
        var result: [UInt8] = []
        for chunk in chunks {
            try decompressor.feed(chunk) { result += $0 }
        }
        try decompressor.finish { result += $0 }
        return (result, decompressor.isGzip)
    }
}

import AsyncAlgorithms
import Foundation
import Testing

@testable import MicsDecode
@testable import MicsSink
@testable import MicsVocabulary

/// gzip output as a series of members, compressed on several tasks: the file is standard gzip
/// (the real `gzip -d` and Python read it back exactly), the members really are several, in
/// order, and an abort leaves nothing behind.
@Suite("Gzip: parallel members")
struct ParallelGzipTests {
    typealias Support = GzipTestSupport

    static let text = Support.ndjson(bytes: 700_000, seed: 21)

    /// Runs `ParallelGzip` over `data` sent in chunks of `chunkSize`; returns the file's bytes.
    static func compress(
        _ data: [UInt8], chunkSize: Int, blockSize: Int, maxBlocks: Int, level: Int = 6
    ) async throws -> (bytes: [UInt8], written: Int64) {
        let channel = AsyncChannel<[UInt8]>()
        let task = Task {
            var out: [UInt8] = []
            let written = try await ParallelGzip.run(channel, level: level, blockSize: blockSize, maxBlocks: maxBlocks) {
                out.append(contentsOf: $0)
            }
            return (out, written)
        }
        for chunk in Support.chunks(data, size: chunkSize) { await channel.send(chunk) }
        channel.finish()
        return try await task.value
    }

    /// Counts the members of a gzip file with Python's zlib, independently of our inflater,
    /// and checks they hold `expected`.
    static func pythonMembers(of file: URL, expected: URL) throws -> Int {
        let script = """
            import sys, zlib
            data = open(sys.argv[1], 'rb').read()
            out, members = b'', 0
            while data:
                d = zlib.decompressobj(31)
                out += d.decompress(data)
                if not d.eof: sys.exit('truncated member')
                data, members = d.unused_data, members + 1
            if out != open(sys.argv[2], 'rb').read(): sys.exit('content differs')
            print(members)
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, file.path, expected.path]
        let stdout = Pipe()
        process.standardOutput = stdout
        try process.run()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ExportError(.other, "python3 gzip check exited with \(process.terminationStatus)")
        }
        return Int(String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }

    @Test("many blocks on several tasks: gzip -d, Python and our inflater read the input back exactly",
          arguments: [(1, 2), (7_777, 2), (65_536, 3), (300_000, 3)])
    func multiBlockReadsBack(chunkSize: Int, maxBlocks: Int) async throws {
        let directory = try Support.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let data = chunkSize == 1 ? Array(Self.text.prefix(40_000)) : Self.text
        let blockSize = chunkSize == 1 ? 4_096 : 64 * 1024
        let (packed, written) = try await Self.compress(data, chunkSize: chunkSize, blockSize: blockSize, maxBlocks: maxBlocks)
        #expect(written == Int64(packed.count))
        #expect(try Support.systemGunzip(packed, in: directory) == data)
        #expect(try Support.inflate(packed, chunkSize: 1_000) == data)
        let file = directory.appendingPathComponent("multi.gz")
        let plain = directory.appendingPathComponent("multi.plain")
        try Data(packed).write(to: file)
        try Data(data).write(to: plain)
        #expect(try Self.pythonMembers(of: file, expected: plain) == (data.count + blockSize - 1) / blockSize)
    }

    @Test("eight outputs at once (more than there are cores: some compress in their own task) each read back")
    func manyOutputsAtOnce() async throws {
        let inputs = (0..<8).map { Array(Self.text.dropFirst($0 * 10_000).prefix(200_000 + $0 * 7_000)) }
        let results = try await withThrowingTaskGroup(of: (Int, [UInt8]).self) { group in
            for (index, input) in inputs.enumerated() {
                group.addTask {
                    (index, try await Self.compress(input, chunkSize: 9_000, blockSize: 16 * 1024, maxBlocks: 2).bytes)
                }
            }
            var results = [[UInt8]](repeating: [], count: inputs.count)
            for try await (index, bytes) in group { results[index] = bytes }
            return results
        }
        for (input, packed) in zip(inputs, results) {
            #expect(try Support.inflate(packed) == input)
        }
    }

    @Test("nothing sent: one empty member, a valid empty gzip file")
    func emptyInput() async throws {
        let directory = try Support.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let (packed, _) = try await Self.compress([], chunkSize: 1, blockSize: 1024, maxBlocks: 2)
        #expect(packed.starts(with: [0x1f, 0x8b]))
        #expect(try Support.systemGunzip(packed, in: directory) == [])
        #expect(try Support.inflate(packed) == [])
    }

    @Test("levels 1 and 9 both read back; 9 is no larger")
    func levels() async throws {
        let fast = try await Self.compress(Self.text, chunkSize: 50_000, blockSize: 128 * 1024, maxBlocks: 3, level: 1)
        let small = try await Self.compress(Self.text, chunkSize: 50_000, blockSize: 128 * 1024, maxBlocks: 3, level: 9)
        #expect(try Support.inflate(fast.bytes) == Self.text)
        #expect(try Support.inflate(small.bytes) == Self.text)
        #expect(small.bytes.count <= fast.bytes.count)
    }

    @Test("a failed write is thrown after the chunks end, and the sender is never left waiting")
    func failedWrite() async throws {
        let channel = AsyncChannel<[UInt8]>()
        let task = Task {
            var calls = 0
            return try await ParallelGzip.run(channel, level: 1, blockSize: 1024, maxBlocks: 2) { _ in
                calls += 1
                if calls == 2 { throw ExportError(.other, "disk full") }
            }
        }
        for chunk in Support.chunks(Array(Self.text.prefix(50_000)), size: 3_000) { await channel.send(chunk) }
        channel.finish()
        let error = await #expect(throws: ExportError.self) { try await task.value }
        #expect(error?.message == "disk full")
    }

    @Test("OutputSink: a file of several blocks is as many members and reads back with gzip -d")
    func sinkWritesMembers() async throws {
        let directory = try Support.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let data = Support.ndjson(bytes: 3 * (1 << 20) + 12_345, seed: 22)
        let path = directory.appendingPathComponent("out.csv.gz")
        let sink = try OutputSink(path: path.path, gzip: true, level: 6)
        for chunk in Support.chunks(data, size: 200_000) { try await sink.write(chunk) }
        try await sink.commit()
        let packed = Array(try Data(contentsOf: path))
        #expect(sink.bytesOut == Int64(packed.count))
        #expect(try Support.systemGunzip(packed, in: directory) == data)
        let plain = directory.appendingPathComponent("out.csv")
        try Data(data).write(to: plain)
        let blocks = (data.count + GzipDeflater.defaultBlockSize - 1) / GzipDeflater.defaultBlockSize
        #expect(blocks > 4)
        #expect(try Self.pythonMembers(of: path, expected: plain) == blocks)
    }

    @Test("OutputSink: an abort while blocks are compressing leaves no file, now or later", arguments: 0..<5)
    func abortMidWrite(round: Int) async throws {
        let directory = try Support.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let sink = try OutputSink(path: directory.appendingPathComponent("out.csv.gz").path, gzip: true, level: 9)
        let data = Support.ndjson(bytes: 2 * (1 << 20) + round * 100_000, seed: UInt64(30 + round))
        for chunk in Support.chunks(data, size: 256 * 1024) { try await sink.write(chunk) }
        sink.abort()
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
        try await Task.sleep(for: .milliseconds(300))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }

    @Test("levels outside 1…9 are refused before anything is written", arguments: [0, 10, 12])
    func badLevel(level: Int) throws {
        let directory = try Support.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let error = #expect(throws: ExportError.self) {
            try OutputSink(path: directory.appendingPathComponent("x.gz").path, gzip: true, level: level)
        }
        #expect(error?.kind == .usage)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }
}

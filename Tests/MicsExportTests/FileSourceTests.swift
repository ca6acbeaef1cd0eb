import Foundation
import Testing

@testable import MicsExport
@testable import MicsVocabulary

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// FileSource: a file cut while it is read loses rows, so it is an error (exit 65), whichever
/// way it is read; a file read from the middle (stdin) or one that grows is read to its end.
@Suite("Files read by FileSource")
struct FileSourceTests {
    /// 60,000 numbered lines, about 1 MB: several blocks, cut at 300,000 bytes.
    static let lines: [UInt8] = Array((0..<60_000).map { "{\"id\":\"\($0)\"}\n" }.joined().utf8)

    static func file(_ bytes: [UInt8]) throws -> (folder: URL, path: String) {
        let folder = try GzipTestSupport.temporaryDirectory()
        let path = folder.appendingPathComponent("in.ndjson").path
        #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        return (folder, path)
    }

    @Test("a file cut after its first block is an error naming it, not a shorter input")
    func cutWhileReadInBlocks() async throws {
        let (folder, path) = try Self.file(Self.lines)
        defer { try? FileManager.default.removeItem(at: folder) }
        var blocks = 0
        do {
            try await BlockReader.forEachBlock(of: try FileSource.make(path: path), index: 0, options: ConvertOptions()) { _ in
                blocks += 1
                if blocks == 1 { #expect(truncate(path, 300_000) == 0) }
            }
            Issue.record("no error for a file cut while it was read")
        } catch let error as ExportError {
            #expect(error.kind == .badInput)
            #expect(error.location == path)
            #expect(error.message.contains("cut while it was read"), "\(error.message)")
        }
        #expect(blocks >= 1)
    }

    @Test("the chunk stream of a cut file ends in the same error")
    func cutWhileReadInChunks() async throws {
        let (folder, path) = try Self.file(Self.lines)
        defer { try? FileManager.default.removeItem(at: folder) }
        var chunks = 0
        do {
            for try await _ in try await FileSource.make(path: path).open() {
                chunks += 1
                if chunks == 1 { #expect(truncate(path, 300_000) == 0) }
            }
            Issue.record("no error for a file cut while it was read")
        } catch let error as ExportError {
            #expect(error.kind == .badInput)
            #expect(error.message.contains("300000 bytes, short of the \(Self.lines.count)"), "\(error.message)")
        }
    }

    @Test("a file read from the middle (stdin after a seek) and a file that grows are read to their end, without an error")
    func middleAndGrowth() throws {
        let (folder, path) = try Self.file(Self.lines)
        defer { try? FileManager.default.removeItem(at: folder) }
        let fd = open(path, O_RDONLY)
        #expect(fd >= 0)
        #expect(lseek(fd, 1000, SEEK_SET) == 1000)
        let reader = FDReader(fd: fd, closeAtEnd: true)
        var read: [UInt8] = []
        var grew = false
        while let chunk = try reader.next() {
            read += chunk
            if !grew {
                grew = true
                let handle = try #require(FileHandle(forWritingAtPath: path))
                try handle.seekToEnd()
                try handle.write(contentsOf: Data("{\"id\":\"more\"}\n".utf8))
                try handle.close()
            }
        }
        #expect(read == Array(Self.lines[1000...]) + Array("{\"id\":\"more\"}\n".utf8))
    }
}

import Foundation
import Testing

@testable import MicsAPI
@testable import MicsDecode
@testable import MicsExport
@testable import MicsPipelines
@testable import MicsProject
@testable import MicsSandbox
@testable import MicsSink
@testable import MicsVocabulary

/// The whole convert pipeline in process, with scripted sources: order kept across the two
/// workers and many blocks, sources framed on their own, counts and drift in the summary,
/// and a failing source leaves no output.
@Suite("ConvertRunner with scripted sources")
struct ConvertRunnerTests {
    /// A source that hands out `bytes` in chunks of the given sizes, in turn (0 = empty chunk).
    static func source(_ name: String, _ bytes: [UInt8], sizes: [Int], failAfter: Int? = nil) -> InputSource {
        InputSource(name: name, size: nil) {
            let cursor = Cursor(bytes: bytes, sizes: sizes, failAfter: failAfter)
            return .pulling { try cursor.next() }
        }
    }

    // @unchecked: a pull stream calls `next` from one consumer at a time.
    final class Cursor: @unchecked Sendable {
        let bytes: [UInt8]
        let sizes: [Int]
        let failAfter: Int?
        var offset = 0
        var turn = 0

        init(bytes: [UInt8], sizes: [Int], failAfter: Int?) {
            self.bytes = bytes
            self.sizes = sizes
            self.failAfter = failAfter
        }

        func next() throws -> [UInt8]? {
            if let failAfter, offset >= failAfter {
                throw ExportError(.unavailable, "connection dropped", at: "test source")
            }
            guard offset < bytes.count else { return nil }
            let size = sizes[turn % sizes.count]
            turn += 1
            let end = min(offset + size, bytes.count)
            defer { offset = end }
            return Array(bytes[offset..<end])
        }
    }

    static func lines(_ range: ClosedRange<Int>) -> [UInt8] {
        Array(range.map { "{\"id\":\"\($0)\",\"pad\":\"\(String(repeating: "p", count: $0 % 97))\",\"v\":[\($0),null]}\n" }.joined().utf8)
    }

    static func options(_ output: URL) -> ConvertOptions {
        var options = ConvertOptions()
        options.columns = [ColumnSpec(path: "id"), ColumnSpec(path: "v")]
        options.outputPath = output.path
        options.onError = .skip
        return options
    }

    @Test("many blocks through two workers come out in input order")
    func orderKept() async throws {
        let folder = try GzipTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("out.csv")
        let input = Self.lines(1...60_000)  // ≈ 5 MB: several 1 MiB blocks
        let summary = try await ConvertRunner.run(
            inputs: [Self.source("big", input, sizes: [65_536, 0, 1, 333_333, 7, 1 << 20])], options: Self.options(output))
        let expected = "id,v\n" + (1...60_000).map { "\($0),\($0)|\n" }.joined()
        let written = try String(contentsOf: output, encoding: .utf8)
        #expect(written == expected)
        #expect(summary.records == 60_000)
        #expect(summary.rows == 60_000)
        #expect(summary.bytesIn == Int64(input.count))
        #expect(summary.bytesOut == Int64(expected.utf8.count))
    }

    @Test("sources are framed on their own and numbered on their own; counts and drift are summed")
    func severalSources() async throws {
        let folder = try GzipTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("out.csv")
        var options = Self.options(output)
        options.columns = [ColumnSpec(path: "id"), ColumnSpec(path: "never")]
        let first = Array("{\"id\":\"1\"}\n\n{\"id\":\"2\",\"extra\":1}".utf8)
        let second = [0xEF, 0xBB, 0xBF] + Array("{\"id\":\"3\",\"b\":{\"z\":1,\"a\":2}}\r\n{bad}\n{\"id\":\"5\",\"a\":1}\n".utf8)
        let summary = try await ConvertRunner.run(
            inputs: [Self.source("a", first, sizes: [3]), Self.source("b", second, sizes: [1, 2])], options: options)
        #expect(try String(contentsOf: output, encoding: .utf8) == "id,never\n1,\n2,\n3,\n5,\n")
        #expect(summary.records == 4)
        #expect(summary.blankLines == 1)
        #expect(summary.rejected == 1)
        // In path order, not in the order the workers met them.
        #expect(summary.unselectedPaths == ["a", "b", "extra"])  // met as extra, b, a
        #expect(summary.unseenColumns == ["never"])
        #expect(summary.columns == ["id", "never"])
    }

    @Test("gzip sources (made by the real gzip) in small chunks give the same rows as plain ones")
    func gzipSource() async throws {
        let folder = try GzipTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let plain = Self.lines(1...3000)
        let packed = try GzipTestSupport.systemGzip(plain, level: 6, in: folder)
        let output = folder.appendingPathComponent("out.csv")
        let summary = try await ConvertRunner.run(
            inputs: [Self.source("p.gz", packed, sizes: [1, 1000, 17]), Self.source("q", plain, sizes: [4096])],
            options: Self.options(output))
        let rows = (1...3000).map { "\($0),\($0)|\n" }.joined()
        #expect(try String(contentsOf: output, encoding: .utf8) == "id,v\n" + rows + rows)
        #expect(summary.bytesIn == Int64(packed.count + plain.count))
        #expect(summary.records == 6000)
    }

    @Test("a source that fails mid-way fails the run and leaves no output or temporary file")
    func failingSource() async throws {
        let folder = try GzipTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("out.csv")
        var options = Self.options(output)
        options.rejectsPath = folder.appendingPathComponent("rejects.ndjson").path
        let input = Self.lines(1...40_000)
        await #expect(throws: ExportError.self) {
            _ = try await ConvertRunner.run(
                inputs: [Self.source("drops", input, sizes: [100_000], failAfter: 2_500_000)], options: options)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == [])
    }

    @Test("--max-errors counts bad lines across blocks: N pass, N + 1 fail", arguments: [(5, true), (4, false)])
    func maxErrorsAcrossBlocks(limit: Int, passes: Bool) async throws {
        let folder = try GzipTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        var options = Self.options(folder.appendingPathComponent("out.csv"))
        options.maxErrors = limit
        options.rejectsPath = folder.appendingPathComponent("rejects.ndjson").path
        // Five bad lines, one every 10,000 lines (≈ 0.8 MB apart): in different blocks.
        var input: [UInt8] = []
        for part in 0..<5 {
            input += Self.lines(part * 10_000 + 1...part * 10_000 + 9_999) + Array("{\"id\":}\n".utf8)
        }
        do {
            let summary = try await ConvertRunner.run(inputs: [Self.source("in", input, sizes: [1 << 18])], options: options)
            #expect(passes)
            #expect(summary.rejected == 5)
            #expect(summary.records == 49_995)
            let rejects = try String(contentsOf: folder.appendingPathComponent("rejects.ndjson"), encoding: .utf8)
            #expect(rejects.split(separator: "\n").count == 5)
        } catch let error as ExportError {
            #expect(!passes)
            #expect(error.kind == .badInput)
            #expect(error.location == "in:50000")
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == [])
        }
    }

    @Test("--on-error fail: the first bad line stops the run, the error names it, no output is left")
    func failOnFirstBadLine() async throws {
        let folder = try GzipTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("out.csv")
        var options = Self.options(output)
        options.onError = .fail
        // Line 30001 is bad, deep in the second 1 MiB block; line 50000 too.
        var input = Self.lines(1...30_000) + Array("{\"id\":1,,}\n".utf8) + Self.lines(30_002...49_999)
        input += Array("[]\n".utf8) + Self.lines(50_001...50_010)
        do {
            _ = try await ConvertRunner.run(inputs: [Self.source("in", input, sizes: [1 << 16])], options: options)
            Issue.record("the run should fail")
        } catch let error as ExportError {
            #expect(error.kind == .badInput)
            #expect(error.location == "in:30001")
            #expect(error.message.contains("column 9"))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == [])
    }
}

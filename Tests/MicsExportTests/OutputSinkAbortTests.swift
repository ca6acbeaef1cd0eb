import Foundation
import Testing

@testable import MicsSink

/// `OutputSink.abort()` with gzip: the deflate task may still write (the gzip trailer at the
/// least) after the abort; the descriptor must stay its own until then, or a file opened
/// meanwhile could take its number and receive those bytes (issue 9).
@Suite("OutputSink: abort while the deflate task writes")
struct OutputSinkAbortTests {
    @Test("after abort, a file opened at once receives nothing; the temporary file is gone", arguments: 0..<20)
    func abortKeepsTheDescriptor(round: Int) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sink-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let sink = try OutputSink(path: folder.appendingPathComponent("out.csv.gz").path, gzip: true, level: 1)
        try await sink.write(Array(repeating: UInt8(ascii: "x"), count: 1 << 16))
        sink.abort()
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
        // The lowest free descriptor number: the one abort would have closed.
        let other = folder.appendingPathComponent("other").path
        let fd = open(other, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        #expect(fd >= 0)
        try await Task.sleep(for: .milliseconds(50))
        close(fd)
        let size = (try FileManager.default.attributesOfItem(atPath: other)[.size] as? Int) ?? -1
        #expect(size == 0, "round \(round): another file received \(size) bytes of the aborted output")
    }
}

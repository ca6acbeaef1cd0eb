import Foundation
import Testing

/// Outputs that are not regular files are written in place: an atomic rename over them
/// would replace a device or a pipe with a regular file.
@Suite("convert to /dev/null and /dev/stdout")
struct SpecialOutputTests {
    typealias Tool = ConvertTool

    @Test("-o /dev/null stays the null device")
    func devNull() async throws {
        let folder = try Tool.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Tool.write("{\"a\":1}\n", to: folder.appendingPathComponent("in.ndjson"))
        let result = try await Tool.run(["convert", "in.ndjson", "-o", "/dev/null", "-q"], in: folder)
        #expect(result.code == 0)
        let type = try FileManager.default.attributesOfItem(atPath: "/dev/null")[.type] as? FileAttributeType
        #expect(type == .typeCharacterSpecial)
    }

    @Test("-o /dev/stdout writes to standard output")
    func devStdout() async throws {
        let folder = try Tool.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Tool.write("{\"a\":1}\n", to: folder.appendingPathComponent("in.ndjson"))
        let result = try await Tool.run(["convert", "in.ndjson", "-o", "/dev/stdout", "-q"], in: folder)
        #expect(result.code == 0)
        #expect(result.output == "a\n1\n")
        let type = try FileManager.default.attributesOfItem(atPath: "/dev/stdout")[.type] as? FileAttributeType
        #expect(type == .typeSymbolicLink)
    }
}

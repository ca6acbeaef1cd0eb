import Foundation
import Testing

/// Golden files: `Fixtures/values/NAME/` holds `input.ndjson`, `args.txt` (the extra
/// arguments, one per line) and `expected.csv` or `expected.ndjson`, written by hand from
/// SPEC 3 and 4; the `generated-*` folders come from an independent Python reference of the
/// same rules (`Fixtures/reference/spec3.py`), on random ragged records. The built tool must
/// produce those bytes exactly, on stdout and in a file.
@Suite("Golden value fixtures, through the built tool")
struct GoldenTests {
    static var folder: URL { ConvertTool.repository.appendingPathComponent("Fixtures/values") }

    static let names: [String] = {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return entries.filter { !$0.hasPrefix(".") }.sorted()
    }()

    struct Fixture {
        var input: URL
        var arguments: [String]
        var expected: [UInt8]
        var expectedExtension: String

        init(_ name: String) throws {
            let directory = GoldenTests.folder.appendingPathComponent(name)
            input = directory.appendingPathComponent("input.ndjson")
            let args = try String(contentsOf: directory.appendingPathComponent("args.txt"), encoding: .utf8)
            arguments = args.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
            let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            guard let expectedName = files.first(where: { $0.hasPrefix("expected.") }) else {
                throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: directory.path + "/expected.*"])
            }
            expectedExtension = String(expectedName.dropFirst("expected.".count))
            expected = Array(try Data(contentsOf: directory.appendingPathComponent(expectedName)))
        }
    }

    @Test("there are golden fixtures to run")
    func fixturesExist() {
        #expect(Self.names.count >= 20, "found \(Self.names) in \(Self.folder.path)")
    }

    @Test("the tool writes the expected bytes to stdout", arguments: names)
    func stdout(name: String) async throws {
        let fixture = try Fixture(name)
        let result = try await ConvertTool.run(["convert", fixture.input.path, "--quiet"] + fixture.arguments)
        #expect(result.code == 0, "stderr: \(result.stderr)")
        #expect(result.stderr.isEmpty, "--quiet: \(result.stderr)")
        #expect(result.output == String(decoding: fixture.expected, as: UTF8.self))
        #expect(result.stdout == fixture.expected)
    }

    @Test("the tool writes the expected bytes to a file, read from stdin", arguments: names)
    func file(name: String) async throws {
        let fixture = try Fixture(name)
        let scratch = try ConvertTool.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let output = scratch.appendingPathComponent("out.\(fixture.expectedExtension == "csv" ? "csv" : "jsonl")")
        let result = try await ConvertTool.run(["convert", "-", "-o", output.path] + fixture.arguments,
                                               stdin: fixture.input)
        #expect(result.code == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.isEmpty, "stdout must stay empty with -o")
        let written = Array(try Data(contentsOf: output))
        #expect(String(decoding: written, as: UTF8.self) == String(decoding: fixture.expected, as: UTF8.self))
        #expect(written == fixture.expected)
        #expect(try ConvertTool.files(in: scratch) == [output.lastPathComponent])
    }
}

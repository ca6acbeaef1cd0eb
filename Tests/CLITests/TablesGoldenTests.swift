import Foundation
import Testing

/// SPEC 10 golden files: `Fixtures/tables/NAME/` holds `input.ndjson`, `args.txt` (one
/// argument per line) and `expected/`, every file the tool must write for
/// `-o OUT/users.csv` (or `users.ndjson` when `expected/` holds that): the tables and the
/// schema file, nothing more. The hand-written folders come from SPEC.md; the `generated-*`
/// ones from an independent Python oracle (`Fixtures/tables/oracle.py`), on random records.
@Suite("Golden tables and types fixtures, through the built tool")
struct TablesGoldenTests {
    static var folder: URL { ConvertTool.repository.appendingPathComponent("Fixtures/tables") }

    static let names: [String] = {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return entries.filter { FileManager.default.fileExists(atPath: folder.path + "/" + $0 + "/expected") }.sorted()
    }()

    struct Fixture {
        var input: URL
        var arguments: [String]
        /// File name → bytes.
        var expected: [String: [UInt8]]
        var output: String

        init(_ name: String) throws {
            let directory = TablesGoldenTests.folder.appendingPathComponent(name)
            input = directory.appendingPathComponent("input.ndjson")
            let args = try String(contentsOf: directory.appendingPathComponent("args.txt"), encoding: .utf8)
            arguments = args.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
            let expectedFolder = directory.appendingPathComponent("expected")
            expected = [:]
            for file in try FileManager.default.contentsOfDirectory(atPath: expectedFolder.path) {
                expected[file] = Array(try Data(contentsOf: expectedFolder.appendingPathComponent(file)))
            }
            output = expected["users.ndjson"] != nil ? "users.ndjson" : "users.csv"
        }
    }

    @Test("there are table fixtures to run, hand-written and generated")
    func fixturesExist() {
        #expect(Self.names.count >= 20, "found \(Self.names) in \(Self.folder.path)")
        #expect(Self.names.contains { $0.hasPrefix("generated-") })
    }

    @Test("the tool writes exactly the expected tables and schema file", arguments: names)
    func files(name: String) async throws {
        try await check(name, stdin: false)
    }

    @Test("the same from stdin (the sample holds every record)", arguments: names)
    func stdin(name: String) async throws {
        try await check(name, stdin: true)
    }

    private func check(_ name: String, stdin: Bool) async throws {
        let fixture = try Fixture(name)
        let scratch = try ConvertTool.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let output = scratch.appendingPathComponent(fixture.output)
        let result = try await ConvertTool.run(
            ["convert", stdin ? "-" : fixture.input.path, "-o", output.path, "--quiet"] + fixture.arguments,
            stdin: stdin ? fixture.input : nil)
        #expect(result.code == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(try ConvertTool.files(in: scratch) == fixture.expected.keys.sorted())
        for (file, bytes) in fixture.expected {
            let written = Array((try? Data(contentsOf: scratch.appendingPathComponent(file))) ?? Data())
            #expect(String(decoding: written, as: UTF8.self) == String(decoding: bytes, as: UTF8.self), "\(name)/\(file)")
        }
    }
}

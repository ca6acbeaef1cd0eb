import Foundation

@testable import MicsAPI
@testable import MicsDecode
@testable import MicsExport
@testable import MicsPipelines
@testable import MicsProject
@testable import MicsSandbox
@testable import MicsSink
@testable import MicsVocabulary

/// Deterministic export lines for the parts and preset tests: ids, emails, numbers, nulls,
/// and strings a CSV writer must quote (commas, quotes, newlines) or guard (`=1+1`).
enum WarehouseTestData {
    static func ndjson(records: Int, seed: UInt64 = 7) -> [UInt8] {
        var random = SplitMix(state: seed)
        func next() -> UInt64 { random.next() }
        let notes = [
            "\"plain\"", "\"a,b\"", "\"say \\\"hi\\\"\"", "\"two\\nlines\"", "\"=1+1\"", "\"\"", "null", "\"chloé\"",
        ]
        var text = ""
        for index in 0..<records {
            let note = notes[Int(next() % UInt64(notes.count))]
            text += "{\"id\":\"u\(index)\",\"email\":\"user\(next() % 1_000_000)@example.com\","
            text +=
                "\"score\":\(Int(next() % 2000) - 1000),\"note\":\(note),\"pad\":\"\(String(repeating: "x", count: Int(next() % 40)))\"}\n"
        }
        return Array(text.utf8)
    }

    static let columns = "id,email,score,note,pad"

    /// A fresh folder; the caller removes it.
    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("mics-parts-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Converts `input` (written to `folder/in.ndjson`) with `settings`, output in `folder`.
    static func convert(_ input: [UInt8], in folder: URL, _ settings: ConvertSettings) async throws -> ConvertSummary {
        let path = folder.appendingPathComponent("in.ndjson").path
        try Data(input).write(to: URL(fileURLWithPath: path))
        var settings = settings
        if settings.columns == nil { settings.columns = columns }
        return try await ConvertRunner.run(inputs: [try FileSource.make(path: path)], options: try settings.resolve())
    }

    /// The file's bytes, gunzipped by the system gzip when it ends in `.gz`.
    static func text(_ path: String) throws -> String {
        let url = URL(fileURLWithPath: path)
        guard path.hasSuffix(".gz") else { return try String(contentsOf: url, encoding: .utf8) }
        let plain = url.deletingLastPathComponent().appendingPathComponent(".plain-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: plain) }
        try GzipTestSupport.runGzip(["-dc"], input: url, output: plain)
        return try String(contentsOf: plain, encoding: .utf8)
    }

    static func files(_ folder: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    }

    static func size(_ path: String) throws -> Int64 {
        (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? -1
    }
}

import Foundation
import Testing

@testable import MicsExport
@testable import MicsSink
@testable import MicsVocabulary

/// Parts and their manifest written through symbolic links (issue 9, item 6): each link stays
/// a link, its target gets the new bytes atomically, and a failed run leaves every target as
/// it was. The manifest names the parts as the run named them (the links), not their targets.
@Suite("Parts and manifest through symbolic links")
struct PartsThroughLinksTests {
    /// `out/m-00001.csv`, `out/m-00002.csv` and `out/m.manifest.json`, links into `data/`
    /// (`p1.csv`, `p2.csv`, `manifest.json`, each holding "old\n").
    static func layout() throws -> (root: URL, links: [String], targets: [String]) {
        let root = try WarehouseTestData.folder()
        let manager = FileManager.default
        try manager.createDirectory(at: root.appendingPathComponent("out"), withIntermediateDirectories: true)
        try manager.createDirectory(at: root.appendingPathComponent("data"), withIntermediateDirectories: true)
        let pairs = [("m-00001.csv", "p1.csv"), ("m-00002.csv", "p2.csv"), ("m.manifest.json", "manifest.json")]
        for (link, target) in pairs {
            try "old\n".write(to: root.appendingPathComponent("data/" + target), atomically: false, encoding: .utf8)
            try manager.createSymbolicLink(
                atPath: root.appendingPathComponent("out/" + link).path, withDestinationPath: "../data/" + target)
        }
        return (
            root, pairs.map { root.appendingPathComponent("out/" + $0.0).path },
            pairs.map { root.appendingPathComponent("data/" + $0.1).path }
        )
    }

    static func settings(_ root: URL) -> ConvertSettings {
        var settings = ConvertSettings()
        settings.output = root.appendingPathComponent("out/m.csv").path
        settings.splitRows = 1_500
        settings.manifest = true
        return settings
    }

    static let input = WarehouseTestData.ndjson(records: 2_500)

    @Test func aRunWritesEachTargetAndKeepsEachLink() async throws {
        let (root, links, targets) = try Self.layout()
        defer { try? FileManager.default.removeItem(at: root) }
        let summary = try await WarehouseTestData.convert(Self.input, in: root, Self.settings(root))
        #expect(links.allSatisfy(AtomicFileTests.isLink))
        let parts = try targets.dropLast().map { try String(contentsOfFile: $0, encoding: .utf8) }
        #expect(parts.allSatisfy { $0.hasPrefix(WarehouseTestData.columns + "\n") })
        #expect(summary.rows == 2_500)
        // The manifest's target holds the manifest, which names the links (1,500 rows, then 1,000).
        let manifest = try String(contentsOfFile: targets[2], encoding: .utf8)
        #expect(manifest.contains("\"url\":\"m-00001.csv\"") && manifest.contains("\"url\":\"m-00002.csv\""))
        #expect(manifest.contains("\"record_count\":1500") && manifest.contains("\"record_count\":1000"))
        #expect(!manifest.contains("p1.csv"))
        // No temporary file left beside the targets or the links.
        #expect(try WarehouseTestData.files(root.appendingPathComponent("data")) == ["manifest.json", "p1.csv", "p2.csv"])
        #expect(try WarehouseTestData.files(root.appendingPathComponent("out")) == ["m-00001.csv", "m-00002.csv", "m.manifest.json"])
    }

    @Test func aFailedRunLeavesEveryTargetAsItWas() async throws {
        let (root, links, targets) = try Self.layout()
        defer { try? FileManager.default.removeItem(at: root) }
        let broken = Self.input + Array("{\"id\": broken\n".utf8)
        await #expect(throws: ExportError.self) {
            _ = try await WarehouseTestData.convert(broken, in: root, Self.settings(root))
        }
        #expect(links.allSatisfy(AtomicFileTests.isLink))
        #expect(try targets.map { try String(contentsOfFile: $0, encoding: .utf8) } == ["old\n", "old\n", "old\n"])
        #expect(try WarehouseTestData.files(root.appendingPathComponent("data")) == ["manifest.json", "p1.csv", "p2.csv"])
        #expect(try WarehouseTestData.files(root.appendingPathComponent("out")) == ["m-00001.csv", "m-00002.csv", "m.manifest.json"])
    }
}

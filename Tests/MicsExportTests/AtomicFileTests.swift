import Foundation
import Testing

@testable import MicsSink

/// Outputs through symbolic links, and durability (issue 9): the link's target is written
/// atomically in the target's folder and the link stays a link; fsync the file, then its
/// folder, around the rename.
// Serialized: the sync log is one per process; and each test keeps only the entries under its
// own folder, since other suites write atomic files at the same time.
@Suite("AtomicFile: symbolic links and fsync", .serialized)
struct AtomicFileTests {
    /// A folder with `links/out.csv` → `../data/target.csv` (holding "old\n").
    static func layout() throws -> (root: URL, link: String, target: String) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("atomic-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("links"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: root.appendingPathComponent("data"), withIntermediateDirectories: true)
        let target = root.appendingPathComponent("data/target.csv").path
        try "old\n".write(toFile: target, atomically: false, encoding: .utf8)
        let link = root.appendingPathComponent("links/out.csv").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "../data/target.csv")
        return (root, link, target)
    }

    static func isLink(_ path: String) -> Bool {
        (try? FileManager.default.attributesOfItem(atPath: path)[.type] as? FileAttributeType) == .typeSymbolicLink
    }

    static func entries(_ root: URL) throws -> [String] {
        try ["links", "data"].flatMap { folder in
            try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(folder).path).map { folder + "/" + $0 }
        }.sorted()
    }

    @Test("a failed write through a link leaves the target as it was, and the link a link")
    func abortKeepsTarget() throws {
        let (root, link, target) = try Self.layout()
        defer { try? FileManager.default.removeItem(at: root) }
        let file = try AtomicFile(path: link)
        #expect(file.temporaryPath.hasPrefix(root.appendingPathComponent("data").path + "/."))
        try Array("half a fi".utf8).withUnsafeBytes { try file.write($0) }
        file.abort()
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "old\n")
        #expect(Self.isLink(link))
        #expect(try Self.entries(root) == ["data/target.csv", "links/out.csv"])
    }

    @Test("a finished write replaces the target in its folder; the link stays; file then folder are synced")
    func publishThroughLink() throws {
        let (root, link, target) = try Self.layout()
        defer { try? FileManager.default.removeItem(at: root) }
        let file = try AtomicFile(path: link)
        let temporary = file.temporaryPath
        let synced = try SyncLog.record {
            try Array("new\n".utf8).withUnsafeBytes { try file.write($0) }
            try file.publish()
        }
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "new\n")
        #expect(Self.isLink(link))
        #expect(try Self.entries(root) == ["data/target.csv", "links/out.csv"])
        #expect(synced.filter { $0.hasPrefix(root.path) }
            == [temporary, URL(fileURLWithPath: target).deletingLastPathComponent().path + "/"])
    }

    @Test("a dangling link: the target is made where it points")
    func danglingLink() throws {
        let (root, link, target) = try Self.layout()
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.removeItem(atPath: target)
        let file = try AtomicFile(path: link)
        try Array("x\n".utf8).withUnsafeBytes { try file.write($0) }
        try file.publish()
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "x\n")
        #expect(Self.isLink(link))
    }

    @Test("a plain file is synced too, before its rename and its folder after")
    func plainFileSynced() throws {
        let (root, _, _) = try Self.layout()
        defer { try? FileManager.default.removeItem(at: root) }
        let path = root.appendingPathComponent("data/plain.csv").path
        let file = try AtomicFile(path: path)
        let temporary = file.temporaryPath
        let synced = try SyncLog.record {
            try Array("p\n".utf8).withUnsafeBytes { try file.write($0) }
            try file.commit()
        }
        #expect(synced.filter { $0.hasPrefix(root.path) } == [temporary, root.appendingPathComponent("data").path + "/"])
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "p\n")
    }
}

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

/// Parts and manifests, end to end through `ConvertRunner`: every part starts with the
/// header, reads with `gzip -dc` and a CSV reader, and the parts together are the
/// single-file output.
@Suite struct PartedOutputTests {
    static let input = WarehouseTestData.ndjson(records: 2_500)

    /// The rows of one output written as a single plain file: the oracle.
    static func wholeRows(in folder: URL) async throws -> [[String?]] {
        var settings = ConvertSettings()
        settings.output = folder.appendingPathComponent("whole.csv").path
        _ = try await WarehouseTestData.convert(input, in: folder, settings)
        return CSVTestReader.rows(try WarehouseTestData.text(settings.output!))
    }

    @Test(arguments: [false, true])
    func partsByRowsHoldExactCountsAndEachHasTheHeader(gzip: Bool) async throws {
        let folder = try WarehouseTestData.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var settings = ConvertSettings()
        settings.output = folder.appendingPathComponent(gzip ? "users.csv.gz" : "users.csv").path
        settings.splitRows = 1_000
        settings.manifest = true
        let summary = try await WarehouseTestData.convert(Self.input, in: folder, settings)
        let ext = gzip ? ".csv.gz" : ".csv"
        let parts = (1...3).map { folder.appendingPathComponent("users-0000\($0)\(ext)").path }
        #expect(summary.outputs == parts + [folder.appendingPathComponent("users.manifest.json").path])

        let whole = try await Self.wholeRows(in: folder)
        var joined: [[String?]] = [whole[0]]
        for (index, part) in parts.enumerated() {
            let rows = CSVTestReader.rows(try WarehouseTestData.text(part))
            #expect(rows.first == whole[0], "part \(index + 1) starts with the header")
            #expect(rows.count - 1 == [1_000, 1_000, 500][index])
            joined += rows.dropFirst()
        }
        #expect(joined == whole)
        #expect(summary.bytesOut == (try parts.reduce(Int64(0)) { $0 + (try WarehouseTestData.size($1)) }))
    }

    @Test func partsByCompressedBytesReachTheLimitAndOvershootLittle() async throws {
        let folder = try WarehouseTestData.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = WarehouseTestData.ndjson(records: 60_000, seed: 11)
        var settings = ConvertSettings()
        settings.output = folder.appendingPathComponent("big.csv.gz").path
        settings.splitBytes = "200KiB"
        settings.manifest = true
        let summary = try await WarehouseTestData.convert(input, in: folder, settings)
        let parts = summary.outputs.filter { $0.hasSuffix(".csv.gz") }
        #expect(parts.count >= 3)
        var rows = 0
        for (index, part) in parts.enumerated() {
            let size = try WarehouseTestData.size(part)
            if index < parts.count - 1 {
                #expect(size >= 200 * 1024, "every part but the last reaches the limit")
            }
            #expect(size < 200 * 1024 + 150 * 1024, "overshoot stays under the documented bound")
            let table = CSVTestReader.rows(try WarehouseTestData.text(part))
            #expect(table.first == ["id", "email", "score", "note", "pad"])
            rows += table.count - 1
        }
        #expect(rows == 60_000 && summary.rows == 60_000)
    }

    @Test func plainPartsByBytesCutAfterTheRowThatReachesTheLimit() async throws {
        let folder = try WarehouseTestData.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var settings = ConvertSettings()
        settings.output = folder.appendingPathComponent("p.csv").path
        settings.splitBytes = "20000"
        let summary = try await WarehouseTestData.convert(Self.input, in: folder, settings)
        let parts = summary.outputs
        #expect(parts.count > 3)
        for part in parts.dropLast() {
            let text = try WarehouseTestData.text(part)
            let size = text.utf8.count
            let lastRow = CSVTestReader.rows(text).last!.map { $0 ?? "" }.joined(separator: ",").utf8.count
            #expect(size >= 20_000 && size - lastRow < 20_000 + 64, "cut right after the row that reached the limit")
        }
    }

    @Test func manifestListsEveryPartWithItsSizeAndRowCount() async throws {
        let folder = try WarehouseTestData.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var settings = ConvertSettings()
        settings.output = folder.appendingPathComponent("m.csv.gz").path
        settings.splitRows = 700
        settings.manifest = true
        let summary = try await WarehouseTestData.convert(Self.input, in: folder, settings)
        let data = try Data(contentsOf: folder.appendingPathComponent("m.manifest.json"))
        let json = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        let entries = json["entries"] as! [[String: Any]]
        #expect(entries.count == 4)
        var total = 0
        for (index, entry) in entries.enumerated() {
            let name = "m-0000\(index + 1).csv.gz"
            #expect(entry["url"] as? String == name)
            #expect(entry["mandatory"] as? Bool == true)
            let meta = entry["meta"] as! [String: Any]
            let length = (meta["content_length"] as! NSNumber).int64Value
            #expect(length == (try WarehouseTestData.size(folder.appendingPathComponent(name).path)))
            total += (meta["record_count"] as! NSNumber).intValue
        }
        #expect(total == summary.rows)
    }

    @Test(arguments: [false, true])
    func aFailedRunLeavesNoPartNoManifestNoTemporaryFile(gzip: Bool) async throws {
        let folder = try WarehouseTestData.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var settings = ConvertSettings()
        settings.output = folder.appendingPathComponent(gzip ? "f.csv.gz" : "f.csv").path
        settings.splitRows = 200
        settings.manifest = true
        let input = Self.input + Array("{\"id\": broken\n".utf8)
        await #expect(throws: ExportError.self) {
            _ = try await WarehouseTestData.convert(input, in: folder, settings)
        }
        #expect(try WarehouseTestData.files(folder) == ["in.ndjson"])
    }

    @Test func noRowGivesOnePartWithTheHeaderOnly() async throws {
        let folder = try WarehouseTestData.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var settings = ConvertSettings()
        settings.output = folder.appendingPathComponent("e.csv.gz").path
        settings.splitRows = 10
        settings.manifest = true
        let summary = try await WarehouseTestData.convert([], in: folder, settings)
        #expect(try WarehouseTestData.files(folder) == ["e-00001.csv.gz", "e.manifest.json", "in.ndjson"])
        #expect(try WarehouseTestData.text(summary.outputs[0]) == "id,email,score,note,pad\n")
    }

    @Test func aManifestAloneKeepsTheNameAsGiven() async throws {
        let folder = try WarehouseTestData.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var settings = ConvertSettings()
        settings.output = folder.appendingPathComponent("one.csv").path
        settings.manifest = true
        let summary = try await WarehouseTestData.convert(Self.input, in: folder, settings)
        #expect(try WarehouseTestData.files(folder) == ["in.ndjson", "one.csv", "one.manifest.json"])
        let manifest = try String(contentsOf: folder.appendingPathComponent("one.manifest.json"), encoding: .utf8)
        #expect(manifest.contains("\"url\":\"one.csv\"") && manifest.contains("\"record_count\":\(summary.rows)"))
    }

    @Test func partsLeftByAnEarlierLongerRunAreRemoved() async throws {
        let folder = try WarehouseTestData.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var settings = ConvertSettings()
        settings.output = folder.appendingPathComponent("s.csv").path
        settings.splitRows = 500
        _ = try await WarehouseTestData.convert(Self.input, in: folder, settings)
        #expect(try WarehouseTestData.files(folder).count == 6)
        try Data("keep".utf8).write(to: folder.appendingPathComponent("s-notes.csv"))
        settings.splitRows = 1_000
        _ = try await WarehouseTestData.convert(Self.input, in: folder, settings)
        #expect(
            try WarehouseTestData.files(folder) == [
                "in.ndjson", "s-00001.csv", "s-00002.csv", "s-00003.csv", "s-notes.csv",
            ]
        )
    }

    @Test func explodedRowsAreCountedOneByOne() async throws {
        let folder = try WarehouseTestData.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = Array(
            (0..<40).map { index in
                let emails = (0..<(index % 6)).map { "{\"e\":\"m\(index)-\($0)\"}" }.joined(separator: ",")
                return "{\"id\":\"\(index)\",\"emails\":[\(emails)]}\n"
            }.joined().utf8
        )
        var settings = ConvertSettings()
        settings.columns = "id,emails.e"
        settings.explode = ["emails"]
        settings.output = folder.appendingPathComponent("x.csv").path
        settings.splitRows = 7
        let summary = try await WarehouseTestData.convert(input, in: folder, settings)
        let counts = try summary.outputs.map { CSVTestReader.rows(try WarehouseTestData.text($0)).count - 1 }
        #expect(counts.dropLast().allSatisfy { $0 == 7 } && counts.last! <= 7)
        #expect(counts.reduce(0, +) == summary.rows && summary.rows > summary.records)
    }

    @Test func partsNeedAnOutputFile() {
        var settings = ConvertSettings()
        settings.splitRows = 10
        #expect(throws: ExportError.self) { try settings.resolve() }
        settings.output = "-"
        #expect(throws: ExportError.self) { try settings.resolve() }
    }

    @Test(arguments: [
        ("out/users.csv.gz", "out/users-00001.csv.gz", "out/users.manifest.json"),
        ("users.v2.tsv", "users.v2-00001.tsv", "users.v2.manifest.json"),
        ("a.b/users", "a.b/users-00001", "a.b/users.manifest.json"),
        ("x.ndjson.GZ", "x-00001.ndjson.GZ", "x.manifest.json"),
    ])
    func partNamesKeepTheExtensions(path: String, first: String, manifest: String) {
        let names = PartNames(path: path, parted: true)
        #expect(names.part(1) == first)
        #expect(names.manifest == manifest)
        #expect(names.part(123_456).hasSuffix("-123456" + names.extensions))
    }
}

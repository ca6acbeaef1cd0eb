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

/// Mutated lines (bytes deleted, inserted, replaced, cut) classified by Python's strict
/// `json` module (`Fixtures/json-validity/generate.py`): the scanner must accept exactly the
/// valid objects, and on those agree with the tree walk.
@Suite("JSON line scanner against an outside reference")
struct JSONLineScannerFuzzTests {
    struct Line {
        var bytes: [UInt8]
        var valid: Bool
    }

    static func load() throws -> [Line] {
        var root = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { root.deleteLastPathComponent() }
        let url = root.appendingPathComponent("Fixtures/json-validity/lines.json")
        let items = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [[String: Any]] ?? []
        return items.map { item in
            let hex = Array((item["hex"] as? String ?? "").utf8)
            let bytes = stride(from: 0, to: hex.count, by: 2).map { k in
                UInt8(JSONUnescape.hexValue(hex[k]) << 4 | JSONUnescape.hexValue(hex[k + 1]))
            }
            return Line(bytes: bytes, valid: item["valid"] as? Bool ?? false)
        }
    }

    static func show(_ bytes: [UInt8]) -> String {
        String(decoding: bytes, as: UTF8.self).debugDescription + " hex " + bytes.map { String($0, radix: 16) }.joined(separator: " ")
    }

    @Test("the scanner accepts exactly the lines the reference accepts")
    func sameVerdict() throws {
        let lines = try Self.load()
        #expect(lines.count == 4000)
        #expect(lines.filter(\.valid).count > 300)
        var mismatches: [String] = []
        for line in lines {
            let error = ScannerOracle.validate(line.bytes)
            if (error == nil) != line.valid {
                mismatches.append("\(Self.show(line.bytes)): reference says \(line.valid ? "valid" : "invalid"), scanner \(error.map { "\($0.reason) at \($0.offset)" } ?? "accepts")")
            }
            if let error {
                // The offset is inside the line, or at its end when the line stops short.
                #expect(error.offset >= 0 && error.offset <= line.bytes.count, "\(Self.show(line.bytes))")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) differ; first: \(mismatches.prefix(10).joined(separator: "\n"))")
    }

    @Test("on the valid lines, scanner and tree walk write the same cells, with or without columns selected")
    func validLinesAgree() throws {
        let columns = ScannerOracle.columns([
            "id", "emails.email", "emails", "n", "f", "s", "t", "u", "profiles.gender", "profiles.age", "o", "a",
            "name", "ke", "b.c", "a.x",
        ])
        for line in try Self.load() where line.valid {
            for options in [ScannerOracle.options(.join), ScannerOracle.options(.json)] {
                let scanned = try ScannerOracle.pipeline(line.bytes, columns, options)
                let tree = ScannerOracle.tree(line.bytes, columns, options)
                #expect(scanned == tree, "\(Self.show(line.bytes))")
                if scanned != tree { return }
            }
        }
    }
}

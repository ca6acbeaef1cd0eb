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

/// `--excel-safe`: a `'` before string cells a spreadsheet would run as a formula; numbers
/// (`-5`, JSON numbers) are left alone; the summary counts the cells changed.
@Suite struct ExcelSafeTests {
    static let input = Array(
        """
        {"a":"=SUM(A1)","b":-5,"c":"-5","d":"+33 6 12","e":"@user","f":"plain"}
        {"a":"\\tTab","b":1.5e3,"c":"\\rCR","d":"a=b","e":"=1,2","f":null}
        {"a":["=x","y"],"b":-0.5,"c":"","d":"-","e":"say \\"hi\\"","f":"@"}

        """.utf8
    )

    static func convert(excelSafe: Bool) async throws -> (String, ConvertSummary) {
        let folder = try WarehouseTestData.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var settings = ConvertSettings()
        settings.columns = "a,b,c,d,e,f"
        settings.excelSafe = excelSafe
        settings.output = folder.appendingPathComponent("x.csv").path
        let summary = try await WarehouseTestData.convert(input, in: folder, settings)
        return (try WarehouseTestData.text(settings.output!), summary)
    }

    @Test func stringsAreGuardedNumbersAreNot() async throws {
        let (text, summary) = try await Self.convert(excelSafe: true)
        let rows = CSVTestReader.rows(text)
        #expect(rows[1] == ["'=SUM(A1)", "-5", "'-5", "'+33 6 12", "'@user", "plain"])
        #expect(rows[2] == ["'\tTab", "1.5e3", "'\rCR", "a=b", "'=1,2", nil])
        // A joined array is a string cell: guarded on its first character.
        #expect(rows[3] == ["'=x|y", "-0.5", "", "'-", "say \"hi\"", "'@"])
        #expect(summary.excelSafeChanges == 10)
        #expect(summary.report().contains("--excel-safe changed 10 cells"))
    }

    @Test func withoutTheFlagNothingChanges() async throws {
        let (text, summary) = try await Self.convert(excelSafe: false)
        let rows = CSVTestReader.rows(text)
        #expect(rows[1] == ["=SUM(A1)", "-5", "-5", "+33 6 12", "@user", "plain"])
        #expect(summary.excelSafeChanges == 0 && !summary.report().contains("excel-safe"))
    }

    @Test func theExcelPresetGuardsAndUsesBOMAndCRLF() async throws {
        let folder = try WarehouseTestData.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var settings = ConvertSettings()
        settings.columns = "a,b"
        settings.target = .excel
        settings.output = folder.appendingPathComponent("x.csv").path
        _ = try await WarehouseTestData.convert(Array("{\"a\":\"=1\",\"b\":-1}\n".utf8), in: folder, settings)
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: settings.output!)))
        #expect(bytes == [0xEF, 0xBB, 0xBF] + Array("a,b\r\n'=1,-1\r\n".utf8))
    }
}

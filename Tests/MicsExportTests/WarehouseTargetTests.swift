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

/// `--target`: each preset's resolved options, and flags winning over a preset.
@Suite struct WarehouseTargetTests {
    static func resolve(
        _ target: WarehouseTarget,
        output: String? = "out/users",
        _ change: (inout ConvertSettings) -> Void = { _ in }
    )
        throws -> ConvertOptions
    {
        var settings = ConvertSettings()
        settings.target = target
        settings.output = output
        change(&settings)
        return try settings.resolve()
    }

    @Test func bigquery() throws {
        let o = try Self.resolve(.bigquery)
        #expect(o.target == .bigquery && o.format == .csv && o.delimiter == UInt8(ascii: ","))
        #expect(o.headerStyle == .snake && o.nullValue == "" && o.gzip && !o.bom && !o.crlf && o.header)
        #expect(o.splitBytes == 1_000_000_000 && o.splitRows == nil && !o.manifest)
    }

    @Test func snowflake() throws {
        let o = try Self.resolve(.snowflake)
        #expect(o.headerStyle == .snake && o.nullValue == "" && o.gzip && o.splitBytes == 250_000_000 && !o.manifest)
    }

    @Test func redshift() throws {
        let o = try Self.resolve(.redshift)
        #expect(o.headerStyle == .snake && o.nullValue == "" && o.gzip && o.splitBytes == 256_000_000 && o.manifest)
    }

    @Test func postgres() throws {
        let o = try Self.resolve(.postgres)
        #expect(o.headerStyle == .snake && o.nullValue == "" && !o.gzip && o.splitBytes == nil && !o.manifest)
    }

    @Test func clickhouse() throws {
        let o = try Self.resolve(.clickhouse)
        #expect(o.headerStyle == .snake && o.nullValue == "\\N" && o.gzip && o.splitBytes == nil)
    }

    @Test func excel() throws {
        let o = try Self.resolve(.excel)
        #expect(o.headerStyle == .path && o.bom && o.crlf && o.excelSafe && !o.gzip && o.splitBytes == nil)
    }

    @Test func flagsOverrideAPreset() throws {
        let o = try Self.resolve(.redshift) {
            $0.headerStyle = .path
            $0.manifest = false
            $0.splitBytes = "1GiB"
            $0.gzip = false
            $0.nullValue = "NULL"
        }
        #expect(o.headerStyle == .path && !o.manifest && o.splitBytes == 1 << 30 && !o.gzip && o.nullValue == "NULL")
        let excel = try Self.resolve(.excel) {
            $0.excelSafe = false
            $0.crlf = false
        }
        #expect(!excel.excelSafe && !excel.crlf && excel.bom)
    }

    @Test func theOutputNameDecidesGzipAndFormat() throws {
        #expect(try Self.resolve(.bigquery, output: "users.csv").gzip == false)
        #expect(try Self.resolve(.postgres, output: "users.csv.gz").gzip == true)
        let tsv = try Self.resolve(.snowflake, output: "users.tsv")
        #expect(tsv.delimiter == 0x09 && !tsv.gzip)
        #expect(try Self.resolve(.bigquery, output: "users.ndjson").format == .ndjson)
    }

    @Test func stdoutGetsNoPartsNoManifestNoGzip() throws {
        let o = try Self.resolve(.redshift, output: nil)
        #expect(o.splitBytes == nil && !o.manifest && o.outputPath == nil && !o.gzip)
        #expect(try Self.resolve(.bigquery, output: "users").gzip, "a name that does not say takes the preset's gzip")
    }

    @Test func aLaterTargetReplacesAnEarlierOne() throws {
        var file = ConvertSettings()
        file.target = .excel
        var flags = ConvertSettings()
        flags.target = .postgres
        let o = try file.overridden(by: flags).resolve()
        #expect(o.target == .postgres && !o.bom)
    }

    @Test func presetsWriteTheirNullText() async throws {
        let folder = try WarehouseTestData.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = Array("{\"id\":\"1\",\"email\":null,\"score\":3,\"note\":\"\",\"pad\":\"x\"}\n".utf8)
        var settings = ConvertSettings()
        settings.target = .clickhouse
        settings.output = folder.appendingPathComponent("c.csv").path
        _ = try await WarehouseTestData.convert(input, in: folder, settings)
        #expect(try WarehouseTestData.text(settings.output!) == "id,email,score,note,pad\n1,\\N,3,\"\",x\n")
    }
}

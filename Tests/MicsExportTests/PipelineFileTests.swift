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

/// The pipeline file format: decoded as written, resolved with flags over the file,
/// `${…}` substituted (SPEC 7).
struct PipelineFileTests {
    /// 2026-11-18 11:06:40 UTC.
    static let now = Date(timeIntervalSince1970: 1_795_000_000)
    static let substitution = PipelineSubstitution(environment: ["ORG": "1426", "EMPTY": "", "OUT": "/data"], now: now)

    /// The file and every mistake, as `validate` would see them.
    static func check(_ yaml: String) -> (PipelineFile, [PipelineDiagnostic]) {
        let (file, decoding) = PipelineFile.decode(yaml, path: "p.yaml", substitution: substitution)
        return (file, decoding + (file.marks[""] == nil ? [] : file.problems()))
    }

    @Test func everyKeyDecodesIntoTheFileAsWritten() throws {
        let (file, problems) = Self.check(
            """
            name: nightly
            source: { export: 9879, organisation: "${ORG}", execution: new }
            projection:
              query-from-export: true
              arrays: json
              array-separator: ";"
              explode: [activities, activities.events]
              explode-drop-empty: yes
              null-value: NULL
              infer-rows: 500
            sink:
              format: csv
              path: ${OUT}/x-${date}.csv.gz
              gzip: true
              level: 9
              delimiter: tab
              header-style: snake
              split-rows: 1_000
              split-bytes: 256MB
              manifest: true
              bom: false
              excel-safe: on
              crlf: no
              header: true
            on-error: skip
            rejects: rejects.ndjson
            max-errors: 10
            max-line-bytes: 1048576
            strict: true
            """)
        #expect(problems == [])
        #expect(file.name == "nightly")
        #expect(file.export == "9879" && file.organisation == "1426" && file.execution == "new")
        #expect(file.queryFromExport == true)
        let s = file.settings
        #expect(s.arrays == .json && s.arraySeparator == ";" && s.nullValue == "NULL" && s.inferRows == 500)
        #expect(s.explode == ["activities", "activities.events"] && s.explodeDropEmpty == true)
        #expect(s.format == .csv && s.output == "/data/x-2026-11-18.csv.gz" && s.gzip == true && s.level == 9)
        #expect(s.delimiter == "tab" && s.headerStyle == .snake && s.splitRows == 1000 && s.splitBytes == "256MB")
        #expect(s.manifest == true && s.bom == false && s.excelSafe == true && s.crlf == false && s.header == true)
        #expect(s.onError == .skip && s.rejects == "rejects.ndjson" && s.maxErrors == 10)
        #expect(s.maxLineBytes == 1_048_576 && s.strict == true)
        let pipeline = try file.resolved()
        #expect(pipeline.source == .export(id: "9879", organisation: "1426", execution: "new"))
        #expect(pipeline.columnsFromExport)
    }

    @Test func flagsWinOverTheFileAndColumnsComeFromOnePlace() throws {
        let (file, _) = Self.check(
            """
            source: { file: in.ndjson }
            projection: { columns: "id,emails.email", arrays: join, null-value: "-" }
            sink: { path: out.csv.gz, level: 3 }
            """)
        var flags = ConvertSettings()
        flags.output = "other.ndjson"
        flags.level = 8
        flags.query = "SELECT { id } FROM UserPoint"
        let pipeline = try file.resolved(overriddenBy: flags)
        #expect(pipeline.name == "p")
        #expect(pipeline.source == .files(["in.ndjson"]))
        let options = try pipeline.settings.resolve()
        #expect(options.outputPath == "other.ndjson")
        #expect(options.format == .ndjson && options.gzip == false)  // from the flag's file name
        #expect(options.gzipLevel == 8)
        #expect(options.columns == [ColumnSpec(path: "id")])  // the flag's query replaced the file's columns
        #expect(options.nullValue == "-")  // not overridden: the file's value stands
    }

    @Test func defaultsApplyWhereNeitherFileNorFlagSays() throws {
        let (file, problems) = Self.check("source:\n  stdin: true\n")
        #expect(problems == [])
        let options = try file.resolved().settings.resolve()
        #expect(options.format == .csv && options.outputPath == nil && options.gzip == false)
        #expect(options.arrays == .join && options.arraySeparator == "|" && options.nullValue == "")
        #expect(options.onError == .fail && options.headerStyle == .path && options.columns == nil)
        #expect(try file.resolved().source == .stdin)
    }

    @Test func aTargetPresetFillsWhatTheFileDoesNotSay() throws {
        let (file, problems) = Self.check(
            """
            source: { file: in.ndjson }
            sink: { target: redshift, path: out/x.csv.gz, split-bytes: 64MB }
            """)
        #expect(problems == [])
        #expect(file.settings.target == .redshift)
        var flags = ConvertSettings()
        flags.headerStyle = .path
        let options = try file.resolved(overriddenBy: flags).settings.resolve()
        #expect(options.manifest && options.gzip)  // the preset's
        #expect(options.splitBytes == 64_000_000)  // the file's, over the preset's 256MB
        #expect(options.headerStyle == .path)  // the flag's, over the preset's snake
        #expect(
            Self.check("source: { file: a }\nsink: { target: oracle }\n").1.map(\.message)
                == ["unknown target 'oracle': expected bigquery, snowflake, redshift, postgres, clickhouse, excel"])
    }

    @Test func sandboxAndFilesSources() throws {
        #expect(
            try Self.check("source: { sandbox: true }").0.resolved().source
                == .sandbox(export: nil, execution: "latest"))
        let (file, _) = Self.check("source:\n  files: [a.ndjson, b.ndjson.gz]\n")
        #expect(try file.resolved().source == .files(["a.ndjson", "b.ndjson.gz"]))
        // A flag giving the columns turns query-from-export off.
        var flags = ConvertSettings()
        flags.columns = "id"
        let sandbox = Self.check("source: { sandbox: true, export: 9872 }\nprojection: { query-from-export: true }").0
        #expect(try sandbox.resolved(overriddenBy: flags).columnsFromExport == false)
        #expect(try sandbox.resolved().columnsFromExport == true)
    }

    @Test(arguments: [
        ("plain", "plain"),
        ("${ORG}", "1426"),
        ("a-${ORG}-b", "a-1426-b"),
        ("${NOPE:-fallback}", "fallback"),
        ("${EMPTY:-fallback}", "fallback"),  // as in sh: :- also covers an empty value
        ("${EMPTY}", ""),
        ("${ORG:-x}", "1426"),
        ("${date}", "2026-11-18"),
        ("${datetime}", "2026-11-18T110640Z"),
        ("cost $5", "cost $5"),
        ("$${ORG}", "${ORG}"),
    ])
    func substitution(text: String, expected: String) throws {
        #expect(try Self.substitution.apply(text).get() == expected)
    }

    @Test func substitutionFailuresSayWhere() {
        #expect(
            throws: PipelineSubstitution.Failure(
                offset: 4, message: "environment variable NOPE is not set; set it, or give a default: ${NOPE:-value}")
        ) {
            try Self.substitution.apply("out/${NOPE}.csv").get()
        }
        #expect(throws: PipelineSubstitution.Failure.self) { try Self.substitution.apply("a ${ORG").get() }
        #expect(throws: PipelineSubstitution.Failure.self) { try Self.substitution.apply("${1x}").get() }
    }

    @Test func filePatternsExpandSortedAndPlainPathsStay() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mics-glob-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for name in ["part-2.ndjson", "part-10.ndjson", "part-1.ndjson.gz", "other.txt"] {
            FileManager.default.createFile(atPath: dir + "/" + name, contents: Data())
        }
        #expect(
            try PipelineRunner.expand([dir + "/part-*", "plain.ndjson"])
                == [dir + "/part-1.ndjson.gz", dir + "/part-10.ndjson", dir + "/part-2.ndjson", "plain.ndjson"])
        #expect(throws: ExportError.self) { try PipelineRunner.expand([dir + "/nothing-*.ndjson"]) }
    }

    @Test func theNameDefaultsToTheFileName() {
        #expect(PipelineFile(path: "pipelines/nightly-emails.yaml").label == "nightly-emails")
        #expect(PipelineFile(path: "x.yml").label == "x")
    }

    @Test func nearestKeyIsATypoAwayOrNone() {
        #expect(PipelineDiagnostic.nearest(to: "colums", in: PipelineFile.keys["projection"]!) == "columns")
        #expect(PipelineDiagnostic.nearest(to: "explod", in: PipelineFile.keys["projection"]!) == "explode")
        #expect(PipelineDiagnostic.nearest(to: "zzz", in: PipelineFile.keys["sink"]!) == nil)
        #expect(PipelineDiagnostic.distance("kitten", "sitting") == 3)
    }
}

import Testing

@testable import MicsAPI
@testable import MicsDecode
@testable import MicsExport
@testable import MicsPipelines
@testable import MicsProject
@testable import MicsSandbox
@testable import MicsSink
@testable import MicsVocabulary

/// `ConvertSettings.resolve()`: the defaults of SPEC 2–5 in one place, the output name's
/// say on format and gzip, explicit options over the name, and bad values as usage errors.
@Suite("Convert settings resolution")
struct ConvertSettingsTests {
    static func resolve(_ change: (inout ConvertSettings) -> Void) throws -> ConvertOptions {
        var settings = ConvertSettings()
        change(&settings)
        return try settings.resolve()
    }

    @Test("nothing said: the documented defaults")
    func defaults() throws {
        let options = try Self.resolve { _ in }
        #expect(options.columns == nil)
        #expect(options.inferRows == 10_000)
        #expect(options.arrays == .join)
        #expect(options.arraySeparator == "|")
        #expect(options.nullValue == "")
        #expect(options.format == .csv)
        #expect(options.outputPath == nil)
        #expect(options.gzip == false)
        #expect(options.gzipLevel == 6)
        #expect(options.delimiter == UInt8(ascii: ","))
        #expect(options.crlf == false)
        #expect(options.header == true)
        #expect(options.bom == false)
        #expect(options.excelSafe == false)
        #expect(options.headerStyle == .path)
        #expect(options.onError == .fail)
        #expect(options.maxErrors == nil)
        #expect(options.maxLineBytes == 64 << 20)
        #expect(options.strict == false)
    }

    @Test("the output name decides format, gzip and tab", arguments: [
        ("out.csv", OutputFormat.csv, false, UInt8(ascii: ",")),
        ("out.csv.gz", .csv, true, UInt8(ascii: ",")),
        ("OUT.TSV", .csv, false, 0x09),
        ("out.tsv.gz", .csv, true, 0x09),
        ("out.ndjson", .ndjson, false, UInt8(ascii: ",")),
        ("dir.v2/out.jsonl.gz", .ndjson, true, UInt8(ascii: ",")),
        ("out.txt", .csv, false, UInt8(ascii: ",")),
        ("out.gz", .csv, true, UInt8(ascii: ",")),
    ])
    func fromOutputName(name: String, format: OutputFormat, gzip: Bool, delimiter: UInt8) throws {
        let options = try Self.resolve { $0.output = name }
        #expect(options.outputPath == name)
        #expect(options.format == format)
        #expect(options.gzip == gzip)
        #expect(options.delimiter == delimiter)
    }

    @Test("what is said outranks the output name")
    func explicitWins() throws {
        let options = try Self.resolve {
            $0.output = "out.csv.gz"
            $0.format = .ndjson
            $0.gzip = false
        }
        #expect(options.format == .ndjson)
        #expect(options.gzip == false)
        let tsv = try Self.resolve {
            $0.output = "out.tsv"
            $0.delimiter = ";"
        }
        #expect(tsv.delimiter == UInt8(ascii: ";"))
        #expect(try Self.resolve { $0.output = "-" }.outputPath == nil)
    }

    @Test("delimiters: one ASCII character or tab", arguments: [("tab", 0x09), ("\\t", 0x09), ("\t", 0x09), (";", 0x3B), ("|", 0x7C)]
        as [(String, UInt8)])
    func delimiters(text: String, byte: UInt8) throws {
        #expect(try Self.resolve { $0.delimiter = text }.delimiter == byte)
    }

    static let usageErrors: [(String, @Sendable (inout ConvertSettings) -> Void)] = [
        ("two-byte delimiter", { $0.delimiter = "ab" }),
        ("quote delimiter", { $0.delimiter = "\"" }),
        ("newline delimiter", { $0.delimiter = "\n" }),
        ("non-ASCII delimiter", { $0.delimiter = "é" }),
        ("level 0", { $0.level = 0 }),
        ("level 10", { $0.level = 10 }),
        ("columns and query", { $0.columns = "id"; $0.query = "SELECT { id } FROM UserPoint" }),
        ("query and query file", { $0.query = "SELECT { id } FROM UserPoint"; $0.queryFile = "q.otql" }),
        ("unreadable query file", { $0.queryFile = "/nonexistent/q.otql" }),
        ("empty columns", { $0.columns = "" }),
        ("infer rows 0", { $0.inferRows = 0 }),
        ("max line bytes 0", { $0.maxLineBytes = 0 }),
        ("sibling explodes", { $0.columns = "a.b.x"; $0.explode = ["a.b", "a.c"] }),
        ("same explode twice", { $0.columns = "a.x"; $0.explode = ["a", "a"] }),
    ]

    @Test("a bad value is a usage error (exit 64)", arguments: usageErrors.indices)
    func usage(index: Int) {
        let (name, change) = Self.usageErrors[index]
        do {
            _ = try Self.resolve(change)
            Issue.record("\(name): accepted")
        } catch let error as ExportError {
            #expect(error.kind == .usage, "\(name)")
            #expect(error.kind.exitCode == 64)
        } catch {
            Issue.record("\(name): \(error)")
        }
    }

    @Test("columns from --columns, --query and --query-file are the same list")
    func columnSources() throws {
        let listed = try Self.resolve { $0.columns = "id,emails.email,profiles.age" }.columns
        let queried = try Self.resolve { $0.query = "SELECT { id emails { email } profiles { age } } FROM UserPoint" }.columns
        #expect(listed == queried)
        #expect(listed?.map(\.path) == [["id"], ["emails", "email"], ["profiles", "age"]])
    }
}

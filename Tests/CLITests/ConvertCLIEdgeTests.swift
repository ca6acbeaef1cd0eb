import Foundation
import Testing

/// `convert` at the edges: raw output, empty inputs, odd names, corrupt gzip, option combos.
@Suite("convert, edge cases end to end")
struct ConvertCLIEdgeTests {
    typealias Tool = ConvertTool

    @Test("raw: a compact, validated copy; bad lines skipped and kept as rejects; gzip readable")
    func rawCopy() async throws {
        let folder = try Tool.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = "{ \"id\" : 1 , \"a\" : [ 1 , 2 ] }\r\n\n{\"id\":2,\"id\":3}\nnot json\n{\"s\":\"x\\u00e9 y\"}"
        try Tool.write(input, to: folder.appendingPathComponent("in.ndjson"))
        let result = try await Tool.run(["convert", "in.ndjson", "--to", "raw", "-o", "out.ndjson.gz", "--on-error", "skip",
                                         "--rejects", "bad.ndjson", "-q"], in: folder)
        #expect(result.code == 0, "\(result.stderr)")
        let back = try await Tool.shell("gzip -dc out.ndjson.gz", in: folder)
        #expect(back.output == "{\"id\":1,\"a\":[1,2]}\n{\"id\":2,\"id\":3}\n{\"s\":\"x\\u00e9 y\"}\n")
        #expect(try Tool.read(folder.appendingPathComponent("bad.ndjson")).contains("\"line\":4"))
    }

    @Test("--gzip to stdout (and -o -) gives a stream gzip -dc reads", arguments: [
        ["--gzip"], ["--gzip", "--level", "1", "--to", "ndjson"], ["-o", "-", "--gzip", "--level", "9"],
    ])
    func gzipToStdout(extra: [String]) async throws {
        let folder = try Tool.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Tool.write("{\"id\":1}\n{\"id\":2}\n", to: folder.appendingPathComponent("in.ndjson"))
        let arguments = (["convert", "in.ndjson", "--columns", "id", "-q"] + extra).map { "'\($0)'" }.joined(separator: " ")
        let result = try await Tool.shell("\"$TOOL\" \(arguments) | gzip -dc", in: folder)
        #expect(result.code == 0, "\(result.stderr)")
        #expect(result.output == (extra.contains("ndjson") ? "{\"id\":1}\n{\"id\":2}\n" : "id\n1\n2\n"))
    }

    @Test("an empty or blank-only input gives the header alone and exits 0", arguments: ["", "\n\n", " \r\n\t\n"])
    func emptyInput(text: String) async throws {
        let folder = try Tool.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Tool.write(text, to: folder.appendingPathComponent("in.ndjson"))
        let csv = try await Tool.run(["convert", "in.ndjson", "--columns", "id,e=emails.email", "-q"], in: folder)
        #expect(csv.code == 0, "\(csv.stderr)")
        #expect(csv.output == "id,e\n")
        let ndjson = try await Tool.run(["convert", "in.ndjson", "--columns", "id", "--to", "ndjson", "-q"], in: folder)
        #expect(ndjson.code == 0)
        #expect(ndjson.output == "")
    }

    @Test("header names are quoted like cells in CSV and escaped as keys in flat NDJSON")
    func oddNames() async throws {
        let folder = try Tool.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Tool.write("{\"id\":1,\"a\":2,\"b\":3}\n", to: folder.appendingPathComponent("in.ndjson"))
        let columns = "say \"hi\"=id,a;b=a,back\\slash=b"
        let csv = try await Tool.run(["convert", "in.ndjson", "--columns", columns, "--delimiter", ";", "-q"], in: folder)
        #expect(csv.output == "\"say \"\"hi\"\"\";\"a;b\";back\\slash\n1;2;3\n")
        let ndjson = try await Tool.run(["convert", "in.ndjson", "--columns", columns, "--to", "ndjson", "-q"], in: folder)
        #expect(ndjson.output == #"{"say \"hi\"":1,"a;b":2,"back\\slash":3}"# + "\n")
    }

    @Test("--bom, --crlf and --no-header together")
    func bomCrlfNoHeader() async throws {
        let folder = try Tool.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Tool.write("{\"id\":1,\"t\":\"a\\nb\"}\n{\"id\":2}\n", to: folder.appendingPathComponent("in.ndjson"))
        let result = try await Tool.run(["convert", "in.ndjson", "--columns", "id,t", "--bom", "--crlf", "--no-header", "-q"],
                                        in: folder)
        #expect(result.stdout == [0xEF, 0xBB, 0xBF] + Array("1,\"a\nb\"\r\n2,\r\n".utf8))
    }

    @Test("--excel-safe counts the cells it changed in the summary")
    func excelSafeCount() async throws {
        let folder = try Tool.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Tool.write("{\"a\":\"=x\",\"b\":[\"@y\",\"z\"],\"n\":-1,\"s\":\"-2\"}\n{\"a\":\"ok\"}\n",
                       to: folder.appendingPathComponent("in.ndjson"))
        let result = try await Tool.run(["convert", "in.ndjson", "--columns", "a,b,n,s", "--excel-safe"], in: folder)
        #expect(result.output == "a,b,n,s\n'=x,'@y|z,-1,'-2\nok,,,\n")
        #expect(result.stderr.contains("changed 3 cells"), "\(result.stderr)")
    }

    @Test("a corrupt gzip input (a byte flipped, or gzip magic then garbage) fails with 65", arguments: [
        "gzip -c plain > x.gz && printf '\\377' | dd of=x.gz bs=1 seek=200 conv=notrunc 2>/dev/null",
        "printf '\\037\\213garbage that is not deflate at all' > x.gz",
    ])
    func corruptGzip(make: String) async throws {
        let folder = try Tool.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Tool.write((1...500).map { "{\"id\":\"\($0)\",\"v\":\"value \($0 * 7919)\"}\n" }.joined(),
                       to: folder.appendingPathComponent("plain"))
        let made = try await Tool.shell(make, in: folder)
        #expect(made.code == 0, "\(made.stderr)")
        let result = try await Tool.run(["convert", "x.gz", "--columns", "id", "-o", "out.csv"], in: folder)
        #expect(result.code == 65, "\(result.stderr)")
        #expect(result.stderr.contains("x.gz"), "\(result.stderr)")
        #expect(try !Tool.files(in: folder).contains { $0.contains("out.csv") })
    }

    @Test("a line of exactly --max-line-bytes is kept, one byte more is refused, a CR does not count")
    func maxLineBytesBoundary() async throws {
        let folder = try Tool.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let exact = "{\"id\":\"" + String(repeating: "x", count: 91) + "\"}"  // 100 bytes
        let over = "{\"id\":\"" + String(repeating: "y", count: 92) + "\"}"   // 101 bytes
        try Tool.write(exact + "\n" + exact + "\r\n" + over + "\n" + " " + exact + "\n",
                       to: folder.appendingPathComponent("in.ndjson"))
        let result = try await Tool.run(["convert", "in.ndjson", "--columns", "id", "--max-line-bytes", "100",
                                         "--on-error", "skip", "--rejects", "r.ndjson", "-q"], in: folder)
        #expect(result.code == 0, "\(result.stderr)")
        #expect(result.output.split(separator: "\n").count == 3)
        let rejects = try Tool.read(folder.appendingPathComponent("r.ndjson"))
        #expect(rejects.contains("\"line\":3") && rejects.contains("\"line\":4") && !rejects.contains("\"line\":2"))
    }

    @Test("a folder or a missing file as input is a usage error (64)", arguments: [".", "missing.ndjson"])
    func badInputPath(path: String) async throws {
        let folder = try Tool.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try await Tool.run(["convert", path, "--columns", "id", "-o", "out.csv"], in: folder)
        #expect(result.code == 64, "\(result.stderr)")
        #expect(result.stderr.contains(path), "\(result.stderr)")
        #expect(try Tool.files(in: folder) == [])
    }
}

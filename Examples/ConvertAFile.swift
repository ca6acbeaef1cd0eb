// Converting a file with the library, no command line: the README's "Use it as a library".
// A test type-checks this file as a package outside this one would see the library.
import MicsExport

@main
struct ConvertAFile {
    static func main() async throws {
        var options = ConvertOptions()
        options.columns = [ColumnSpec(path: "id"), ColumnSpec(name: "email", path: ["emails", "email"])]
        options.outputPath = "users.csv.gz"
        options.gzip = true
        let summary = try await ConvertRunner.run(
            inputs: [FileSource.make(path: "Fixtures/demo/userpoints.ndjson")], options: options)
        print("\(summary.records) records, \(summary.rows) rows → \(summary.outputs)")
    }
}

import ArgumentParser
import MicsAPI
import MicsExport
import MicsPipelines
import MicsSandbox

struct ConvertCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert export ndjson files (or stdin) to CSV, flat NDJSON or raw ndjson.",
        discussion: """
            Examples:
              mics-export convert export.ndjson --query-file query.otql -o users.csv
              mics-export convert part-*.ndjson.gz --columns id,email=emails.email -o out.csv.gz
              zcat export.gz | mics-export convert --to ndjson > flat.ndjson
            """
    )

    @Argument(help: "Input files, in order (gzip detected by content); - or none for stdin.")
    var inputs: [String] = []

    @OptionGroup var options: ConvertOptionGroup

    func run() async throws {
        try await CLI.guarded {
            let resolved = try options.settings.resolve()
            let sources = try (inputs.isEmpty ? ["-"] : inputs).map { try FileSource.make(path: $0) }
            try await CLI.convert(sources, resolved, quiet: options.quiet)
        }
    }
}

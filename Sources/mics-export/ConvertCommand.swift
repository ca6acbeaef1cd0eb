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
              mics-export convert export.ndjson --load postgres://me@db/warehouse --table analytics.users
            """
    )

    @Argument(help: "Input files, in order (gzip detected by content); - or none for stdin.")
    var inputs: [String] = []

    @OptionGroup var options: ConvertOptionGroup

    func run() async throws {
        try await CLI.guarded {
            var settings = options.settings
            let database = try options.database.output(adjusting: &settings)
            let resolved = try settings.resolve()
            let sources = try (inputs.isEmpty ? ["-"] : inputs).map { try FileSource.make(path: $0) }
            if let database {
                try await CLI.load(into: database, sources, resolved, quiet: options.quiet)
            } else {
                try await CLI.convert(sources, resolved, quiet: options.quiet)
            }
        }
    }
}

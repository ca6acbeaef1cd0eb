import ArgumentParser
import MicsAPI
import MicsExport
import MicsPipelines
import MicsSandbox

struct ExportsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List every export of an organisation (all pages)."
    )

    @Option(help: "Organisation id.")
    var organisation: String
    @Flag(help: "Print JSON (for scripts) instead of a table.")
    var json = false
    @OptionGroup var api: APIOptions

    func run() async throws {
        try await api.withClient { client in
            let exports = try await client.listExports(organisationID: organisation)
            if json { return try TableOutput.printJSON(exports) }
            TableOutput.print(
                header: ["ID", "NAME", "QUERY", "DATAMART", "FORMAT"],
                rows: exports.map {
                    [$0.id, $0.name ?? "", $0.queryID ?? "", $0.datamartID ?? "", $0.outputFormat ?? ""]
                }
            )
        }
    }
}

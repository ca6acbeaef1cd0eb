import ArgumentParser
import MicsAPI
import MicsExport
import MicsPipelines
import MicsSandbox

struct ExportsShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one export and its query."
    )

    @Argument(help: "Export id.")
    var export: String
    @Option(help: "Organisation id.")
    var organisation: String?
    @Flag(help: "Print JSON (for scripts).")
    var json = false
    @OptionGroup var api: APIOptions

    func run() async throws {
        try await api.withClient { client in
            let export = try await client.export(id: export, organisationID: organisation)
            var query: QueryInfo?
            if let queryID = export.queryID, let datamartID = export.datamartID {
                query = try? await client.query(datamartID: datamartID, queryID: queryID)
            }
            if json {
                struct Shown: Encodable {
                    var export: Export
                    var query: QueryInfo?
                }
                return try TableOutput.printJSON(Shown(export: export, query: query))
            }
            let lines: [(String, String?)] = [
                ("id", export.id), ("name", export.name), ("organisation", export.organisationID),
                ("datamart", export.datamartID), ("query", export.queryID), ("format", export.outputFormat),
                ("type", export.type), ("language", query?.queryLanguage), ("query text", query?.queryText),
            ]
            for (key, value) in lines where value != nil {
                TableOutput.write(key.padding(toLength: 14, withPad: " ", startingAt: 0) + value!)
            }
        }
    }
}

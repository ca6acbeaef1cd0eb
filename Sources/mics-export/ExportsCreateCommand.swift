import ArgumentParser
import MicsAPI
import MicsExport
import MicsPipelines
import MicsSandbox

struct ExportsCreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create an export from an existing query, or from an OTQL query (created first)."
    )

    @Option(help: "Organisation id.")
    var organisation: String
    @Option(help: "Name of the export.")
    var name: String
    @Option(help: "An existing query's id.")
    var queryId: String?
    @Option(help: "Datamart id (with --query).")
    var datamart: String?
    @Option(help: "OTQL text of a new query (with --datamart).")
    var query: String?
    @Flag(help: "Print JSON (for scripts).")
    var json = false
    @OptionGroup var api: APIOptions

    func validate() throws {
        switch (queryId, datamart, query) {
        case (_?, nil, nil), (nil, _?, _?): return
        default: throw ValidationError("give either --query-id, or --datamart with --query")
        }
    }

    func run() async throws {
        try await api.withClient { client in
            var queryID = queryId ?? ""
            if let datamart, let query {
                queryID = try await client.createQuery(datamartID: datamart, text: query).id
            }
            let export = try await client.createExport(organisationID: organisation, name: name, queryID: queryID)
            if json { return try TableOutput.printJSON(export) }
            TableOutput.write("created export \(export.id) (query \(export.queryID ?? queryID))")
        }
    }
}

import ArgumentParser
import MicsAPI
import MicsExport
import MicsPipelines
import MicsSandbox

struct ExecutionsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List an export's executions, newest first (all pages).",
        discussion: """
            ERRORS is the execution's erroneous tasks: a SUCCEEDED execution with some has an \
            incomplete result (pull warns, and --max-erroneous-tasks refuses it).
            """
    )

    @Argument(help: "Export id.")
    var export: String
    @Flag(help: "Print JSON (for scripts) instead of a table.")
    var json = false
    @OptionGroup var api: APIOptions

    func run() async throws {
        try await api.withClient { client in
            let executions = try await client.listExecutions(exportID: export)
            if json { return try TableOutput.printJSON(executions) }
            TableOutput.print(
                header: ["ID", "STATUS", "CREATED", "DURATION", "TASKS", "ERRORS", "FILES"],
                rows: executions.map { e in
                    [
                        e.id, e.status.rawValue, TableOutput.date(e.creationDate), TableOutput.duration(e.duration),
                        Self.tasks(e), e.erroneousTasks.map(String.init) ?? "-",
                        e.status.hasResult ? e.outputFiles.joined(separator: ",") : "-",
                    ]
                }
            )
        }
    }

    /// `277105/299808`, or `-` when the platform did not count.
    static func tasks(_ e: Execution) -> String {
        guard let total = e.numTasks else { return "-" }
        return "\(e.completedTasks ?? 0)/\(total)"
    }
}

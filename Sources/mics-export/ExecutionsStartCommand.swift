import ArgumentParser
import MicsAPI
import MicsExport
import MicsPipelines
import MicsSandbox

struct ExecutionsStartCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start",
        abstract: "Start a new execution of an export (POST …/executions)."
    )

    @Argument(help: "Export id.")
    var export: String
    @Flag(help: "Wait until it has finished (exit 70 if it fails).")
    var wait = false
    @Option(help: "With --wait: give up after this long (90s, 30m, 2h).")
    var timeout: WaitTimeout?
    @Flag(help: "Print JSON (for scripts).")
    var json = false
    @Flag(name: .shortAndLong, help: "No progress line.")
    var quiet = false
    @OptionGroup var api: APIOptions

    func run() async throws {
        try await api.withClient { client in
            var execution = try await client.startExecution(exportID: export)
            if wait {
                let waiter = ExecutionWaiter(client: client, timeout: timeout?.duration)
                let display = WaitDisplay(quiet: quiet)
                let target = Export(id: export, organisationID: execution.organisationID)
                execution = try await waiter.wait(
                    export: target,
                    selection: .id(execution.id),
                    onProgress: display.show
                )
                display.end()
            }
            if json { return try TableOutput.printJSON(execution) }
            TableOutput.write("execution \(execution.id) \(execution.status)")
        }
    }
}

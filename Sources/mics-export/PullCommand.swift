import ArgumentParser
import MicsAPI
import MicsExport
import MicsPipelines
import MicsSandbox

struct PullCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pull",
        abstract: "Wait for an export's execution and stream its files through the converter.",
        discussion: """
            Finds the newest execution (or starts one with --execution new, or takes an id), waits for it, \
            learns the columns from the export's OTQL query (unless --columns/--query is given), and streams \
            every result file into one output, with no temporary copy. A FAILED execution prints its error \
            file and exits 70. A SUCCEEDED execution with erroneous tasks (an incomplete result) is warned of \
            before the download and in the summary; --max-erroneous-tasks N or N% refuses it (exit 70, \
            nothing written).

            Examples:
              mics-export pull 9879 --organisation 1426 -o emails.csv
              mics-export pull 9872 --organisation 1426 --execution new --timeout 2h -o users.csv.gz
              mics-export pull 9872 --organisation 1426 --to raw --gzip -o export.ndjson.gz
              mics-export pull 9893 --organisation 1426 --max-erroneous-tasks 1% -o emails.csv
            """
    )

    @Argument(help: "Export id.")
    var export: String
    @Option(help: "Organisation id.")
    var organisation: String
    @Option(help: "latest (default), new (start one), or an execution id.")
    var execution: String = "latest"
    @Option(help: "Give up waiting after this long (90s, 30m, 2h; default: wait as long as it runs).")
    var timeout: WaitTimeout?
    @Option(help: "Download route: exports (default) or data-file.")
    var via: APIClient.DownloadRoute = .exports
    @OptionGroup var erroneousTasks: ErroneousTasksOption
    @OptionGroup var api: APIOptions
    @OptionGroup var options: ConvertOptionGroup

    func run() async throws {
        try await api.withClient { client in
            let export = try await client.export(id: export, organisationID: organisation)
            let waiter = ExecutionWaiter(client: client, timeout: timeout?.duration)
            let display = WaitDisplay(quiet: options.quiet)
            let selection = ExecutionWaiter.Selection(execution)
            let done: Execution
            do {
                done = try await waiter.wait(export: export, selection: selection, onProgress: display.show)
                display.end()
            } catch {
                display.end()
                throw error
            }

            if !options.quiet {
                let files = done.outputFiles.count
                CLI.printError("export \(export.id), execution \(done.id): \(files) file\(files == 1 ? "" : "s") to read")
            }
            var settings = options.settings
            let database = try options.database.output(adjusting: &settings)
            let columnsGiven = settings.columns != nil || settings.query != nil || settings.queryFile != nil
            let prepared = try await PullPreparation.prepare(
                export: export, execution: done, selection: selection, client: client,
                limit: erroneousTasks.maxErroneousTasks, columnsFromExport: !columnsGiven && settings.format != .raw,
                queryForLineage: settings.schema == true || settings.tables == true)
            // Shown with --quiet too: a scheduler's log is where an incomplete result must show.
            if let warning = prepared.warning { CLI.printError("mics-export: warning: \(warning)") }
            switch prepared.columns {
            case .columns(_, let text): settings.query = text
            case .infer(let reason): CLI.printError("mics-export: warning: \(reason)")
            case nil: break
            }
            let resolved = try settings.resolve()
            let sources = try await client.resultSources(export: export, execution: done, route: via)
            if let database {
                try await CLI.load(into: database, sources, resolved, quiet: options.quiet, source: prepared.lineage)
            } else {
                try await CLI.convert(sources, resolved, quiet: options.quiet, source: prepared.lineage)
            }
        }
    }
}

extension APIClient.DownloadRoute: ExpressibleByArgument {}

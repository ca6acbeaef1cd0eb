import ArgumentParser
import MicsAPI
import MicsExport
import MicsPipelines
import MicsSandbox

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run pipeline files, several at once; flags override every file.",
        discussion: """
            Each pipeline's progress and summary lines start with [its name]. A failing pipeline
            does not stop the others; its outputs are not written (they are atomic, as in convert).
            The exit code is the worst of the pipelines', from least to most severe:
              0 ok < 69 API unavailable < 70 execution failed < 65 bad input < 64 usage < 1 other
            (a retry may fix 69; 70 needs a new execution; 65 the data; 64 and 1 a person).
            ${NAME}, ${NAME:-default}, ${date} and ${datetime} in the files are replaced; ${date}
            and ${datetime} are the same for every pipeline of one run.

            Examples:
              mics-export run pipelines/demo.yaml
              mics-export run pipelines/*.yaml --jobs 3
              mics-export run pipelines/segment-emails-redshift.yaml --on-error skip --level 9
              MICS_DATABASE_URL=postgres://me@db/warehouse mics-export run pipelines/userpoints-postgres.yaml
            """
    )

    @Argument(help: "Pipeline files (YAML).")
    var files: [String]
    @Option(help: "Pipelines running at once (default 2).")
    var jobs = 2
    @OptionGroup var erroneousTasks: ErroneousTasksOption
    @OptionGroup var api: APIOptions
    @OptionGroup var options: ConvertOptionGroup

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one pipeline file") }
        if jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if files.count > 1 && (options.output != nil || options.rejects != nil) {
            throw ValidationError(
                "--output and --rejects would send every pipeline to the same file: run one pipeline, or set sink.path in each file"
            )
        }
    }

    func run() async throws {
        SignalCleanup.install()
        let substitution = PipelineSubstitution()
        let flags = options.settings
        let database = PipelineDatabase(
            url: options.database.load, table: options.database.table, ifExists: options.database.ifExists)
        let limit = erroneousTasks.maxErroneousTasks
        let board = RunProgressBoard(quiet: options.quiet)
        let api = self.api
        let makeClient: PipelineRunner.ClientFactory = { try api.makeClient() }
        let paths = files
        let jobs = self.jobs
        // A first look at every file: the labels (made unique: two files may share a name)
        // and the pipelines that would write where another one does.
        let checked = paths.map { PipelineFile.check(path: $0, substitution: substitution) }
        let refused = PipelineConflicts.find(
            checked.map { file, diagnostics in
                diagnostics.isEmpty
                    ? try? file.resolved(overriddenBy: flags, maxErroneousTasks: limit, database: database) : nil
            })
        // A load's connection closes with the process on a signal: the server rolls it back.
        SignalCleanup.loading = checked.contains { $0.0.database.overridden(by: database).isGiven }
        var labels: [String] = []
        for (file, _) in checked {
            var label = file.label
            var number = 2
            while labels.contains(label) {
                label = "\(file.label)#\(number)"
                number += 1
            }
            labels.append(label)
        }
        // At most `jobs` pipelines at once: start that many, then one more as each ends.
        let codes = await withTaskGroup(of: Int32.self, returning: [Int32].self) { group in
            var next = 0
            func startNext() {
                guard next < paths.count else { return }
                let path = paths[next]
                let label = labels[next]
                let conflict = refused[next]
                next += 1
                group.addTask {
                    await Self.runOne(
                        path, label: label, flags: flags, database: database, limit: limit,
                        substitution: substitution, board: board, refusal: conflict, makeClient: makeClient)
                }
            }
            for _ in 0..<min(jobs, paths.count) { startNext() }
            var codes: [Int32] = []
            for await code in group {
                codes.append(code)
                startNext()
            }
            return codes
        }
        let failed = codes.filter { $0 != 0 }.count
        if paths.count > 1 && !options.quiet {
            CLI.printError("mics-export: \(paths.count - failed) of \(paths.count) pipelines succeeded")
        }
        let worst = Self.worst(codes)
        if worst != 0 { throw ExitCode(worst) }
    }

    /// One pipeline, start to end; its failure is printed with its label and becomes a code.
    static func runOne(
        _ path: String, label: String, flags: ConvertSettings, database: PipelineDatabase, limit: ErroneousTasksLimit?,
        substitution: PipelineSubstitution, board: RunProgressBoard,
        refusal: ExportError?, makeClient: @escaping PipelineRunner.ClientFactory
    ) async -> Int32 {
        let (file, diagnostics) = PipelineFile.check(path: path, substitution: substitution)
        do {
            guard diagnostics.isEmpty else { throw PipelineDiagnostic.error(diagnostics) }
            if let refusal { throw refusal }
            let pipeline = try file.resolved(overriddenBy: flags, maxErroneousTasks: limit, database: database)
            let summary = try await PipelineRunner.run(
                pipeline, makeClient: makeClient, sandbox: .inProcess, progress: board.progress(for: label),
                note: { board.say($0, label: label) })
            board.finish(label)
            board.say(summary.report(), label: label)
            return 0
        } catch {
            board.finish(label)
            let exportError = error as? ExportError ?? ExportError(.other, "\(error)")
            board.print("mics-export: \(exportError)", label: label)
            return exportError.kind.exitCode
        }
    }

    /// The most severe of `codes` (see the discussion above for the order); an unknown code
    /// counts as the most severe of all.
    static func worst(_ codes: [Int32]) -> Int32 {
        let order: [Int32] = [0, 69, 70, 65, 64, 1]
        func rank(_ code: Int32) -> Int { order.firstIndex(of: code) ?? order.count }
        return codes.max { rank($0) < rank($1) } ?? 0
    }
}

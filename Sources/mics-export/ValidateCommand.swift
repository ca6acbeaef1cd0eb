import ArgumentParser
import MicsAPI
import MicsExport
import MicsPipelines
import MicsSandbox

struct ValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check pipeline files; report every mistake of every file, with its line and column.",
        discussion: """
            Prints FILE:LINE:COLUMN: MESSAGE for each mistake (unknown keys with the nearest valid one,
            wrong types, unknown values, a missing or second source, sibling explodes, an OTQL query
            that does not parse…), or FILE: ok. Exits 65 when any file has a mistake, 0 otherwise.
            ${NAME} values are read from the environment, as `run` would.

            Examples:
              mics-export validate pipelines/*.yaml
            """
    )

    @Argument(help: "Pipeline files (YAML).")
    var files: [String]

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one pipeline file") }
    }

    func run() async throws {
        let substitution = PipelineSubstitution()
        var mistakes = 0
        var wrongFiles = 0
        for path in files {
            let (_, diagnostics) = PipelineFile.check(path: path, substitution: substitution)
            if diagnostics.isEmpty { print("\(path): ok") }
            for diagnostic in diagnostics { print(diagnostic) }
            mistakes += diagnostics.count
            wrongFiles += diagnostics.isEmpty ? 0 : 1
        }
        if mistakes > 0 {
            CLI.printError(
                "mics-export: \(mistakes) mistake\(mistakes == 1 ? "" : "s") in \(wrongFiles) of \(files.count) file\(files.count == 1 ? "" : "s")"
            )
            throw ExitCode(ExportError.Kind.badInput.exitCode)
        }
    }
}

import ArgumentParser
import MicsAPI
import MicsExport
import MicsPipelines
import MicsSandbox

@main
struct MicsExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mics-export",
        abstract: "Turn mediarithmics Query Export ndjson into warehouse-ready CSV, flat NDJSON or gzip parts.",
        discussion: """
            fetch → decode → project → sink, streaming with bounded memory.
            Exit codes: 0 ok, 64 usage, 65 bad input data, 69 API/network failure, 70 execution failed, 1 other.
            """,
        version: MicsExportVersion.string,
        subcommands: [
            ConvertCommand.self,
            ColumnsCommand.self,
            PullCommand.self,
            ExportsCommand.self,
            ExecutionsCommand.self,
            SandboxCommand.self,
            RunCommand.self,
            ValidateCommand.self,
        ]
    )
}

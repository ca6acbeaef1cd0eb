import ArgumentParser
import MicsAPI
import MicsExport
import MicsPipelines
import MicsSandbox

struct ExecutionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "executions",
        abstract: "List an export's executions, or start a new one.",
        discussion: """
            Examples:
              mics-export executions list 9879
              mics-export executions start 9879 --wait
            """,
        subcommands: [ExecutionsListCommand.self, ExecutionsStartCommand.self]
    )
}

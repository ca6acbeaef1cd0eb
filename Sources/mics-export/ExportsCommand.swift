import ArgumentParser
import MicsAPI
import MicsExport
import MicsPipelines
import MicsSandbox

struct ExportsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exports",
        abstract: "List, show and create the platform's query exports.",
        discussion: """
            Examples:
              mics-export exports list --organisation 1426
              mics-export exports show 9879 --organisation 1426
              mics-export exports create --organisation 1426 --name emails --datamart 1509 \\
                  --query 'SELECT { id emails { email } } FROM UserPoint WHERE segments { id = "123" }'
            """,
        subcommands: [ExportsListCommand.self, ExportsShowCommand.self, ExportsCreateCommand.self]
    )
}

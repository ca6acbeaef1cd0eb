import ArgumentParser
import MicsExport

struct ExecutionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "executions", abstract: "Not implemented yet.")

    func run() async throws {
        throw ExitCode.failure
    }
}

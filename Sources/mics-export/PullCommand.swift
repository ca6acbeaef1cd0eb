import ArgumentParser
import MicsExport

struct PullCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pull", abstract: "Not implemented yet.")

    func run() async throws {
        throw ExitCode.failure
    }
}

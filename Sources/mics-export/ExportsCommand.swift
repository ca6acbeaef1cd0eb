import ArgumentParser
import MicsExport

struct ExportsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "exports", abstract: "Not implemented yet.")

    func run() async throws {
        throw ExitCode.failure
    }
}

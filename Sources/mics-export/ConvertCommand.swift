import ArgumentParser
import MicsExport

struct ConvertCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "convert", abstract: "Not implemented yet.")

    func run() async throws {
        throw ExitCode.failure
    }
}

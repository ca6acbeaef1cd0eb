import ArgumentParser
import MicsExport

struct ColumnsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "columns", abstract: "Not implemented yet.")

    func run() async throws {
        throw ExitCode.failure
    }
}

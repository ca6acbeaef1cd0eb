import ArgumentParser
import Foundation
import MicsAPI
import MicsExport
import MicsPipelines
import MicsSandbox

struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Serve a local stand-in of the Query Exports API, to try the tool with no account.",
        discussion: """
            Listens on 127.0.0.1 only, prints its URL and a token, and serves until Ctrl-C.
            Seeded from Fixtures/sandbox (or --data DIR, a folder with seed.json).

            Example:
              mics-export sandbox --port 8089 &
              export MICS_API_URL=http://127.0.0.1:8089 MICS_API_TOKEN=<printed token>
              mics-export exports list --organisation 1426
              mics-export pull 9872 --organisation 1426 -o users.csv
            """
    )

    @Option(help: "Port (default: any free port).")
    var port: Int = 0
    @Option(help: "Folder with seed.json and its ndjson files (default: Fixtures/sandbox).")
    var data: String?
    @Option(help: "Token to accept (default: a random one, printed).")
    var token: String?
    @Option(help: "Seconds a new execution stays PENDING.")
    var pendingSeconds: Int = 2
    @Option(help: "Seconds it then stays RUNNING before it ends.")
    var runningSeconds: Int = 6

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0…65535") }
        guard pendingSeconds >= 0, runningSeconds >= 0 else { throw ValidationError("seconds cannot be negative") }
    }

    func run() async throws {
        try await CLI.guarded {
            let options = SandboxOptions(
                token: token,
                pendingFor: .seconds(pendingSeconds),
                runFor: .seconds(runningSeconds)
            )
            let sandbox = try await SandboxServer.start(port: port, dataDirectory: data, options: options)
            // The URL and the token go to stdout so a script can read them; this is a local
            // throwaway token, not a platform one.
            TableOutput.write("MICS_API_URL=\(sandbox.url)")
            TableOutput.write("MICS_API_TOKEN=\(sandbox.token)")
            CLI.printError(
                "mics-export sandbox: serving organisation \(sandbox.organisationID) on \(sandbox.url); Ctrl-C stops"
            )
            fflush(nil)  // every C stream: `stdout` itself is a global Swift 6 will not touch
            try await withTaskCancellationHandler {
                try await sandbox.wait()
            } onCancel: {
                Task { await sandbox.stop() }
            }
        }
    }
}

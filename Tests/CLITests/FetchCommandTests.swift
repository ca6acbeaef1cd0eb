import Foundation
import Testing

@testable import MicsAPI
@testable import MicsDecode
@testable import MicsExport
@testable import MicsPipelines
@testable import MicsProject
@testable import MicsSandbox
@testable import MicsSink
@testable import MicsVocabulary

@Suite("Fetch commands, end to end against the sandbox")
struct FetchCommandTests {
    let run = FetchToolRunner.run

    @Test func exportsListPagesThroughEverythingAsJSON() async throws {
        try await withToolSandbox { sandbox, env in
            let r = try await run(["exports", "list", "--organisation", sandbox.organisationID, "--json"], env, nil)
            #expect(r.code == 0)
            let items = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]]
            #expect(items?.count == 66)
            #expect(items?.first?["id"] as? String == "9879")
            let table = try await run(["exports", "list", "--organisation", sandbox.organisationID], env, nil)
            #expect(table.stdout.hasPrefix("ID\tNAME\tQUERY\tDATAMART\tFORMAT\n9879\t"))
        }
    }

    @Test func exportsShowAndCreate() async throws {
        try await withToolSandbox { sandbox, env in
            let show = try await run(["exports", "show", "9872", "--organisation", sandbox.organisationID], env, nil)
            #expect(show.code == 0)
            #expect(show.stdout.contains("SELECT { id emails { email }"))
            let create = try await run(
                [
                    "exports", "create", "--organisation", sandbox.organisationID, "--name", "mine", "--datamart",
                    "1509",
                    "--query", "SELECT { id } FROM UserPoint", "--json",
                ],
                env,
                nil
            )
            #expect(create.code == 0)
            #expect(create.stdout.contains(#""name" : "mine""#))
            let bad = try await run(["exports", "create", "--organisation", "1", "--name", "x"], env, nil)
            #expect(bad.code == 64)
        }
    }

    @Test func executionsStartWaitThenList() async throws {
        try await withToolSandbox { _, env in
            let start = try await run(["executions", "start", "9879", "--wait", "--timeout", "30s"], env, nil)
            #expect(start.code == 0)
            #expect(start.stdout.contains("SUCCEEDED"))
            let list = try await run(["executions", "list", "9879"], env, nil)
            #expect(list.stdout.split(separator: "\n").count == 3)  // header + 2
            let failing = try await run(["executions", "start", "9891", "--wait"], env, nil)
            #expect(failing.code == 70)
        }
    }

    @Test func pullStreamsTheFilesWithTheQuerysColumns() async throws {
        try await withToolSandbox { sandbox, env in
            let r = try await run(["pull", "9872", "--organisation", sandbox.organisationID, "-q"], env, nil)
            #expect(r.code == 0)
            let lines = r.stdout.split(separator: "\n")
            #expect(lines.first == "id,emails.email,profiles.gender,profiles.age,activities.ts,activities.events.name")
            #expect(lines.count == 25)
        }
    }

    @Test func pullFramesEachFileOnItsOwn() async throws {
        try await withToolSandbox { sandbox, env in
            let r = try await run(
                [
                    "pull", "9890", "--organisation", sandbox.organisationID, "--execution", "new", "--to", "ndjson",
                    "-q",
                ],
                env,
                nil
            )
            #expect(r.code == 0)
            let lines = r.stdout.split(separator: "\n")
            #expect(lines.count == 9)  // the first file has no final newline: no glued line
            #expect(lines[4].contains("a4@example.com") && lines[5].contains("b0@example.com"))
        }
    }

    @Test func pullViaTheDataFileRouteGivesTheSameOutput() async throws {
        try await withToolSandbox { sandbox, env in
            let exports = try await run(["pull", "9890", "--organisation", sandbox.organisationID, "-q"], env, nil)
            let dataFile = try await run(
                ["pull", "9890", "--organisation", sandbox.organisationID, "--via", "data-file", "-q"], env, nil)
            #expect(dataFile.code == 0)
            #expect(dataFile.stdout == exports.stdout)
            #expect(dataFile.stdout.split(separator: "\n").count == 10)
        }
    }

    @Test func pullResumesADroppedDownloadToTheSameOutput() async throws {
        try await withToolSandbox { sandbox, env in
            let clean = try await run(["pull", "9872", "--organisation", sandbox.organisationID, "-q"], env, nil)
            await sandbox.setFaults(SandboxFaults(dropAfterBytes: 1000, dropTimes: 3))
            let resumed = try await run(["pull", "9872", "--organisation", sandbox.organisationID, "-q"], env, nil)
            #expect(resumed.code == 0)
            #expect(resumed.stdout == clean.stdout)
        }
    }

    @Test func aFailedExecutionExits70WithItsErrorText() async throws {
        try await withToolSandbox { sandbox, env in
            let r = try await run(["pull", "9891", "--organisation", sandbox.organisationID], env, nil)
            #expect(r.code == 70)
            #expect(r.stderr.contains("FAILED: Query execution failed: OTQL error at line 1, column 18"))
            #expect(r.stdout.isEmpty)
        }
    }

    @Test func apiFailuresExit69WithTheErrorIDAndNeverTheToken() async throws {
        try await withToolSandbox { sandbox, env in
            let missing = try await run(["pull", "4242", "--organisation", sandbox.organisationID], env, nil)
            #expect(missing.code == 69)
            #expect(missing.stderr.contains("error_id"))
            var wrong = env
            wrong["MICS_API_TOKEN"] = "wrong-secret-token-123"
            let denied = try await run(["exports", "list", "--organisation", sandbox.organisationID], wrong, nil)
            #expect(denied.code == 69)
            #expect(denied.stderr.contains("error_id"))
            #expect(!denied.all.contains("wrong-secret-token-123"))
            await sandbox.setFaults(SandboxFaults(unavailable: 100))
            let down = try await run(["executions", "list", "9879", "--max-attempts", "2"], env, nil)
            #expect(down.code == 69)
            for r in [missing, denied, down] { #expect(!r.all.contains(sandbox.token)) }
        }
    }

    @Test func theTokenReachesNoFileTheToolWrites() async throws {
        try await withToolSandbox { sandbox, env in
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mics-token-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            let r = try await run(
                [
                    "pull", "9872", "--organisation", sandbox.organisationID, "-o", "out.csv", "--rejects", "rejects.ndjson",
                    "--on-error", "skip", "--split-rows", "10", "--manifest",
                ], env, dir.path)
            #expect(r.code == 0)
            let files = try FileManager.default.contentsOfDirectory(atPath: dir.path)
            #expect(files.count >= 3)
            for name in files {
                let bytes = try Data(contentsOf: dir.appendingPathComponent(name))
                #expect(!String(decoding: bytes, as: UTF8.self).contains(sandbox.token), "\(name)")
            }
            #expect(!r.all.contains(sandbox.token))
        }
    }

    @Test func theTokenIsNotSentOverPlainHTTPToARemoteHost() async throws {
        let r = try await run(
            [
                "exports", "list", "--organisation", "1", "--api-url", "http://api.mediarithmics.com", "--token",
                "tok-xyz-123",
            ],
            [:],
            nil
        )
        #expect(r.code == 64)
        #expect(r.stderr.contains("plain http://"))
        #expect(!r.all.contains("tok-xyz-123"))
    }
}

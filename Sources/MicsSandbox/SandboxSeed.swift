import MicsVocabulary
import MicsAPI
import Foundation

/// What the sandbox starts with: `seed.json` in a data folder (`Fixtures/sandbox/` by
/// default, `--data DIR` otherwise) and the ndjson files it names.
///
/// ```json
/// { "organisation_id": "1426", "datamart_id": "1509", "filler_exports": 60,
///   "exports": [
///     { "id": "9879", "name": "…", "query_id": "65987", "query": "SELECT {emails {id}} FROM UserPoint",
///       "files": [ { "name": "export", "path": "segment-emails.ndjson" } ] },
///     { "id": "9891", "name": "failing export", "query_id": "45991", "query": "…", "error": "failing.error" } ] }
/// ```
/// Each export gets one finished execution (SUCCEEDED with its files, or FAILED with the
/// error file's text); `filler_exports` adds empty exports so that listings need paging.
public struct SandboxSeed: Codable, Sendable {
    /// A file from `path`, or `generate_lines` synthetic UserPoint lines (for big downloads).
    public struct File: Codable, Sendable {
        public var name: String
        public var path: String?
        public var generateLines: Int?

        package enum CodingKeys: String, CodingKey {
            case name, path
            case generateLines = "generate_lines"
        }

        package func load(in directory: String) throws -> SandboxFile {
            if let generateLines { return .generated(lines: generateLines) }
            return .bytes(try SandboxSeed.readFile(path ?? name, in: directory))
        }
    }

    public struct ExportSeed: Codable, Sendable {
        public var id: String
        public var name: String
        public var queryID: String
        public var queryLanguage: String?
        public var query: String
        public var files: [File]?
        /// A file whose text is the error of this export's executions: they all FAIL.
        public var error: String?
        /// The task counts of its executions once they end (default: all of
        /// `SandboxOptions.numTasks` completed, none erroneous).
        public var tasks: Tasks?

        package enum CodingKeys: String, CodingKey {
            case id, name, query, files, error, tasks
            case queryID = "query_id"
            case queryLanguage = "query_language"
        }
    }

    /// `"tasks": {"num": 299808, "completed": 277105, "erroneous": 22703}`: an execution can
    /// SUCCEED with erroneous tasks (the reference's example), its result then incomplete.
    public struct Tasks: Codable, Sendable, Hashable {
        public var num: Int64
        public var completed: Int64
        public var erroneous: Int64

        public init(num: Int64, completed: Int64, erroneous: Int64) {
            self.num = num
            self.completed = completed
            self.erroneous = erroneous
        }
    }

    public var organisationID: String
    public var datamartID: String
    public var fillerExports: Int?
    public var exports: [ExportSeed]

    package enum CodingKeys: String, CodingKey {
        case exports
        case organisationID = "organisation_id"
        case datamartID = "datamart_id"
        case fillerExports = "filler_exports"
    }

    /// Reads `DIR/seed.json`.
    public static func load(directory: String) throws -> SandboxSeed {
        let path = (directory as NSString).appendingPathComponent("seed.json")
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ExportError(.usage, "cannot read \(path)", hint: "--data must name a folder holding seed.json")
        }
        do {
            return try JSONDecoder().decode(SandboxSeed.self, from: data)
        } catch {
            throw ExportError(.badInput, "invalid seed: \(APIClient.describe(decoding: error))", at: path)
        }
    }

    /// The bundled fixtures: `Fixtures/sandbox` found from the working directory or from the
    /// source tree this was built from.
    public static func defaultDirectory() -> String? {
        var candidates = [FileManager.default.currentDirectoryPath + "/Fixtures/sandbox"]
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }  // Sources/MicsSandbox/x.swift → root
        candidates.append(url.appendingPathComponent("Fixtures/sandbox").path)
        return candidates.first { FileManager.default.fileExists(atPath: $0 + "/seed.json") }
    }

    package static func readFile(_ name: String, in directory: String) throws -> [UInt8] {
        let path = (directory as NSString).appendingPathComponent(name)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ExportError(.usage, "cannot read \(path) named in seed.json")
        }
        return Array(data)
    }
}

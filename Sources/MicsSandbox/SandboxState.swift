import MicsVocabulary
import MicsAPI
import Foundation

/// The sandbox's data: exports, queries, executions and their files, behind one actor.
///
/// An execution's status is computed from its age: PENDING for `pendingFor`, RUNNING for
/// `runFor` (with `completed_tasks` growing), then SUCCEEDED, or FAILED for an export seeded
/// with an error file. Seeded executions are born finished.
package actor SandboxState {
    package struct StoredExport {
        package var export: Export
        package var files: [(name: String, file: SandboxFile)]
        package var errorText: String?
        /// Final task counts; nil: `options.numTasks`, all completed.
        package var tasks: SandboxSeed.Tasks? = nil
    }

    package struct StoredExecution {
        package var id: String
        package var exportID: String
        package var organisationID: String
        package var creationDate: Int64
        package var born: ContinuousClock.Instant
        package var finishedAtBirth: Bool
    }

    package let options: SandboxOptions
    package private(set) var exports: [StoredExport] = []
    package private(set) var queries: [String: QueryInfo] = [:]
    /// Newest first, per export.
    private var executions: [String: [StoredExecution]] = [:]
    private var nextID: Int64 = 700_000_000
    /// `reportsEveryPhase`: per execution id, the latest phase reported (0 PENDING, 1 RUNNING, 2 ended).
    var reportedPhase: [String: Int] = [:]
    package var faults = SandboxFaults()
    package private(set) var requests = 0
    /// Each file download answered: its status and the `If-Range` it was asked with.
    package private(set) var downloads: [(status: Int, ifRange: String?)] = []
    /// `Last-Modified` of files never changed: an hour before the start, in whole seconds, so a
    /// client may take the date for a strong validator (RFC 9110 §8.8.2.2).
    private let seededAt = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 - 3600).rounded(.down))
    /// Files changed since (`changeOnDrop`), by export id and name.
    private var changedAt: [String: Date] = [:]

    package init(options: SandboxOptions) {
        self.options = options
    }

    package func load(_ seed: SandboxSeed, directory: String) throws {
        for item in seed.exports {
            let files = try (item.files ?? []).map { ($0.name, try $0.load(in: directory)) }
            let errorText = try item.error.map {
                String(decoding: try SandboxSeed.readFile($0, in: directory), as: UTF8.self)
            }
            queries[item.queryID] = QueryInfo(
                id: item.queryID,
                datamartID: seed.datamartID,
                queryLanguage: item.queryLanguage ?? "OTQL",
                queryText: item.query
            )
            let export = Export(
                id: item.id,
                organisationID: seed.organisationID,
                name: item.name,
                queryID: item.queryID,
                datamartID: seed.datamartID
            )
            addExport(export, files: files, errorText: errorText, tasks: item.tasks, finishedExecution: true)
        }
        for n in 0..<(seed.fillerExports ?? 0) {
            let id = String(5000 + n)
            let export = Export(
                id: id,
                organisationID: seed.organisationID,
                name: "filler export \(n + 1)",
                queryID: "1",
                datamartID: seed.datamartID
            )
            exports.append(StoredExport(export: export, files: [], errorText: nil))
        }
    }

    /// Adds an export (and, when asked, one execution that is already finished).
    @discardableResult
    package func addExport(
        _ export: Export,
        files: [(name: String, file: SandboxFile)],
        errorText: String? = nil,
        tasks: SandboxSeed.Tasks? = nil,
        finishedExecution: Bool
    ) -> String? {
        exports.append(StoredExport(export: export, files: files, errorText: errorText, tasks: tasks))
        guard finishedExecution else { return nil }
        return startExecution(exportID: export.id, finished: true)?.id
    }

    package func export(_ id: String) -> StoredExport? { exports.first { $0.export.id == id } }

    package func newID() -> String {
        nextID += 1
        return String(nextID)
    }

    package func addQuery(datamartID: String, language: String, text: String) -> QueryInfo {
        let query = QueryInfo(id: newID(), datamartID: datamartID, queryLanguage: language, queryText: text)
        queries[query.id] = query
        return query
    }

    package func createExport(organisationID: String, name: String, queryID: String) -> Export? {
        guard let query = queries[queryID] else { return nil }
        let export = Export(
            id: newID(),
            organisationID: organisationID,
            name: name,
            queryID: queryID,
            datamartID: query.datamartID
        )
        // A new export answers with the files of the first seeded export that has some.
        let files = exports.first { !$0.files.isEmpty }?.files ?? []
        exports.append(StoredExport(export: export, files: files, errorText: nil))
        return export
    }

    package func startExecution(exportID: String, finished: Bool = false) -> StoredExecution? {
        guard let stored = export(exportID) else { return nil }
        let now = ContinuousClock.now
        var date = Int64(Date().timeIntervalSince1970 * 1000)
        if let previous = executions[exportID]?.first, previous.creationDate >= date {
            date = previous.creationDate + 1
        }
        let execution = StoredExecution(
            id: newID(),
            exportID: exportID,
            organisationID: stored.export.organisationID ?? "0",
            creationDate: date,
            born: now,
            finishedAtBirth: finished
        )
        executions[exportID, default: []].insert(execution, at: 0)
        return execution
    }

    package func executions(of exportID: String) -> [StoredExecution] { executions[exportID] ?? [] }

    package func execution(_ id: String) -> StoredExecution? {
        executions.values.lazy.flatMap { $0 }.first { $0.id == id }
    }

    package func setFaults(_ faults: SandboxFaults) { self.faults = faults }

    package func countRequest() { requests += 1 }

    /// Takes one shot of a counted fault: 429 first, then 503.
    package func nextRequestFault() -> (status: Int, retryAfter: Int)? {
        if faults.tooManyRequests > 0 {
            faults.tooManyRequests -= 1
            return (429, faults.retryAfterSeconds)
        }
        if faults.unavailable > 0 {
            faults.unavailable -= 1
            return (503, 0)
        }
        return nil
    }

    package func noteDownload(status: Int, ifRange: String?) { downloads.append((status, ifRange)) }

    /// When the file `name` of `exportID` was last written.
    package func lastModified(exportID: String, name: String) -> Date {
        changedAt[exportID + "/" + name] ?? seededAt
    }

    /// A download of `name` of `exportID` dropped: the `changeOnDrop` fault, if armed, now
    /// rewrites that file (dated now, a second past the last date at least).
    package func downloadDropped(exportID: String, name: String) {
        guard let bytes = faults.changeOnDrop,
            let e = exports.firstIndex(where: { $0.export.id == exportID }),
            let f = exports[e].files.firstIndex(where: { $0.name == name })
        else { return }
        faults.changeOnDrop = nil
        exports[e].files[f].file = .bytes(bytes)
        let previous = lastModified(exportID: exportID, name: name)
        changedAt[exportID + "/" + name] = max(
            Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down)), previous + 1)
    }

    /// Bytes after which this download drops, if it should.
    package func nextDrop() -> Int? {
        guard faults.dropTimes > 0 else { return nil }
        faults.dropTimes -= 1
        return faults.dropAfterBytes
    }
}

import Foundation

/// Where pulled data came from: the export, the execution read, and the query behind it.
/// The summary names it, and a schema file written from a pull records it as `source`:
///
/// ```json
/// "source": {"export": {"id": "9893", "name": "incomplete export"},
///            "execution": {"id": "700000005", "status": "SUCCEEDED",
///                          "creation_date": "2019-07-08T14:09:43.663Z", "start_date": "…", "end_date": "…",
///                          "tasks": {"num": 299808, "completed": 277105, "erroneous": 22703}},
///            "query": {"id": "65987", "language": "OTQL", "text": "SELECT {emails {id}} FROM UserPoint …"}}
/// ```
/// Dates are the platform's epoch milliseconds written as RFC 3339 UTC; what the platform did
/// not send is `null`.
public struct SourceLineage: Sendable, Hashable {
    public var exportID: String
    public var exportName: String?
    public var executionID: String
    public var status: String?
    /// Epoch milliseconds.
    public var creationDate: Int64?
    public var startDate: Int64?
    public var endDate: Int64?
    public var numTasks: Int64?
    public var completedTasks: Int64?
    public var erroneousTasks: Int64?
    public var queryID: String?
    public var queryLanguage: String?
    public var queryText: String?

    public init(exportID: String, executionID: String) {
        self.exportID = exportID
        self.executionID = executionID
    }

    /// The tasks that failed, when some did.
    public var erroneous: ErroneousTasks? { ErroneousTasks(erroneous: erroneousTasks, total: numTasks) }

    /// The summary's first line: `read export 9893 (incomplete export), execution 700000005
    /// SUCCEEDED, created 2026-11-29T09:01:02.000Z`.
    public var summaryLine: String {
        let name = exportName.map { " (\($0))" } ?? ""
        let state = status.map { " \($0)" } ?? ""
        let created = creationDate.map { ", created \(Self.timestamp($0))" } ?? ""
        return "read export \(exportID)\(name), execution \(executionID)\(state)\(created)"
    }

    /// The summary's last word when some tasks failed: the warning given before the download.
    public var warningLine: String? {
        erroneous.map { "warning: " + $0.warning(executionID: executionID) }
    }

    /// The JSON object a schema file holds under `"source"`, keys sorted so that two runs of
    /// the same execution write the same text.
    public func jsonText() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding strings, numbers and nulls cannot fail.
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "null"
    }

    /// `2019-07-08T14:09:43.663Z` from epoch milliseconds.
    static func timestamp(_ ms: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date(timeIntervalSince1970: Double(ms) / 1000))
    }
}

extension SourceLineage: Encodable {
    private enum Keys: String, CodingKey {
        case export, execution, query, id, name, status, tasks, num, completed, erroneous, language, text
        case creationDate = "creation_date"
        case startDate = "start_date"
        case endDate = "end_date"
    }

    /// Nested as the summary reads: export, execution (with its dates and tasks), query.
    /// Every key is written, `null` when unknown, so that readers find a fixed shape.
    public func encode(to encoder: Encoder) throws {
        var root = encoder.container(keyedBy: Keys.self)
        var export = root.nestedContainer(keyedBy: Keys.self, forKey: .export)
        try export.encode(exportID, forKey: .id)
        try export.encode(exportName, forKey: .name)
        var execution = root.nestedContainer(keyedBy: Keys.self, forKey: .execution)
        try execution.encode(executionID, forKey: .id)
        try execution.encode(status, forKey: .status)
        try execution.encode(creationDate.map(Self.timestamp), forKey: .creationDate)
        try execution.encode(startDate.map(Self.timestamp), forKey: .startDate)
        try execution.encode(endDate.map(Self.timestamp), forKey: .endDate)
        var tasks = execution.nestedContainer(keyedBy: Keys.self, forKey: .tasks)
        try tasks.encode(numTasks, forKey: .num)
        try tasks.encode(completedTasks, forKey: .completed)
        try tasks.encode(erroneousTasks, forKey: .erroneous)
        var query = root.nestedContainer(keyedBy: Keys.self, forKey: .query)
        try query.encode(queryID, forKey: .id)
        try query.encode(queryLanguage, forKey: .language)
        try query.encode(queryText, forKey: .text)
    }
}

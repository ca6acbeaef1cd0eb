import MicsVocabulary
import MicsProject
import MicsExport
/// The resources of the Query Exports API, as the platform sends them (snake_case keys,
/// ids as strings). Decoding is lenient: a field with an unexpected type is read as
/// missing rather than failing the whole answer, because a listing must not break on
/// one odd record.

/// An export definition (`GET /v1/exports/:id`).
public struct Export: Codable, Sendable, Hashable {
    public var id: String
    public var organisationID: String?
    public var name: String?
    public var queryID: String?
    public var datamartID: String?
    public var outputFormat: String?
    public var type: String?

    package enum CodingKeys: String, CodingKey {
        case id, name, type
        case organisationID = "organisation_id"
        case queryID = "query_id"
        case datamartID = "datamart_id"
        case outputFormat = "output_format"
    }

    public init(
        id: String,
        organisationID: String? = nil,
        name: String? = nil,
        queryID: String? = nil,
        datamartID: String? = nil,
        outputFormat: String? = "JSON",
        type: String? = "QUERY"
    ) {
        self.id = id
        self.organisationID = organisationID
        self.name = name
        self.queryID = queryID
        self.datamartID = datamartID
        self.outputFormat = outputFormat
        self.type = type
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(LooseString.self, forKey: .id).value
        organisationID = c.looseString(.organisationID)
        name = try? c.decodeIfPresent(String.self, forKey: .name)
        queryID = c.looseString(.queryID)
        datamartID = c.looseString(.datamartID)
        outputFormat = try? c.decodeIfPresent(String.self, forKey: .outputFormat)
        type = try? c.decodeIfPresent(String.self, forKey: .type)
    }
}

/// The `result` of a finished execution: the technical names of its files.
public struct ExecutionResult: Codable, Sendable, Hashable {
    public var outputFiles: [String]

    package enum CodingKeys: String, CodingKey { case outputFiles = "output_files" }

    public init(outputFiles: [String]) { self.outputFiles = outputFiles }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        outputFiles = (try? c.decodeIfPresent([String].self, forKey: .outputFiles)) ?? []
    }
}

/// One run of an export (`GET /v1/exports/:id/executions`).
public struct Execution: Codable, Sendable, Hashable {
    public var id: String
    public var status: ExecutionStatus
    public var organisationID: String?
    public var result: ExecutionResult?
    public var error: APIMessage?
    /// Epoch milliseconds.
    public var creationDate: Int64?
    public var startDate: Int64?
    public var endDate: Int64?
    /// Milliseconds.
    public var duration: Int64?
    public var numTasks: Int64?
    public var completedTasks: Int64?
    public var erroneousTasks: Int64?
    public var jobType: String?

    package enum CodingKeys: String, CodingKey {
        case id, status, result, error, duration
        case organisationID = "organisation_id"
        case creationDate = "creation_date"
        case startDate = "start_date"
        case endDate = "end_date"
        case numTasks = "num_tasks"
        case completedTasks = "completed_tasks"
        case erroneousTasks = "erroneous_tasks"
        case jobType = "job_type"
    }

    public init(id: String, status: ExecutionStatus, organisationID: String? = nil, creationDate: Int64? = nil) {
        self.id = id
        self.status = status
        self.organisationID = organisationID
        self.creationDate = creationDate
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(LooseString.self, forKey: .id).value
        status = (try? c.decodeIfPresent(ExecutionStatus.self, forKey: .status)) ?? ExecutionStatus("UNKNOWN")
        organisationID = c.looseString(.organisationID)
        result = try? c.decodeIfPresent(ExecutionResult.self, forKey: .result)
        error = try? c.decodeIfPresent(APIMessage.self, forKey: .error)
        creationDate = c.looseInt64(.creationDate)
        startDate = c.looseInt64(.startDate)
        endDate = c.looseInt64(.endDate)
        duration = c.looseInt64(.duration)
        numTasks = c.looseInt64(.numTasks)
        completedTasks = c.looseInt64(.completedTasks)
        erroneousTasks = c.looseInt64(.erroneousTasks)
        jobType = try? c.decodeIfPresent(String.self, forKey: .jobType)
    }

    /// The files to download: `result.output_files`, else `export` (as the web front end does).
    public var outputFiles: [String] {
        let files = result?.outputFiles ?? []
        return files.isEmpty ? ["export"] : files
    }
}

/// The query behind an export (`GET /v1/datamarts/:dm/queries/:qid`).
public struct QueryInfo: Codable, Sendable, Hashable {
    public var id: String
    public var datamartID: String?
    public var queryLanguage: String?
    public var queryText: String?

    package enum CodingKeys: String, CodingKey {
        case id
        case datamartID = "datamart_id"
        case queryLanguage = "query_language"
        case queryText = "query_text"
    }

    public init(id: String, datamartID: String?, queryLanguage: String?, queryText: String?) {
        self.id = id
        self.datamartID = datamartID
        self.queryLanguage = queryLanguage
        self.queryText = queryText
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(LooseString.self, forKey: .id).value
        datamartID = c.looseString(.datamartID)
        queryLanguage = try? c.decodeIfPresent(String.self, forKey: .queryLanguage)
        queryText = try? c.decodeIfPresent(String.self, forKey: .queryText)
    }
}

extension KeyedDecodingContainer {
    package func looseString(_ key: Key) -> String? {
        (try? decodeIfPresent(LooseString.self, forKey: key))?.value
    }

    package func looseInt64(_ key: Key) -> Int64? {
        if let i = try? decodeIfPresent(Int64.self, forKey: key) { return i }
        if let s = try? decodeIfPresent(String.self, forKey: key) { return Int64(s) }
        return nil
    }
}

import MicsVocabulary
import MicsProject
import MicsExport
import Foundation

/// The endpoints of the Query Exports API, one method each (see the reference).
extension APIClient {
    /// `GET /v1/exports?organisation_id=` — every page.
    public func listExports(organisationID: String, pageSize: Int = 100) async throws -> [Export] {
        try await listAll(
            APIRequest(path: "/v1/exports", query: [("organisation_id", organisationID)]),
            pageSize: pageSize
        )
    }

    /// `GET /v1/exports/:id?organisation_id=`
    public func export(id: String, organisationID: String?) async throws -> Export {
        var request = APIRequest(path: "/v1/exports/\(SafeName.pathSegment(id))")
        if let organisationID { request.query = [("organisation_id", organisationID)] }
        return try await single(Export.self, request)
    }

    /// `POST /v1/datamarts/:dm/queries` — the query an export needs.
    public func createQuery(datamartID: String, language: String = "OTQL", text: String) async throws -> QueryInfo {
        let body = try jsonBody(["datamart_id": datamartID, "query_language": language, "query_text": text])
        let request = APIRequest(
            method: .post,
            path: "/v1/datamarts/\(SafeName.pathSegment(datamartID))/queries",
            body: body
        )
        return try await single(QueryInfo.self, request)
    }

    /// `GET /v1/datamarts/:dm/queries/:qid`
    public func query(datamartID: String, queryID: String) async throws -> QueryInfo {
        let path = "/v1/datamarts/\(SafeName.pathSegment(datamartID))/queries/\(SafeName.pathSegment(queryID))"
        return try await single(QueryInfo.self, APIRequest(path: path))
    }

    /// `POST /v1/exports?organisation_id=`
    public func createExport(organisationID: String, name: String, queryID: String) async throws -> Export {
        let body = try jsonBody(["name": name, "output_format": "JSON", "query_id": queryID, "type": "QUERY"])
        let request = APIRequest(
            method: .post,
            path: "/v1/exports",
            query: [("organisation_id", organisationID)],
            body: body
        )
        return try await single(Export.self, request)
    }

    /// `GET /v1/exports/:id/executions` — every page, newest first as the platform sends them.
    public func listExecutions(exportID: String, pageSize: Int = 100) async throws -> [Execution] {
        try await listAll(executionsRequest(exportID), pageSize: pageSize)
    }

    /// The first page only: enough to find the newest execution.
    public func recentExecutions(exportID: String, count: Int = 10) async throws -> [Execution] {
        var request = executionsRequest(exportID)
        request.query = [("first_result", "0"), ("max_results", String(count))]
        return try await sendDecoding([Execution].self, request).data ?? []
    }

    /// `POST /v1/exports/:id/executions` with `{}`.
    public func startExecution(exportID: String) async throws -> Execution {
        var request = executionsRequest(exportID)
        request.method = .post
        request.body = Array("{}".utf8)
        return try await single(Execution.self, request)
    }

    /// The text of a failed execution's error file (bounded), via the data file API.
    public func errorFileText(organisationID: String, executionID: String, limit: Int = 64 << 10) async throws -> String
    {
        let request = dataFileRequest(organisationID: organisationID, executionID: executionID, file: "export.error")
        let body = try await send(request) { response in
            try await response.body.collect(upTo: 16 << 20)
        }
        return redact(String(decoding: body.readableBytesView.prefix(limit), as: UTF8.self))
    }

    // MARK: - Building blocks

    package func executionsRequest(_ exportID: String) -> APIRequest {
        APIRequest(path: "/v1/exports/\(SafeName.pathSegment(exportID))/executions")
    }

    /// `GET /v1/data_file/data?uri=mics://data_file/tenants/:org/jobs/executions/:exec/result/:file`
    package func dataFileRequest(organisationID: String, executionID: String, file: String) -> APIRequest {
        let uri =
            "mics://data_file/tenants/\(SafeName.pathSegment(organisationID))/jobs/executions/"
            + "\(SafeName.pathSegment(executionID))/result/\(file)"
        return APIRequest(path: "/v1/data_file/data", query: [("uri", uri)])
    }

    /// `GET /v1/exports/:id/executions/:exec/files/technical_name=:name` (the path-segment form).
    package func resultFileRequest(exportID: String, executionID: String, technicalName: String) -> APIRequest {
        APIRequest(
            path: "/v1/exports/\(SafeName.pathSegment(exportID))/executions/\(SafeName.pathSegment(executionID))"
                + "/files/technical_name=\(SafeName.pathSegment(technicalName))"
        )
    }

    package func single<T: Decodable>(_ type: T.Type, _ request: APIRequest) async throws -> T {
        guard let data = try await sendDecoding(T.self, request).data else {
            throw unavailable(request, "the answer holds no 'data'")
        }
        return data
    }

    /// Pages with `first_result`/`max_results` until `total` is reached or, when the API
    /// leaves `total` out, until a short or empty page. Bounded (10,000 pages) in case a
    /// server ignores `first_result` and repeats its first page forever.
    package func listAll<T: Decodable>(_ base: APIRequest, pageSize: Int) async throws -> [T] {
        var items: [T] = []
        var first = 0
        for _ in 0..<10_000 {
            var request = base
            request.query += [("first_result", String(first)), ("max_results", String(pageSize))]
            let envelope = try await sendDecoding([T].self, request)
            let page = envelope.data ?? []
            items += page
            first += page.count
            if page.isEmpty { break }
            if let total = envelope.total {
                if first >= total { break }
            } else if page.count < min(envelope.maxResults ?? pageSize, pageSize) {
                break
            }
        }
        return items
    }

    private func jsonBody(_ fields: [String: String]) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return Array(try encoder.encode(fields))
    }
}

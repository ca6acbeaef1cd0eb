import MicsVocabulary
import MicsProject
import MicsExport
/// Result files as pipeline inputs: each one streamed (never copied to disk) and resumed
/// with `Range` if its connection drops.
extension APIClient {
    /// Which URL form downloads a result file.
    public enum DownloadRoute: String, Sendable, CaseIterable {
        /// `/v1/exports/:id/executions/:exec/files/technical_name=:name` (recommended).
        case exports
        /// `/v1/data_file/data?uri=mics://…/result/:name.data`.
        case dataFile = "data-file"
    }

    /// One input per file of `result.output_files` (else `export`), in order. Each download
    /// starts when the pipeline opens it; its size comes from a `HEAD` when the API answers one.
    public func resultSources(
        export: Export,
        execution: Execution,
        route: DownloadRoute = .exports,
        probeSizes: Bool = true
    ) async throws -> [InputSource] {
        var sources: [InputSource] = []
        for name in execution.outputFiles {
            let request: APIRequest
            switch route {
            case .exports:
                request = resultFileRequest(exportID: export.id, executionID: execution.id, technicalName: name)
            case .dataFile:
                guard let org = execution.organisationID ?? export.organisationID else {
                    throw ExportError(
                        .usage,
                        "the data-file route needs the organisation id",
                        hint: "pass --organisation"
                    )
                }
                request = dataFileRequest(
                    organisationID: org,
                    executionID: execution.id,
                    file: "\(SafeName.pathSegment(name)).data"
                )
            }
            let size = probeSizes ? await probeSize(request) : nil
            let label = "export \(export.id) execution \(execution.id) file \(SafeName.fileComponent(name))"
            sources.append(download(request, name: label, size: size))
        }
        return sources
    }

    /// A lazily opened, resumable download of `request`.
    package func download(_ request: APIRequest, name: String, size: Int64? = nil, chunkSize: Int = 64 << 10) -> InputSource {
        InputSource(name: name, size: size) { [self] in
            let download = ResumableDownload(client: self, request: request, expectedSize: size, chunkSize: chunkSize)
            return ByteChunks.pulling { try await download.next() }
        }
    }

    /// The body length from a `HEAD`, or nil when the API does not say. One quick attempt,
    /// any failure is nil: a server without HEAD (405, 501) must not slow the pull down.
    package func probeSize(_ request: APIRequest) async -> Int64? {
        var head = request
        head.method = .head
        head.maxAttempts = 1
        return try? await send(head, timeout: .seconds(10)) { response in
            response.headers.first(name: "Content-Length").flatMap { Int64($0) }
        }
    }
}

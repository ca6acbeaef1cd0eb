import MicsVocabulary
import MicsAPI
import Foundation
import Hummingbird

/// File downloads: the exports route (`…/files/technical_name=NAME`) and the data file route
/// (`/v1/data_file/data?uri=mics://…/result/NAME.data|export.error`), with `Range` support
/// and the download faults of `SandboxFaults`.
package enum SandboxDownloads {
    package static func add(to router: Router<BasicRequestContext>, state: SandboxState) {
        let files: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, context in
            // The raw last path segment: the router's parameter could be decoded differently.
            let segment = request.uri.path.split(separator: "/").last.map(String.init) ?? ""
            let prefix = "technical_name="
            guard segment.hasPrefix(prefix), let name = String(segment.dropFirst(prefix.count)).removingPercentEncoding,
                let execution = context.parameters.get("exec"),
                await state.execution(execution)?.exportID == context.parameters.get("id"),
                let bytes = await state.file(executionID: execution, name: name)
            else { return SandboxRoutes.notFound() }
            return await serve(bytes, request: request, state: state)
        }
        router.get("/v1/exports/:id/executions/:exec/files/:file", use: files)
        router.head("/v1/exports/:id/executions/:exec/files/:file", use: files)

        let dataFile: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, _ in
            // mics://data_file/tenants/:org/jobs/executions/:exec/result/:file
            let parts = (request.stringParameter("uri") ?? "").split(separator: "/").map(String.init)
            guard parts.count == 9, parts[0] == "mics:", parts[1] == "data_file", parts[2] == "tenants",
                parts[4] == "jobs", parts[5] == "executions", parts[7] == "result",
                let execution = await state.execution(parts[6]), execution.organisationID == parts[3]
            else { return SandboxRoutes.notFound() }
            let file = parts[8]
            let bytes: SandboxFile?
            if file == "export.error" {
                bytes = await state.errorFile(executionID: execution.id)
            } else if file.hasSuffix(".data") {
                let name = String(file.dropLast(5)).removingPercentEncoding ?? ""
                bytes = await state.file(executionID: execution.id, name: name)
            } else {
                bytes = nil
            }
            guard let bytes else { return SandboxRoutes.notFound() }
            return await serve(bytes, request: request, state: state)
        }
        router.get("/v1/data_file/data", use: dataFile)
        router.head("/v1/data_file/data", use: dataFile)
    }

    /// 200 with the whole file, or 206 from the `Range` start (416 past the end); the body is
    /// written in small pieces, and cut short when a drop fault is armed.
    package static func serve(_ file: SandboxFile, request: Request, state: SandboxState) async -> Response {
        let total = file.count
        var start = 0
        var status = HTTPResponse.Status.ok
        var headers: HTTPFields = [.contentType: "application/x-ndjson", .acceptRanges: "bytes"]
        if let range = request.headers[.range], !(await state.faults.ignoreRange), let from = rangeStart(range) {
            guard from < total else {
                headers[.contentRange] = "bytes */\(total)"
                return Response(status: .rangeNotSatisfiable, headers: headers)
            }
            start = from
            status = .partialContent
            headers[.contentRange] = "bytes \(from)-\(total - 1)/\(total)"
        }
        let length = total - start
        if request.method == .head {
            headers[.contentLength] = String(length)
            return Response(
                status: status,
                headers: headers,
                body: ResponseBody(contentLength: length) { writer in
                    try await writer.finish(nil)
                }
            )
        }
        let dropAfter = await state.nextDrop()
        let first = start
        let body = ResponseBody(contentLength: length) { writer in
            var offset = first
            var sent = 0
            while offset < total {
                var n = min(64 << 10, total - offset)
                if let dropAfter { n = min(n, dropAfter - sent) }
                if n <= 0 { throw DroppedOnPurpose() }
                try await writer.write(ByteBuffer(bytes: file.bytes(in: offset..<offset + n)))
                offset += n
                sent += n
            }
            try await writer.finish(nil)
        }
        return Response(status: status, headers: headers, body: body)
    }

    /// `bytes=N-` or `bytes=N-M` (only the start matters: the rest of the file is sent).
    package static func rangeStart(_ header: String) -> Int? {
        guard header.hasPrefix("bytes=") else { return nil }
        let spec = header.dropFirst(6)
        guard let dash = spec.firstIndex(of: "-") else { return nil }
        return Int(spec[..<dash])
    }

    /// Thrown mid-body: Hummingbird then closes the connection, short of Content-Length.
    package struct DroppedOnPurpose: Error {}
}

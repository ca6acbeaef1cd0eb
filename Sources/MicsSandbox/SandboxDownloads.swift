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
                let execution = context.parameters.get("exec"), let exportID = context.parameters.get("id"),
                await state.execution(execution)?.exportID == exportID,
                let bytes = await state.file(executionID: execution, name: name)
            else { return SandboxRoutes.notFound() }
            return await serve(bytes, request: request, state: state, file: (exportID, name))
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
            var name = file
            if file == "export.error" {
                bytes = await state.errorFile(executionID: execution.id)
            } else if file.hasSuffix(".data") {
                name = String(file.dropLast(5)).removingPercentEncoding ?? ""
                bytes = await state.file(executionID: execution.id, name: name)
            } else {
                bytes = nil
            }
            guard let bytes else { return SandboxRoutes.notFound() }
            return await serve(bytes, request: request, state: state, file: (execution.exportID, name))
        }
        router.get("/v1/data_file/data", use: dataFile)
        router.head("/v1/data_file/data", use: dataFile)
    }

    /// 200 with the whole file, or 206 from the `Range` start (416 past the end); the body is
    /// written in small pieces, and cut short when a drop fault is armed. The file's `ETag`
    /// and `Last-Modified` (as `SandboxFaults.validators` says) are sent, and an `If-Range`
    /// that does not name them (strong comparison) makes the answer the whole file.
    /// - Parameter id: the file's export id and name (its date, the `changeOnDrop` fault).
    package static func serve(
        _ file: SandboxFile, request: Request, state: SandboxState, file id: (exportID: String, name: String)
    ) async -> Response {
        let total = file.count
        var start = 0
        var status = HTTPResponse.Status.ok
        var headers: HTTPFields = [.contentType: "application/x-ndjson", .acceptRanges: "bytes"]
        let faults = await state.faults
        let etag = file.etag
        let modified = httpDate(await state.lastModified(exportID: id.exportID, name: id.name))
        switch faults.validators {
        case .strongETag: headers[.eTag] = etag
        case .weakETag: headers[.eTag] = "W/" + etag
        case .lastModified, .none: break
        }
        if faults.validators != .none { headers[.lastModified] = modified }
        let ifRange = request.headers[.ifRange]
        // RFC 9110 §13.1.5: a strong comparison (a weak tag never matches), or the exact date.
        let current = ifRange.map {
            $0.hasPrefix("\"") ? faults.validators == .strongETag && $0 == etag : faults.validators != .none && $0 == modified
        }
        if let range = request.headers[.range], !faults.ignoreRange, current != false, let from = rangeStart(range) {
            guard from < total else {
                headers[.contentRange] = "bytes */\(total)"
                await state.noteDownload(status: 416, ifRange: ifRange)
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
        await state.noteDownload(status: Int(status.code), ifRange: ifRange)
        let dropAfter = await state.nextDrop()
        let first = start
        let body = ResponseBody(contentLength: length) { writer in
            var offset = first
            var sent = 0
            while offset < total {
                var n = min(64 << 10, total - offset)
                if let dropAfter { n = min(n, dropAfter - sent) }
                if n <= 0 {
                    await state.downloadDropped(exportID: id.exportID, name: id.name)
                    throw DroppedOnPurpose()
                }
                try await writer.write(ByteBuffer(bytes: file.bytes(in: offset..<offset + n)))
                offset += n
                sent += n
            }
            try await writer.finish(nil)
        }
        return Response(status: status, headers: headers, body: body)
    }

    /// IMF-fixdate: `Sun, 06 Nov 1994 08:49:37 GMT`.
    package static func httpDate(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.string(from: date)
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

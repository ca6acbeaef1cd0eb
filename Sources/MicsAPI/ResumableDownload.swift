import MicsVocabulary
import MicsProject
import MicsExport
import AsyncHTTPClient
import NIOCore

/// A download that survives dropped connections, as a pull-based stream of byte chunks.
///
///     GET …            ──200──▶ bytes 0 ..< k      ✂ connection drops
///     GET … Range: bytes=k-  ──206──▶ bytes k ..< n       (continues)
///                            ──200──▶ bytes 0 ..< n       (Range ignored: skip the first k)
///
/// `delivered` counts the bytes handed to the consumer, so a resume asks for exactly the
/// next byte: nothing is duplicated or lost. A resume sends `If-Range` with the first
/// answer's strong validator (see `DownloadValidator`), and an answer that shows another
/// version of the file (a 200 to `If-Range`, another ETag, Last-Modified or size) throws
/// `InputChanged`: the bytes already handed over cannot be taken back, so the run starts
/// over rather than splice two versions. Chunks are re-batched to at least
/// `chunkSize` bytes (or the end of the body) so the pipeline sees few, large chunks.
/// Resumes are bounded: `retry.maxAttempts` failures in a row without a new byte.
package actor ResumableDownload {
    package let client: APIClient
    package let request: APIRequest
    package let chunkSize: Int
    private var body: HTTPClientResponse.Body.AsyncIterator?
    private var delivered: Int64 = 0
    /// Bytes of the current body still to drop (a 200 answer to a ranged request).
    private var skip: Int64 = 0
    package private(set) var totalSize: Int64?
    /// The first answer's validators and size: every resumed answer must show the same file.
    private var first: (validator: DownloadValidator, size: Int64?)?
    private var failuresInARow = 0
    private var resumes = 0
    private var finished = false

    /// - Parameter expectedSize: the size from a `HEAD`, if any: a body that ends short of it
    ///   without Content-Length (HTTP/1.0 servers, chunked answers) is then caught as a drop.
    package init(client: APIClient, request: APIRequest, expectedSize: Int64? = nil, chunkSize: Int = 64 << 10) {
        self.client = client
        self.request = request
        self.totalSize = expectedSize
        self.chunkSize = chunkSize
    }

    /// The next chunk, or nil at the end of the file.
    package func next() async throws -> [UInt8]? {
        guard !finished else { return nil }
        while true {
            if body == nil {
                guard try await connect() else {
                    finished = true
                    return nil
                }
            }
            var chunk: [UInt8] = []
            chunk.reserveCapacity(chunkSize)
            // Moved out of the actor's state while awaiting (an isolated property cannot be
            // mutated across a suspension); put back below when the body goes on.
            var iterator = body!
            body = nil
            do {
                while chunk.count < chunkSize {
                    guard var buffer = try await iterator.next(isolation: #isolation) else {
                        if skip > 0 {
                            throw client.unavailable(
                                request, "the file is shorter than the \(delivered) bytes already read: it changed",
                                hint: "pull again from the start")
                        }
                        try checkComplete(after: delivered + Int64(chunk.count))
                        finished = true
                        break
                    }
                    if skip > 0 {
                        let dropped = min(Int64(buffer.readableBytes), skip)
                        buffer.moveReaderIndex(forwardBy: Int(dropped))
                        skip -= dropped
                    }
                    buffer.withUnsafeReadableBytes { chunk.append(contentsOf: $0) }
                }
                if !finished { body = iterator }
            } catch let error as ExportError {
                throw error
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                // The connection dropped mid-body: hand over what arrived, resume on the next call.
                try await noteFailure("connection lost after \(delivered + Int64(chunk.count)) bytes: \(error)")
            }
            if !chunk.isEmpty {
                delivered += Int64(chunk.count)
                failuresInARow = 0
                return chunk
            }
            if finished { return nil }
        }
    }

    /// Opens (or re-opens from `delivered`) the body. False when there is nothing left.
    private func connect() async throws -> Bool {
        var request = self.request
        let ifRange = delivered > 0 ? first?.validator.ifRange : nil
        if delivered > 0 {
            request.headers.append(("Range", "bytes=\(delivered)-"))
            if let ifRange { request.headers.append(("If-Range", ifRange)) }
            request.alsoAccepted = [416]
            resumes += 1
        }
        let response = try await client.send(request, timeout: client.downloadTimeout) { $0 }
        let length = response.headers.first(name: "Content-Length").flatMap { Int64($0) }
        let validator = DownloadValidator(
            etag: response.headers.first(name: "ETag"),
            lastModified: response.headers.first(name: "Last-Modified"),
            date: response.headers.first(name: "Date"))
        guard let first else {
            // The first answer (a 200, or a 206 when the request itself asked for a range).
            let range = ContentRange(response.headers.first(name: "Content-Range"))
            self.first = (validator, response.status.code == 206 ? range?.total : length)
            return try open(response, length: length)
        }
        if response.status.code != 416, let reason = first.validator.change(in: validator) {
            throw InputChanged(location: request.location, reason: reason)
        }
        switch response.status.code {
        case 206:
            let range = ContentRange(response.headers.first(name: "Content-Range"))
            if let was = first.size, let now = range?.total, was != now {
                throw InputChanged(location: request.location, reason: "\(was) bytes, now \(now)")
            }
        case 416:
            break
        default:
            // A whole body to a resume: to `If-Range`, the file changed unless the answer names
            // the same version (then the server ignores ranges, as one without validators may).
            if ifRange != nil && !first.validator.confirmed(by: validator) {
                throw InputChanged(location: request.location, reason: "If-Range \(ifRange ?? "") did not match")
            }
            if let was = first.size, let now = length, was != now {
                throw InputChanged(location: request.location, reason: "\(was) bytes, now \(now)")
            }
        }
        return try open(response, length: length)
    }

    /// Takes the body of an answer to a `Range` from `delivered` (or of the first request).
    private func open(_ response: HTTPClientResponse, length: Int64?) throws -> Bool {
        switch response.status.code {
        case 206:
            let range = ContentRange(response.headers.first(name: "Content-Range"))
            guard range?.start ?? delivered == delivered else {
                throw client.unavailable(request, "the server resumed at the wrong byte (asked \(delivered))")
            }
            totalSize = range?.total ?? length.map { $0 + delivered } ?? totalSize
            skip = 0
        case 416:
            // Nothing after `delivered`: the previous connection dropped right at the end.
            // (`Content-Range: bytes */N` gives the size when no earlier answer did.)
            let unsatisfied = response.headers.first(name: "Content-Range").flatMap(ContentRange.total(unsatisfied:))
            guard let total = totalSize ?? unsatisfied, total == delivered else {
                throw client.unavailable(request, "the server refused to resume at byte \(delivered)")
            }
            return false
        default:
            // A full body: on a resume the server ignored Range, so skip what we already have.
            skip = delivered
            totalSize = length ?? totalSize
        }
        body = response.body.makeAsyncIterator()
        return true
    }

    /// A body that ends early without an error (no Content-Length to catch it) is a drop too.
    private func checkComplete(after count: Int64) throws {
        if let total = totalSize, count < total {
            throw EarlyEnd(received: count, expected: total)
        }
    }

    private func noteFailure(_ summary: String) async throws {
        failuresInARow += 1
        guard failuresInARow < client.retry.maxAttempts, resumes < 10_000 else {
            throw client.unavailable(
                request,
                "download gave up after \(failuresInARow) failed resumes; last: \(summary)",
                hint: "the network or the API is unstable; try again later"
            )
        }
        try await Task.sleep(for: client.retry.delay(beforeRetry: failuresInARow))
    }

    package struct EarlyEnd: Error, CustomStringConvertible {
        package var received: Int64
        package var expected: Int64
        package var description: String { "body ended at byte \(received) of \(expected)" }
    }
}

/// `Content-Range: bytes 100-199/200` (the total may be `*`).
package struct ContentRange {
    /// The size in a 416 answer's `bytes */200`.
    package static func total(unsatisfied header: String) -> Int64? {
        header.hasPrefix("bytes */") ? Int64(header.dropFirst(8)) : nil
    }

    package var start: Int64
    package var total: Int64?

    package init?(_ header: String?) {
        guard let header, header.hasPrefix("bytes ") else { return nil }
        let spec = header.dropFirst(6)
        let parts = spec.split(separator: "/", maxSplits: 1)
        guard let range = parts.first, let dash = range.firstIndex(of: "-"), let start = Int64(range[..<dash]) else {
            return nil
        }
        self.start = start
        self.total = parts.count == 2 ? Int64(parts[1]) : nil
    }
}

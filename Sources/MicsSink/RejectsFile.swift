import MicsVocabulary
import MicsDecode
import MicsProject
/// `--rejects FILE`: every bad line with its place and reason, as ndjson, so nothing is
/// lost: `{"source":"x.ndjson","line":12,"reason":"…","text":"<the line>"}`.
package final class RejectsFile {
    private let file: AtomicFile

    package init(path: String) throws { file = try AtomicFile(path: path) }

    package func append(_ rejects: [Reject]) throws {
        guard !rejects.isEmpty else { return }
        var out: [UInt8] = []
        for reject in rejects {
            out.append(contentsOf: #"{"source":"#.utf8)
            out.append(contentsOf: JSONEscape.string(reject.source))
            out.append(contentsOf: ",\"line\":\(reject.line),\"reason\":".utf8)
            out.append(contentsOf: JSONEscape.string(reject.reason))
            out.append(contentsOf: #","text":"#.utf8)
            // The line may be invalid UTF-8: keep what decodes, marking the rest.
            out.append(contentsOf: JSONEscape.string(String(decoding: reject.text, as: UTF8.self)))
            out.append(contentsOf: "}\n".utf8)
        }
        try out.withUnsafeBytes { try file.write($0) }
    }

    package func commit() throws { try file.commit() }
    package func abort() { file.abort() }
}

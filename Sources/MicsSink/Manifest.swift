import MicsVocabulary
import MicsDecode
import MicsProject
import Foundation

/// `NAME.manifest.json` in Redshift's COPY manifest format, one entry per part:
///
/// ```json
/// {"entries":[
///   {"url":"users-00001.csv.gz","mandatory":true,"meta":{"content_length":1048576,"record_count":5000}}
/// ]}
/// ```
/// `url` is the part's file name, relative to the manifest: mics-export cannot know where
/// the files will be uploaded. Redshift wants full `s3://bucket/key` URLs, so prefix them
/// when uploading (see the README, "Loading into a warehouse"). `content_length` is the file's size in bytes
/// (Redshift needs it for columnar formats, tools use it to check uploads);
/// `record_count` counts data rows, the header row not included.
package struct Manifest {
    package struct Entry {
        package var url: String
        package var contentLength: Int64
        package var recordCount: Int
    }

    package var entries: [Entry] = []

    package func json() -> [UInt8] {
        var text = "{\"entries\":[\n"
        for (index, entry) in entries.enumerated() {
            text += "  {\"url\":\(Self.quoted(entry.url)),\"mandatory\":true,"
            text += "\"meta\":{\"content_length\":\(entry.contentLength),\"record_count\":\(entry.recordCount)}}"
            text += index == entries.count - 1 ? "\n" : ",\n"
        }
        text += "]}\n"
        return Array(text.utf8)
    }

    /// A JSON string literal.
    package static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// Writes the manifest atomically (temporary name, then rename).
    package func write(to path: String) throws {
        let file = try AtomicFile(path: path)
        do {
            try json().withUnsafeBytes { try file.write($0) }
            try file.commit()
        } catch {
            file.abort()
            throw error
        }
    }
}

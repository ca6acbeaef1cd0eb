import MicsExport
import MicsAPI
import Foundation

/// `${…}` in a pipeline file's values, replaced before a value is typed (so
/// `gzip: ${GZIP:-true}` works):
///
///     ${NAME}            the environment variable NAME; unset is an error
///     ${NAME:-default}   NAME, or `default` when NAME is unset or empty (as in sh)
///     ${date}            the run's UTC date, 2026-11-29
///     ${datetime}        the run's UTC date and time, file-name safe: 2026-11-29T085510Z
///     $${                a literal ${
///
/// One `now` per run, so every pipeline of a `run` names its files with the same stamp.
public struct PipelineSubstitution: Sendable {
    public var environment: [String: String]
    public var now: Date

    /// What went wrong in a value, with the 0-based offset (in characters) of its `${`.
    public struct Failure: Error, Equatable {
        public var offset: Int
        public var message: String
    }

    public init(environment: [String: String] = ProcessInfo.processInfo.environment, now: Date = Date()) {
        self.environment = environment
        self.now = now
    }

    /// `text` with every `${…}` replaced.
    public func apply(_ text: String) -> Result<String, Failure> {
        guard text.contains("$") else { return .success(text) }
        let chars = Array(text)
        var out = ""
        var i = 0
        while i < chars.count {
            if chars[i] == "$", i + 2 < chars.count, chars[i + 1] == "$", chars[i + 2] == "{" {
                out += "${"
                i += 3
                continue
            }
            guard chars[i] == "$", i + 1 < chars.count, chars[i + 1] == "{" else {
                out.append(chars[i])
                i += 1
                continue
            }
            guard let close = chars[(i + 2)...].firstIndex(of: "}") else {
                return .failure(Failure(offset: i, message: "'${' is not closed by '}'; write $${ for a literal ${"))
            }
            switch value(of: String(chars[(i + 2)..<close])) {
            case .success(let value): out += value
            case .failure(let message): return .failure(Failure(offset: i, message: message))
            }
            i = close + 1
        }
        return .success(out)
    }

    private enum Lookup {
        case success(String)
        case failure(String)
    }

    private func value(of expression: String) -> Lookup {
        var name = expression
        var fallback: String?
        if let range = expression.range(of: ":-") {
            name = String(expression[..<range.lowerBound])
            fallback = String(expression[range.upperBound...])
        }
        guard Self.isName(name) else {
            return .failure(
                "'${\(expression)}' is not a variable: expected ${NAME}, ${NAME:-default}, ${date} or ${datetime}")
        }
        switch name {
        case "date": return .success(Self.stamp(now, format: "yyyy-MM-dd"))
        case "datetime": return .success(Self.stamp(now, format: "yyyy-MM-dd'T'HHmmss'Z'"))
        default: break
        }
        if let set = environment[name], !(fallback != nil && set.isEmpty) { return .success(set) }
        if let fallback { return .success(fallback) }
        return .failure("environment variable \(name) is not set; set it, or give a default: ${\(name):-value}")
    }

    package static func isName(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic)
        else { return false }
        return text.unicodeScalars.allSatisfy {
            $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)))
        }
    }

    package static func stamp(_ date: Date, format: String) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = format
        return formatter.string(from: date)
    }
}

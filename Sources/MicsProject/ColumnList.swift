import MicsVocabulary
import MicsDecode
/// Reads a `--columns` list: comma-separated dot paths, each optionally named.
///
///     "id, email=emails.email, profiles.gender"
///       → id ← [id]    email ← [emails, email]    profiles.gender ← [profiles, gender]
///
/// A name is everything before the first `=` (so it may hold dots); without `=` the name is
/// the path as written. Spaces around items, names and paths are dropped.
public enum ColumnList {
    package static let hint = "write --columns as comma-separated paths, each optionally named: id,email=emails.email"

    public static func parse(_ text: String) throws -> [ColumnSpec] {
        let items = text.split(separator: ",", omittingEmptySubsequences: false)
        if items.count == 1, trim(items[0]).isEmpty {
            throw ExportError(.usage, "--columns is empty", hint: hint)
        }
        var columns: [ColumnSpec] = []
        // Name → the 1-based item that first used it, for the duplicate message.
        var firstItem: [String: Int] = [:]
        for (offset, raw) in items.enumerated() {
            let number = offset + 1
            let column = try parseItem(trim(raw), number: number)
            if let earlier = firstItem[column.name] {
                throw ExportError(
                    .usage,
                    "--columns item \(number) '\(trim(raw))': duplicate column name '\(column.name)' (item \(earlier) has it too)",
                    hint: "give one of them another name: other=\(column.path.joined(separator: "."))")
            }
            firstItem[column.name] = number
            columns.append(column)
        }
        return columns
    }

    private static func parseItem(_ item: String, number: Int) throws -> ColumnSpec {
        func failure(_ problem: String) -> ExportError {
            ExportError(.usage, "--columns item \(number) '\(item)': \(problem)", hint: hint)
        }
        if item.isEmpty {
            throw ExportError(.usage, "--columns item \(number) is empty", hint: "remove the extra comma; " + hint)
        }
        let name: String
        let dotted: String
        if let equals = item.firstIndex(of: "=") {
            name = trim(item[..<equals])
            dotted = trim(item[item.index(after: equals)...])
            if name.isEmpty { throw failure("empty column name before '='") }
            if dotted.isEmpty { throw failure("empty path after '='") }
        } else {
            name = item
            dotted = item
        }
        let path = dotted.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        if path.contains(where: { $0.isEmpty }) {
            throw failure("empty segment in path '\(dotted)'")
        }
        return ColumnSpec(name: name, path: path)
    }

    private static func trim(_ text: Substring) -> String {
        String(text.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }

    private static func trim(_ text: String) -> String {
        trim(text[...])
    }
}

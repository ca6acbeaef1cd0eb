import MicsVocabulary
import MicsDecode
import Foundation

/// Column names as written in the header: as given (`path`), or `snake` for warehouses.
///
/// `snake` names match `[A-Za-z_][A-Za-z0-9_]*`, are lower case (Postgres folds unquoted
/// names, Snowflake and BigQuery compare them without case), at most 63 bytes (Postgres
/// cuts longer names silently, which would make new collisions), and unique without
/// regard to case. They are stable: a column keeps its natural name whatever comes after
/// it, and only a later duplicate gets a suffix (`_2`, `_3`… skipping names in use).
public enum HeaderNames {
    /// Postgres' limit (NAMEDATALEN - 1); the lowest of the warehouses served.
    package static let maxLength = 63

    public static func make(_ columns: [ColumnSpec], style: HeaderStyle) -> [String] {
        switch style {
        case .path: return columns.map(\.name)
        case .snake: return snake(columns.map(\.name))
        }
    }

    package static func snake(_ names: [String]) -> [String] { unique(names.map(snakeBase)) }

    /// Later duplicates get `_2`, `_3`… (skipping names in use); the first keeps its name.
    package static func unique(_ bases: [String]) -> [String] {
        var taken = Set(bases)
        var seen = Set<String>()
        var result: [String] = []
        for base in bases {
            guard seen.contains(base) else {
                seen.insert(base)
                result.append(base)
                continue
            }
            var suffix = 2
            var candidate = withSuffix(base, suffix)
            while taken.contains(candidate) {
                suffix += 1
                candidate = withSuffix(base, suffix)
            }
            taken.insert(candidate)
            result.append(candidate)
        }
        return result
    }

    /// One name alone: `emails.email` → `emails_email`, `userPointId` → `user_point_id`,
    /// `prénom` → `prenom`, `1st` → `_1st`, `$ts` → `_ts`.
    package static func snakeBase(_ name: String) -> String {
        let folded = name.folding(options: [.diacriticInsensitive, .widthInsensitive], locale: nil)
        var out = ""
        var previous: Unicode.Scalar?
        for scalar in folded.unicodeScalars {
            let isUpper = ("A"..."Z").contains(scalar)
            let isWord = isUpper || ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar)
            if isWord {
                // camelCase: a capital after a lower-case letter or a digit starts a word.
                if isUpper, let previous, ("a"..."z").contains(previous) || ("0"..."9").contains(previous) {
                    out += "_"
                }
                out.unicodeScalars.append(isUpper ? Unicode.Scalar(scalar.value + 32)! : scalar)
            } else if !out.isEmpty || previous == nil, out.last != "_" {
                out += "_"
            }
            previous = scalar
        }
        while out.count > 1, out.hasSuffix("_") { out.removeLast() }
        if out.isEmpty || out == "_" { out = "column" }
        if let first = out.unicodeScalars.first, ("0"..."9").contains(first) { out = "_" + out }
        // BigQuery reserves these prefixes for its own pseudo-columns.
        for reserved in ["_table_", "_file_", "_partition", "_row_timestamp", "__root__", "_colidentifier"]
        where out.hasPrefix(reserved) {
            out = "c" + out
        }
        return String(out.prefix(maxLength))
    }

    private static func withSuffix(_ base: String, _ suffix: Int) -> String {
        let tail = "_\(suffix)"
        return String(base.prefix(maxLength - tail.count)) + tail
    }
}

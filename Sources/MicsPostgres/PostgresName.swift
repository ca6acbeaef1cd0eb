/// A table's `[SCHEMA.]NAME`, and the one function that puts a name into SQL.
///
/// `--table` text is split at the first `.` outside double quotes; a part written in double
/// quotes is taken literally (`""` is one `"`), so `"my.schema"."t.1"` is schema `my.schema`,
/// table `t.1`. Unquoted parts are taken as written — no case folding: every name is sent
/// quoted, so `--table Users` makes `"Users"`.
public struct PostgresTableName: Sendable, Hashable, CustomStringConvertible {
    public var schema: String?
    public var name: String

    /// PostgreSQL cuts longer identifiers to 63 bytes (NAMEDATALEN − 1); we refuse them instead.
    public static let maxIdentifierBytes = 63

    public init(schema: String? = nil, name: String) throws {
        for part in [schema, name].compactMap({ $0 }) {
            try Self.check(part)
        }
        self.schema = schema
        self.name = name
    }

    public init(parsing text: String) throws {
        var parts: [String] = []
        var current = ""
        var quoted = false
        var inQuotes = false
        var chars = Array(text)[...]
        while let c = chars.popFirst() {
            if inQuotes {
                if c == "\"" {
                    if chars.first == "\"" {
                        chars.removeFirst()
                        current.append("\"")
                    } else {
                        inQuotes = false
                    }
                } else {
                    current.append(c)
                }
            } else if c == "\"" && current.isEmpty && !quoted {
                inQuotes = true
                quoted = true
            } else if c == "." && parts.isEmpty {
                parts.append(current)
                current = ""
                quoted = false
            } else if quoted {
                throw PostgresLoadError(.settings, "table name \(Self.shown(text)): text after a closing quote")
            } else {
                current.append(c)
            }
        }
        if inQuotes {
            throw PostgresLoadError(.settings, "table name \(Self.shown(text)): a quote is not closed")
        }
        parts.append(current)
        do {
            try self.init(schema: parts.count == 2 ? parts[0] : nil, name: parts[parts.count - 1])
        } catch let error as PostgresLoadError {
            throw PostgresLoadError(.settings, "table name \(Self.shown(text)): \(error.message)")
        }
    }

    /// `"schema"."name"` or `"name"`: always quoted.
    public var sql: String {
        schema.map { PostgresName.quoted($0) + "." + PostgresName.quoted(name) } ?? PostgresName.quoted(name)
    }

    /// As a user would write it back.
    public var description: String { sql }

    /// The same schema, another name (a staging table, a child table).
    public func sibling(_ name: String) throws -> PostgresTableName {
        try PostgresTableName(schema: schema, name: name)
    }

    static func check(_ part: String) throws {
        if part.isEmpty { throw PostgresLoadError(.settings, "an empty name") }
        if part.utf8.count > maxIdentifierBytes {
            throw PostgresLoadError(
                .settings, "\(PostgresName.quoted(part)) is longer than \(maxIdentifierBytes) bytes, "
                    + "which PostgreSQL would cut")
        }
        if part.unicodeScalars.contains(where: { $0.value == 0 }) {
            throw PostgresLoadError(.settings, "a name cannot hold the character U+0000")
        }
    }

    private static func shown(_ text: String) -> String { "'\(text)'" }
}

public enum PostgresName {
    /// A quoted identifier: `"` around, every `"` inside doubled. The only way a name enters SQL.
    public static func quoted(_ identifier: String) -> String {
        "\"" + quotedBody(identifier) + "\""
    }

    /// The inside of a quoted identifier, `"` doubled.
    static func quotedBody(_ identifier: String) -> String {
        var out = ""
        out.unicodeScalars.reserveCapacity(identifier.unicodeScalars.count)
        for scalar in identifier.unicodeScalars {
            if scalar == "\"" { out.unicodeScalars.append(scalar) }
            out.unicodeScalars.append(scalar)
        }
        return out
    }
}

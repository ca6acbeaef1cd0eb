/// Everything that decides what a conversion does, resolved: defaults applied, flags and
/// pipeline files already merged. The command-line tool and `run` build one of these; the
/// pipeline only reads it.
public struct ConvertOptions: Sendable {
    // Columns (SPEC 2): at most one of these; none means inference.
    public var columns: [ColumnSpec]? = nil
    public var inferRows: Int = 10_000

    // Values (SPEC 3)
    public var arrays: ArrayMode = .join
    public var arraySeparator: String = "|"
    public var nullValue: String = ""
    public var explode: [[String]] = []
    public var explodeDropEmpty: Bool = false
    /// `--tables` (SPEC 10): one table per array level instead of one flat table.
    public var tables: Bool = false

    // Sink (SPEC 4)
    public var format: OutputFormat = .csv
    /// `nil` writes to stdout.
    public var outputPath: String? = nil
    public var gzip: Bool = false
    public var gzipLevel: Int = 6
    public var delimiter: UInt8 = UInt8(ascii: ",")
    public var crlf: Bool = false
    public var header: Bool = true
    public var bom: Bool = false
    public var excelSafe: Bool = false
    public var headerStyle: HeaderStyle = .path
    public var splitRows: Int? = nil
    public var splitBytes: Int64? = nil
    public var manifest: Bool = false
    /// `--schema`: write `NAME.schema.json` beside the output (always with `--tables`).
    public var schema: Bool = false
    /// The `--target` preset these options came from, if any.
    public var target: WarehouseTarget? = nil

    // Errors (SPEC 5)
    public var onError: OnError = .fail
    public var rejectsPath: String? = nil
    public var maxErrors: Int? = nil
    public var maxLineBytes: Int = 64 << 20
    public var strict: Bool = false
    /// A string holding U+0000 (`"\u0000"`) is a bad line: set for database loads, as
    /// PostgreSQL text cannot hold that character (SPEC 11).
    public var rejectsNulCharacter: Bool = false

    public init() {}
}

public enum ArrayMode: String, Sendable, CaseIterable {
    case join, json, first
}

public enum OutputFormat: String, Sendable, CaseIterable {
    case csv, ndjson, raw
}

public enum HeaderStyle: String, Sendable, CaseIterable {
    case path, snake
}

public enum OnError: String, Sendable, CaseIterable {
    case fail, skip
}

/// One output column: its header name and the dot path it reads.
public struct ColumnSpec: Sendable, Hashable {
    public var name: String
    public var path: [String]

    public init(name: String, path: [String]) {
        self.name = name
        self.path = path
    }

    /// For each column, the first column with the same path: columns that read the same
    /// path share one list of values (the scanner walks each path once).
    package static func primaryIndices(_ columns: [ColumnSpec]) -> [Int] {
        var first: [[String]: Int] = [:]
        return columns.enumerated().map { index, column in
            if let earlier = first[column.path] { return earlier }
            first[column.path] = index
            return index
        }
    }

    public init(path dotted: String) {
        self.init(name: dotted, path: dotted.split(separator: ".", omittingEmptySubsequences: false).map(String.init))
    }
}

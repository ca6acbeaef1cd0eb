import MicsVocabulary
import MicsDecode
import MicsProject
import MicsSink
/// Convert settings as a user wrote them — on the command line or in a pipeline file —
/// every field optional (nil: not said). `resolve` applies the defaults in one place, and
/// `overridden(by:)` lets the command line win over a file.
public struct ConvertSettings: Sendable, Equatable {
    public var columns: String?
    public var query: String?
    public var queryFile: String?
    public var inferRows: Int?
    public var arrays: ArrayMode?
    public var arraySeparator: String?
    public var nullValue: String?
    public var explode: [String]?
    public var explodeDropEmpty: Bool?
    public var tables: Bool?
    public var format: OutputFormat?
    public var output: String?
    public var gzip: Bool?
    public var level: Int?
    public var delimiter: String?
    public var crlf: Bool?
    public var header: Bool?
    public var bom: Bool?
    public var excelSafe: Bool?
    public var headerStyle: HeaderStyle?
    public var splitRows: Int?
    public var splitBytes: String?
    public var manifest: Bool?
    public var schema: Bool?
    /// `--target`: a warehouse preset, filling only the fields not set (see `WarehouseTarget`).
    public var target: WarehouseTarget?
    public var onError: OnError?
    public var rejects: String?
    public var maxErrors: Int?
    public var maxLineBytes: Int?
    public var strict: Bool?

    public init() {}

    /// These settings, with every field that `other` sets taken from `other`.
    public func overridden(by other: ConvertSettings) -> ConvertSettings {
        var merged = self
        func take<T>(_ field: WritableKeyPath<ConvertSettings, T?>) {
            if let value = other[keyPath: field] { merged[keyPath: field] = value }
        }
        take(\.columns); take(\.query); take(\.queryFile); take(\.inferRows); take(\.arrays)
        take(\.arraySeparator); take(\.nullValue); take(\.explode); take(\.explodeDropEmpty); take(\.format)
        take(\.output); take(\.gzip); take(\.level); take(\.delimiter); take(\.crlf); take(\.header); take(\.bom)
        take(\.excelSafe); take(\.headerStyle); take(\.splitRows); take(\.splitBytes); take(\.manifest)
        take(\.tables); take(\.schema)
        take(\.target)
        take(\.onError); take(\.rejects); take(\.maxErrors); take(\.maxLineBytes); take(\.strict)
        // One source of columns: the more specific one wins as a whole.
        if other.columns != nil { merged.query = nil; merged.queryFile = nil }
        if other.query != nil { merged.columns = nil; merged.queryFile = nil }
        if other.queryFile != nil { merged.columns = nil; merged.query = nil }
        return merged
    }
}

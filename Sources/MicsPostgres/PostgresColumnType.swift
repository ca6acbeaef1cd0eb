/// A column's PostgreSQL type, one per §10 type (SPEC.md §10): the cell text, as written to CSV,
/// is read by this type's input function.
public enum PostgresColumnType: String, Sendable, CaseIterable {
    case boolean
    case bigint
    case numeric
    case doublePrecision = "double precision"
    case timestamptz
    case date
    case text
    case jsonb

    /// The spelling in SQL (fixed keywords: never from the data).
    public var sql: String { rawValue }
}

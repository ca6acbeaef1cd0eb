/// How each warehouse spells a column type (SPEC 10), in `columns --target`, the schema
/// file's loaders and direct loads:
///
/// | type      | PostgreSQL       | BigQuery   | Snowflake     | Redshift         | ClickHouse               |
/// |-----------|------------------|------------|---------------|------------------|--------------------------|
/// | boolean   | boolean          | BOOL       | BOOLEAN       | BOOLEAN          | Bool                     |
/// | integer   | bigint           | INT64      | BIGINT        | BIGINT           | Int64                    |
/// | decimal   | numeric          | BIGNUMERIC | NUMBER(38, s) | DECIMAL(38, s)   | Decimal(76, s)           |
/// | double    | double precision | FLOAT64    | FLOAT         | DOUBLE PRECISION | Float64                  |
/// | timestamp | timestamptz      | TIMESTAMP  | TIMESTAMP_TZ  | TIMESTAMPTZ      | DateTime64(6, 'UTC')     |
/// | date      | date             | DATE       | DATE          | DATE             | Date32                   |
/// | string    | text             | STRING     | VARCHAR       | VARCHAR(65535)   | String                   |
/// | json      | jsonb            | JSON       | VARCHAR       | SUPER            | String                   |
///
/// ClickHouse types are wrapped in `Nullable(…)`. A decimal's scale `s` is the most digits
/// seen after the point; where 38 digits cannot hold both the integer and the fraction
/// digits seen (Snowflake, Redshift), the column is text instead, so the load never fails
/// nor rounds. Snowflake reads a CSV field into VARIANT as a string, so JSON stays VARCHAR
/// there (`PARSE_JSON` when querying).
extension ColumnType {
    public func spelling(for target: WarehouseTarget, integerDigits: Int = 0, scale: Int = 0) -> String? {
        let fitsNumber38 = integerDigits + scale <= 38
        switch target {
        case .postgres:
            return ["boolean", "bigint", "numeric", "double precision", "timestamptz", "date", "text", "jsonb"][index]
        case .bigquery:
            return ["BOOL", "INT64", "BIGNUMERIC", "FLOAT64", "TIMESTAMP", "DATE", "STRING", "JSON"][index]
        case .snowflake:
            if self == .decimal { return fitsNumber38 ? "NUMBER(38, \(scale))" : "VARCHAR" }
            return ["BOOLEAN", "BIGINT", "", "FLOAT", "TIMESTAMP_TZ", "DATE", "VARCHAR", "VARCHAR"][index]
        case .redshift:
            if self == .decimal { return fitsNumber38 ? "DECIMAL(38, \(scale))" : "VARCHAR(65535)" }
            return ["BOOLEAN", "BIGINT", "", "DOUBLE PRECISION", "TIMESTAMPTZ", "DATE", "VARCHAR(65535)", "SUPER"][index]
        case .clickhouse:
            let inner = self == .decimal ? "Decimal(76, \(scale))"
                : ["Bool", "Int64", "", "Float64", "DateTime64(6, 'UTC')", "Date32", "String", "String"][index]
            return "Nullable(\(inner))"
        case .excel:
            return nil
        }
    }

    private var index: Int { Self.allCases.firstIndex(of: self)! }
}

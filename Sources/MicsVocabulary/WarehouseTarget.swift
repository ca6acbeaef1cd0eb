/// `--target`: the dialect each warehouse loads best, as settings a user could have typed.
///
/// A preset only fills what the user did not say: `preset.overridden(by: user)`. Each
/// choice is traced to the warehouse's documentation in the README ("Loading into a warehouse"):
///
/// | target     | null   | header | gzip | parts         | other                     |
/// |------------|--------|--------|------|---------------|---------------------------|
/// | bigquery   | empty  | snake  | yes  | 1GB (≤ 4 GB)  |                           |
/// | snowflake  | empty  | snake  | yes  | 250MB         |                           |
/// | redshift   | empty  | snake  | yes  | 256MB         | manifest                  |
/// | postgres   | empty  | snake  | no   | —             |                           |
/// | clickhouse | `\N`   | snake  | yes  | —             |                           |
/// | excel      | empty  | path   | no   | —             | BOM, CRLF, --excel-safe   |
///
/// Every preset writes CSV with `,`, quotes only where needed, `""` for the empty string
/// and the null text unquoted, so that NULL and "" stay apart where the loader can tell.
public enum WarehouseTarget: String, Sendable, CaseIterable {
    case bigquery, snowflake, redshift, postgres, clickhouse, excel
}

import MicsExport

/// `--load URL --table [SCHEMA.]NAME --if-exists fail|replace|append`, checked (SPEC.md §11).
///
/// The URL may come from `MICS_DATABASE_URL`, its gaps from libpq's `PG…` variables; a missing
/// table or a bad value is a usage error (64) whose text never holds the password.
package struct PostgresLoadRequest: Sendable {
    package var settings: PostgresSettings
    package var table: PostgresTableName
    package var ifExists: PostgresLoadSession.IfExists

    package init(settings: PostgresSettings, table: PostgresTableName, ifExists: PostgresLoadSession.IfExists = .fail) {
        self.settings = settings
        self.table = table
        self.ifExists = ifExists
    }

    /// - Parameter url: `--load`'s value; nil or empty: `MICS_DATABASE_URL`.
    package static func resolve(
        url: String?, table: String?, ifExists: String?, environment: [String: String]
    ) throws -> PostgresLoadRequest {
        do {
            guard let table, !table.isEmpty else {
                throw PostgresLoadError(.settings, "--load needs --table [SCHEMA.]NAME: the table to load into")
            }
            var mode = PostgresLoadSession.IfExists.fail
            if let ifExists {
                guard let parsed = PostgresLoadSession.IfExists(rawValue: ifExists) else {
                    throw PostgresLoadError(.settings, "--if-exists '\(ifExists)' is not fail, replace or append")
                }
                mode = parsed
            }
            let given = url.flatMap { $0.isEmpty ? nil : $0 }
            if given == nil && (environment["MICS_DATABASE_URL"] ?? "").isEmpty && environment["PGHOST"] == nil
                && environment["PGDATABASE"] == nil
            {
                throw PostgresLoadError(
                    .settings, "no database: give --load postgres://USER@HOST/DB or set MICS_DATABASE_URL")
            }
            return PostgresLoadRequest(
                settings: try PostgresSettings.resolve(url: given, environment: environment),
                table: try PostgresTableName(parsing: table), ifExists: mode)
        } catch let error as PostgresLoadError {
            throw error.exportError
        }
    }
}

extension PostgresOutput {
    /// The conversion settings for a load: CSV in PostgreSQL's dialect, the `postgres` preset's
    /// names (snake), `\u0000` a bad line. Options that only shape a file are refused (64).
    package static func prepare(_ s: inout ConvertSettings) throws {
        var refused: [String] = []
        if s.output != nil { refused.append("-o") }
        if let format = s.format, format != .csv { refused.append("--to \(format.rawValue)") }
        if s.gzip == true { refused.append("--gzip") }
        if s.level != nil { refused.append("--level") }
        if s.delimiter != nil { refused.append("--delimiter") }
        if s.crlf == true { refused.append("--crlf") }
        if s.bom == true { refused.append("--bom") }
        if s.excelSafe == true { refused.append("--excel-safe") }
        if s.nullValue != nil { refused.append("--null-value") }
        if s.splitRows != nil { refused.append("--split-rows") }
        if s.splitBytes != nil { refused.append("--split-bytes") }
        if s.manifest == true { refused.append("--manifest") }
        if s.schema == true { refused.append("--schema") }
        if let target = s.target, target != .postgres { refused.append("--target \(target.rawValue)") }
        guard refused.isEmpty else {
            throw ExportError(
                .usage, "\(refused.joined(separator: ", ")) shape\(refused.count == 1 ? "s" : "") a file; "
                    + "with --load the rows go into the database", hint: "drop \(refused.count == 1 ? "it" : "them"), or drop --load to write a file")
        }
        s.target = .postgres
        s.format = .csv
        s.gzip = false
        if s.tables == true {
            // --tables names its tables after the output: a name that is never written.
            s.output = "load.csv"
        }
    }
}

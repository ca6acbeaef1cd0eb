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

    /// A URL given, or one of `MICS_DATABASE_URL`, `PGHOST`, `PGDATABASE` set: where to load is said
    /// somewhere (libpq's other defaults alone are not taken as a choice).
    package static func namesADatabase(url: String?, environment: [String: String]) -> Bool {
        !(url ?? "").isEmpty || !(environment["MICS_DATABASE_URL"] ?? "").isEmpty || environment["PGHOST"] != nil
            || environment["PGDATABASE"] != nil
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
            if !namesADatabase(url: given, environment: environment) {
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
    /// A setting that only shapes a file, refused with a load: its flag and its pipeline key.
    package struct FileOnlySetting: Sendable, Equatable {
        /// As the command line says it: `-o`, `--to ndjson`.
        package var flag: String
        /// Where a pipeline file says it: `sink.path`, `projection.null-value`.
        package var key: String
    }

    /// The settings `prepare` refuses, in the order the help lists them (the command line and
    /// `validate` share this list).
    package static func fileOnlySettings(_ s: ConvertSettings) -> [FileOnlySetting] {
        var refused: [FileOnlySetting] = []
        func refuse(_ flag: String, _ key: String) { refused.append(FileOnlySetting(flag: flag, key: key)) }
        if s.output != nil { refuse("-o", "sink.path") }
        if let format = s.format, format != .csv { refuse("--to \(format.rawValue)", "sink.format") }
        if s.gzip == true { refuse("--gzip", "sink.gzip") }
        if s.level != nil { refuse("--level", "sink.level") }
        if s.delimiter != nil { refuse("--delimiter", "sink.delimiter") }
        if s.crlf == true { refuse("--crlf", "sink.crlf") }
        if s.bom == true { refuse("--bom", "sink.bom") }
        if s.excelSafe == true { refuse("--excel-safe", "sink.excel-safe") }
        if s.nullValue != nil { refuse("--null-value", "projection.null-value") }
        if s.splitRows != nil { refuse("--split-rows", "sink.split-rows") }
        if s.splitBytes != nil { refuse("--split-bytes", "sink.split-bytes") }
        if s.manifest == true { refuse("--manifest", "sink.manifest") }
        if s.schema == true { refuse("--schema", "sink.schema") }
        if let target = s.target, target != .postgres { refuse("--target \(target.rawValue)", "sink.target") }
        return refused
    }

    /// The conversion settings for a load: CSV in PostgreSQL's dialect, the `postgres` preset's
    /// names (snake), `\u0000` a bad line. Options that only shape a file are refused (64).
    package static func prepare(_ s: inout ConvertSettings) throws {
        let refused = fileOnlySettings(s).map(\.flag)
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

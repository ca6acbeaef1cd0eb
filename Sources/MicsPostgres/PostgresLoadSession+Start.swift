import NIOCore
import PostgresNIO

/// `open`: every check before the first byte is copied.
extension PostgresLoadSession {
    static func checkRequest(_ tables: [Table]) throws {
        var seenTables = Set<PostgresTableName>()
        for table in tables {
            guard seenTables.insert(table.name).inserted else {
                throw PostgresLoadError(.settings, "table \(table.name) is loaded twice")
            }
            if table.columns.isEmpty {
                throw PostgresLoadError(.settings, "table \(table.name) has no columns")
            }
            var seenColumns = Set<String>()
            for column in table.columns {
                do {
                    try PostgresTableName.check(column)
                } catch let error as PostgresLoadError {
                    throw PostgresLoadError(
                        .settings, "table \(table.name), column \(PostgresName.quoted(column)): \(error.message)")
                }
                guard seenColumns.insert(column).inserted else {
                    throw PostgresLoadError(
                        .settings, "table \(table.name) has the column \(PostgresName.quoted(column)) twice")
                }
            }
        }
    }

    func start(_ tables: [Table]) async throws {
        // Lets the server notice a vanished client in a long statement (PostgreSQL 14+; older
        // servers refuse the name, which changes nothing else).
        _ = try? await connection.query("SET client_connection_check_interval = 1000", logger: logger)
        try await execute("BEGIN", "starting the transaction")
        // Every check first: nothing is created until all tables pass.
        var resolved: [(target: PostgresTableName, existed: Bool, appendTypes: [String]?)] = []
        for table in tables {
            resolved.append(try await check(table))
        }
        for (table, found) in zip(tables, resolved) {
            let staging = try await makeStaging(table, target: found.target, temporary: found.appendTypes != nil)
            var buffer = ByteBufferAllocator().buffer(capacity: options.chunkBytes + options.chunkBytes / 4)
            buffer.clear()
            plans.append(
                Plan(
                    table: table, target: found.target, existed: found.existed, appendTypes: found.appendTypes,
                    staging: staging, copyTarget: Self.copyTarget(staging), buffer: buffer,
                    guess: staging.schema != "pg_temp" && options.guessIntegers
                        ? PostgresIntegerGuess(columns: table.columns.count) : nil))
        }
    }

    /// Where the table is (or will be), whether it exists, and under `append` the types of its columns.
    private func check(_ table: Table) async throws -> (
        target: PostgresTableName, existed: Bool, appendTypes: [String]?
    ) {
        // to_regclass resolves the name as the server would (search_path for an unqualified one).
        let found = try await rows(
            "SELECT n.nspname, c.relkind::text FROM pg_catalog.pg_class c "
                + "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = pg_catalog.to_regclass($1)",
            [table.name.sql], "looking for table \(table.name)")
        if let row = found.first {
            let target = try PostgresTableName(schema: row[0], name: table.name.name)
            guard row[1] == "r" || row[1] == "p" else {
                throw PostgresLoadError(.conflict, "\(target) exists and is not a table (relkind '\(row[1])')")
            }
            switch options.ifExists {
            case .fail:
                throw PostgresLoadError(
                    .conflict,
                    "table \(target) already exists (--if-exists replace swaps it, --if-exists append adds rows)")
            case .replace:
                return (target, true, nil)
            case .append:
                return (target, true, try await appendTypes(table, target: target))
            }
        }
        let schema: String
        if let given = table.name.schema {
            let exists = try await rows(
                "SELECT nspname FROM pg_catalog.pg_namespace WHERE nspname = $1", [given],
                "looking for schema \(PostgresName.quoted(given))")
            guard !exists.isEmpty else {
                throw PostgresLoadError(.conflict, "schema \(PostgresName.quoted(given)) does not exist")
            }
            schema = given
        } else {
            let current = try await rows("SELECT pg_catalog.current_schema()::text", [], "reading the current schema")
            guard let name = current.first?[0], !name.isEmpty else {
                throw PostgresLoadError(
                    .conflict, "no schema to create \(table.name) in (search_path is empty): name one, SCHEMA.NAME")
            }
            schema = name
        }
        return (try PostgresTableName(schema: schema, name: table.name.name), false, nil)
    }

    /// The existing table's type of each data column; an error naming the columns it lacks.
    private func appendTypes(_ table: Table, target: PostgresTableName) async throws -> [String] {
        let found = try await rows(
            "SELECT attname::text, pg_catalog.format_type(atttypid, atttypmod) FROM pg_catalog.pg_attribute "
                + "WHERE attrelid = pg_catalog.to_regclass($1) AND attnum > 0 AND NOT attisdropped",
            [target.sql], "reading the columns of \(target)")
        var types: [String: String] = [:]
        for row in found { types[row[0]] = row[1] }
        let missing = table.columns.filter { types[$0] == nil }
        guard missing.isEmpty else {
            let names = missing.map(PostgresName.quoted).joined(separator: ", ")
            throw PostgresLoadError(
                .conflict,
                "table \(target) has no column\(missing.count == 1 ? "" : "s") \(names) "
                    + "(--if-exists append adds rows, never columns)")
        }
        return table.columns.map { types[$0]! }
    }

    private func makeStaging(_ table: Table, target: PostgresTableName, temporary: Bool) async throws
        -> PostgresTableName
    {
        let suffix = String(UInt64.random(in: 0...UInt64.max), radix: 16)
        let columns = table.columns.map { PostgresName.quoted($0) + " text" }.joined(separator: ", ")
        if temporary || options.staging == .temporary {
            let staging = try PostgresTableName(schema: "pg_temp", name: "_mics_load_" + suffix)
            try await execute(
                "CREATE TEMPORARY TABLE \(PostgresName.quoted(staging.name)) (\(columns)) ON COMMIT DROP",
                "creating a staging table for \(target)")
            return staging
        }
        let staging = try target.sibling("_mics_load_" + suffix)
        try await execute("CREATE TABLE \(staging.sql) (\(columns))", "creating a staging table for \(target)")
        return staging
    }

    /// postgres-nio 1.33.2's `copyFrom` writes `COPY "<table>" FROM STDIN WITH (FORMAT text)` and
    /// has no binary format. We hand it, as the table, a name that closes its quote, asks for
    /// binary and turns its own options into a comment:
    ///
    ///     COPY "s"."_mics_load_1f" FROM STDIN WITH (FORMAT binary, FREEZE) --" FROM STDIN WITH (FORMAT text)
    ///
    /// Binary (`PostgresBinaryTranscoder`): the server stores the fields as sent instead of
    /// parsing CSV (the wide corpus: 0.08–0.11 s of the backend's CPU instead of 0.12–0.18 s).
    ///
    /// FREEZE: the staging table was created in this transaction (and no savepoint is ever
    /// made), so its rows can be written frozen — less work for the server now (psql's own COPY
    /// of the 52 MB narrow CSV: 7–9 % faster with FREEZE) and no hint-bit or freeze pass later. The MVCC caveat
    /// the docs give (rows visible to snapshots older than the COMMIT) is the one a rewrite of
    /// the table by `ALTER … TYPE` or `--if-exists replace` has anyway.
    ///
    /// Only our staging names and the schema (its quotes doubled) go in; a test pins the result.
    static func copyTarget(_ staging: PostgresTableName) -> String {
        let schema = staging.schema.map { PostgresName.quotedBody($0) + "\".\"" } ?? ""
        return schema + PostgresName.quotedBody(staging.name) + "\" FROM STDIN WITH (FORMAT binary, FREEZE) --"
    }
}

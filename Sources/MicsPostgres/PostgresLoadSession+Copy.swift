import NIOCore
import PostgresNIO

/// Chunks to `COPY`, staging to typed tables, and the statements in between.
extension PostgresLoadSession {
    /// Adds CSV rows (whole rows) to the table's tuples to send (`PostgresBinaryTranscoder`).
    /// Until the integer guess is made, the rows wait as CSV: the guess is made from the first chunk.
    func add<Bytes: Sequence>(_ index: Int, _ bytes: Bytes) async throws where Bytes.Element == UInt8 {
        if plans[index].guess?.decided == false {
            plans[index].pending.append(contentsOf: bytes)
            if plans[index].pending.count >= options.chunkBytes {
                try await decide(index)
            }
            return
        }
        let added = bytes.withContiguousStorageIfAvailable { transcode(index, UnsafeRawBufferPointer($0)) == .appended }
        if added != true {
            try await addTuples(index, Array(bytes))
        }
    }

    /// The tuples of `csv`; each cell that breaks the integer guess turns its column back to text first.
    private func addTuples(_ index: Int, _ csv: [UInt8]) async throws {
        while case .notAnInteger(let column) = csv.withUnsafeBytes({ transcode(index, $0) }) {
            try await unstage(index, csv, breaking: column)
        }
    }

    private func transcode(_ index: Int, _ csv: UnsafeRawBufferPointer) -> PostgresBinaryTranscoder.Outcome {
        let outcome = PostgresBinaryTranscoder(bigint: plans[index].guess?.staged ?? []).append(
            csv, to: &plans[index].buffer)
        if outcome == .appended { plans[index].bufferedCSVBytes += csv.count }
        return outcome
    }

    /// The integer guess from the table's first chunk (or all its rows, when fewer): its integer
    /// columns are staged as `bigint` while the table is still empty, then the chunk's tuples made.
    func decide(_ index: Int) async throws {
        guard var guess = plans[index].guess else { return }
        let csv = plans[index].pending
        plans[index].pending = []
        let columns = csv.withUnsafeBytes { guess.decide($0) }
        plans[index].guess = guess
        try await restage(index, columns, as: .bigint)
        try await addTuples(index, csv)
    }

    /// A cell of `csv` breaks the guess for `column`: the tuples so far (made for the columns as
    /// staged now) are sent, then every staged column that `csv` breaks turns back to text (a
    /// rewrite of the rows so far, exact: see `PostgresIntegerGuess`).
    private func unstage(_ index: Int, _ csv: [UInt8], breaking column: Int) async throws {
        if plans[index].buffer.readableBytes > 0 {
            try await flush(index)
        }
        guard var guess = plans[index].guess else { return }
        let columns = csv.withUnsafeBytes { guess.check($0, breaking: column) }
        plans[index].guess = guess
        try await restage(index, columns, as: .text)
    }

    /// Changes the staging type of `columns` (text ⇄ bigint), after ending the open COPY.
    private func restage(_ index: Int, _ columns: [Int], as type: PostgresColumnType) async throws {
        guard !columns.isEmpty else { return }
        try await endCopy()
        let plan = plans[index]
        let clauses = columns.map { PostgresName.quoted(plan.table.columns[$0]) }.map {
            "ALTER COLUMN \($0) TYPE \(type.sql) USING \($0)::\(type.sql)"
        }
        try await execute(
            "ALTER TABLE \(plan.staging.sql) \(clauses.joined(separator: ", "))", "staging rows for \(plan.target)")
    }

    /// Sends the table's tuples into the COPY that is open for it, ending the COPY of another
    /// table first: one COPY per run of chunks of one table (one in all for a flat load). The
    /// write suspends while the connection's socket is full: that is the backpressure.
    func flush(_ index: Int) async throws {
        // A COPY started on a closed connection would never be answered: stop here instead.
        if connection.isClosed { throw PostgresLoadError(.unreachable, "lost the connection to \(settings)") }
        let chunk = plans[index].buffer
        plans[index].buffer = ByteBufferAllocator().buffer(capacity: options.chunkBytes + options.chunkBytes / 4)
        plans[index].bufferedCSVBytes = 0
        if let open = copy, open.table != index {
            try await endCopy()
        }
        let open: PostgresOpenCopy
        if let copy {
            open = copy
        } else {
            open = try await PostgresOpenCopy.start(
                table: index, copyTarget: plans[index].copyTarget, connection: connection, watch: closeWatch, logger: logger)
            copy = open
            try await open.write(PostgresBinaryTranscoder.header)
        }
        try await open.write(chunk)
    }

    /// Ends the open COPY, if any (its trailer, then CopyDone), and waits for the server's
    /// answer: every row sent is in.
    func endCopy() async throws {
        guard let open = copy else { return }
        // Still the open COPY while the trailer is written: a rollback now cancels it.
        try await open.write(PostgresBinaryTranscoder.trailer)
        copy = nil
        try await open.finish()
        try Task.checkCancellation()
    }

    /// The typed table from its staging table.
    func makeTyped(_ plan: Plan, types: [PostgresColumnType]) async throws {
        let what = "making table \(plan.target)"
        let columns = plan.table.columns.map(PostgresName.quoted)
        if let appendTypes = plan.appendTypes {
            // Each cell text read by the existing column's own type.
            let casts = zip(columns, appendTypes).map { "CAST(\($0) AS \($1))" }.joined(separator: ", ")
            try await execute(
                "INSERT INTO \(plan.target.sql) (\(columns.joined(separator: ", "))) SELECT \(casts) "
                    + "FROM \(plan.staging.sql)", "adding rows to \(plan.target)")
            return
        }
        if plan.existed {
            try await execute("DROP TABLE \(plan.target.sql)", "dropping the old \(plan.target) (--if-exists replace)")
        }
        if plan.staging.schema == "pg_temp" {
            let definitions = zip(columns, types).map { "\($0) \($1.sql)" }.joined(separator: ", ")
            let casts = zip(columns, types).map { $1 == .text ? $0 : "\($0)::\($1.sql)" }.joined(separator: ", ")
            try await execute("CREATE TABLE \(plan.target.sql) (\(definitions))", what)
            try await execute("INSERT INTO \(plan.target.sql) SELECT \(casts) FROM \(plan.staging.sql)", what)
            return
        }
        let staged = plan.guess?.staged ?? Array(repeating: false, count: columns.count)
        let clauses = zip(columns, types).enumerated().compactMap { j, column -> String? in
            let (name, type) = column
            if staged[j] {
                // Staged as bigint: its text is each cell as written (PostgresIntegerGuess).
                return type == .bigint ? nil : "ALTER COLUMN \(name) TYPE \(type.sql) USING \(name)::text::\(type.sql)"
            }
            return type == .text ? nil : "ALTER COLUMN \(name) TYPE \(type.sql) USING \(name)::\(type.sql)"
        }
        if !clauses.isEmpty {
            // One ALTER TABLE: the table is rewritten once, whatever the number of typed columns.
            try await execute("ALTER TABLE \(plan.staging.sql) \(clauses.joined(separator: ", "))", what)
        }
        try await execute(
            "ALTER TABLE \(plan.staging.sql) RENAME TO \(PostgresName.quoted(plan.target.name))", what)
    }

    func execute(_ sql: String, _ what: String) async throws {
        do {
            try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger)
        } catch {
            throw mapped(error, what)
        }
    }

    /// Rows of text columns, for catalog lookups; values go in as bind parameters, never into the SQL.
    func rows(_ sql: String, _ binds: [String], _ what: String) async throws -> [[String]] {
        var bindings = PostgresBindings(capacity: binds.count)
        for value in binds { bindings.append(value) }
        do {
            var out: [[String]] = []
            for try await row in try await connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger) {
                out.append(try row.map { try $0.decode(String?.self) ?? "" })
            }
            return out
        } catch {
            throw mapped(error, what)
        }
    }

    /// Our error for anything a statement or a COPY threw; ours pass through unchanged.
    func mapped(_ error: any Error, _ what: String) -> PostgresLoadError {
        if let ours = error as? PostgresLoadError { return ours }
        if error is CancellationError { return PostgresLoadError(.cancelled, "\(what): cancelled") }
        if error is ConnectionLost { return PostgresLoadError(.unreachable, "\(what): lost the connection to \(settings)") }
        guard let psql = error as? PSQLError else {
            return PostgresLoadError(.unreachable, "\(what) in \(settings): \(PostgresConnector.describe(error))")
        }
        switch psql.code {
        case .server:
            let info = psql.serverInfo
            let state = info?[.sqlState] ?? "?"
            var text = "\(what): \(info?[.message] ?? "error")"
            if let detail = info?[.detail] { text += " (\(detail))" }
            if let context = info?[.locationContext] { text += "; \(context)" }
            text += " [SQLSTATE \(state)]"
            if state.hasPrefix("08") || state == "57P01" {
                return PostgresLoadError(.unreachable, text)
            }
            if state == "57014" { return PostgresLoadError(.cancelled, "\(what): cancelled") }
            return PostgresLoadError(.server(sqlState: state), text)
        case .queryCancelled:
            return PostgresLoadError(.cancelled, "\(what): cancelled")
        case .serverClosedConnection, .connectionError, .uncleanShutdown, .clientClosedConnection:
            return PostgresLoadError(.unreachable, "\(what): lost the connection to \(settings)")
        default:
            return PostgresLoadError(.server(sqlState: "?"), "\(what): \(psql.code)")
        }
    }
}

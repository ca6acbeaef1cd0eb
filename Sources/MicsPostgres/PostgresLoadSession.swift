import Logging
import NIOCore
import PostgresNIO

/// One load, all or nothing: one connection, one transaction (SPEC.md §11).
///
/// ```
/// open ─▶ BEGIN ─▶ checks (exists? columns?) ─▶ staging tables, text columns
/// write(table, CSV rows) ×N ─▶ per table: binary COPY tuples (PostgresBinaryTranscoder) ─▶ ~256 KiB
///                              chunks into one open COPY … FROM STDIN (FORMAT binary, FREEZE),
///                              until another table's turn
/// finish(types) ─▶ typed tables from staging (casts) ─▶ COMMIT
/// rollback() / abort() / any error ─▶ ROLLBACK (or the connection closed: the server rolls back)
/// ```
///
/// Rows arrive as bytes in PostgreSQL's CSV dialect (`,`, `"` quotes, NULL an unquoted empty
/// field, the empty string `""`), no header, each `write` ending at a row end. Every checkable
/// mistake (a table that exists under `fail`, a column `append` would not find) is found in
/// `open`, before a byte is copied; the types come only at `finish`.
///
/// Not safe for concurrent calls: one caller drives a session, call after call.
public final class PostgresLoadSession: @unchecked Sendable {
    /// What to do when a table is already there.
    public enum IfExists: String, Sendable, CaseIterable {
        /// An error, before anything is written (the default).
        case fail
        /// The new table takes the old one's place in the same transaction (the old one is dropped).
        case replace
        /// Rows added to it; a data column it lacks is an error. A missing table is created.
        case append
    }

    /// A table to load: its name and its data columns, in the CSV's order.
    public struct Table: Sendable, Equatable {
        public var name: PostgresTableName
        public var columns: [String]

        public init(name: PostgresTableName, columns: [String]) {
            self.name = name
            self.columns = columns
        }
    }

    /// What a finished load did to one table.
    public struct Loaded: Sendable, Equatable {
        public var table: PostgresTableName
        public var rows: Int
        /// The table was there before (replaced or appended to).
        public var existed: Bool
    }

    /// Where rows wait before the typed tables are made.
    public enum Staging: Sendable {
        /// A real table in the target's schema, renamed into place at the end (an all-text table
        /// needs no second copy; typed columns are converted by one `ALTER TABLE … TYPE` rewrite).
        case inPlace
        /// A temporary table (not WAL-logged), copied into the typed table with `INSERT … SELECT`.
        case temporary
    }

    public struct Options: Sendable {
        /// Bytes of CSV per table whose tuples are buffered before they are sent to the server (a
        /// `CopyData` message).
        public var chunkBytes: Int = 256 << 10
        public var ifExists: IfExists = .fail
        /// For new and replaced tables; `append` always stages in a temporary table.
        public var staging: Staging = .inPlace
        /// In-place staging: a column whose cells are canonical integers is staged as `bigint`
        /// (`PostgresIntegerGuess`), so that one typed `bigint` in the end needs no rewrite.
        public var guessIntegers = true

        public init(
            ifExists: IfExists = .fail, chunkBytes: Int = 256 << 10, staging: Staging = .inPlace,
            guessIntegers: Bool = true
        ) {
            self.ifExists = ifExists
            self.chunkBytes = max(1, chunkBytes)
            self.staging = staging
            self.guessIntegers = guessIntegers
        }
    }

    struct Plan {
        var table: Table
        /// The table to make or fill, schema-qualified.
        var target: PostgresTableName
        var existed: Bool
        /// `append` into an existing table: each data column's type there, as `format_type` spells it.
        var appendTypes: [String]?
        var staging: PostgresTableName
        /// The text after `COPY "` (see `copyTarget`).
        var copyTarget: String
        /// Binary COPY tuples waiting to be sent (`PostgresBinaryTranscoder`).
        var buffer: ByteBuffer
        /// The size of the CSV rows whose tuples are in `buffer`: a chunk goes once they reach
        /// `chunkBytes`, as many chunks as the CSV made. (Tuples of small integers are 2–3x their
        /// CSV; counting tuples made 109 COPYs instead of 62 for the wide corpus with `--tables`,
        /// each restart a wait for the server.)
        var bufferedCSVBytes = 0
        /// CSV rows waiting for the integer guess, made from the table's first chunk.
        var pending: [UInt8] = []
        var rows = 0
        /// In-place staging: the columns staged as `bigint` so far.
        var guess: PostgresIntegerGuess?
    }

    enum State { case open, finished, failed }

    let connection: PostgresConnection
    let settings: PostgresSettings
    let options: Options
    let logger: Logger
    var plans: [Plan] = []
    /// The COPY that is open (at most one on a connection).
    var copy: PostgresOpenCopy?
    var state = State.open
    /// Fails what a COPY waits for when the connection closes.
    let closeWatch: CloseWatch

    init(connection: PostgresConnection, settings: PostgresSettings, options: Options, logger: Logger) {
        self.connection = connection
        self.closeWatch = CloseWatch(connection)
        self.settings = settings
        self.options = options
        self.logger = logger
    }

    /// Connects, begins the transaction, checks every table and makes the staging tables.
    /// On any error the transaction is rolled back and the connection closed before it throws.
    public static func open(
        connector: PostgresConnector, tables: [Table], options: Options = .init(),
        logger: Logger = PostgresConnector.silentLogger
    ) async throws -> PostgresLoadSession {
        try checkRequest(tables)
        let connection = try await connector.connect(logger: logger)
        let session = PostgresLoadSession(
            connection: connection, settings: connector.settings, options: options, logger: logger)
        do {
            try await session.start(tables)
        } catch {
            await session.rollback()
            throw session.mapped(error, "preparing the load")
        }
        return session
    }

    /// Appends CSV rows (whole rows, no header) for `table` (its index in `open`'s list).
    /// Suspends while the connection cannot take the next chunk: that is the backpressure.
    /// An error (or the task's cancellation) rolls the load back before it is thrown.
    public func write<Bytes: Sequence>(table index: Int, csv bytes: Bytes, rows: Int) async throws
    where Bytes.Element == UInt8 {
        try checkOpen()
        do {
            try Task.checkCancellation()
            try await add(index, bytes)
            plans[index].rows += rows
            if plans[index].bufferedCSVBytes >= options.chunkBytes {
                try await flush(index)
            }
        } catch {
            await rollback()
            throw mapped(error, "copying rows into \(plans[index].target)")
        }
    }

    /// Sends what is buffered, makes the typed tables (`types[i][j]`: table i, column j), commits,
    /// and closes the connection. Nothing is committed when the task was cancelled first.
    public func finish(types: [[PostgresColumnType]]) async throws -> [Loaded] {
        try checkOpen()
        precondition(types.count == plans.count, "one list of types per table")
        do {
            for index in plans.indices {
                if plans[index].guess?.decided == false && !plans[index].pending.isEmpty {
                    try await decide(index)
                }
                if plans[index].buffer.readableBytes > 0 {
                    try await flush(index)
                }
            }
            try await endCopy()
            for index in plans.indices {
                precondition(types[index].count == plans[index].table.columns.count, "one type per column")
                try await makeTyped(plans[index], types: types[index])
            }
            try Task.checkCancellation()
            try await execute("COMMIT", "committing")
        } catch {
            await rollback()
            throw mapped(error, "finishing the load")
        }
        state = .finished
        try? await connection.close()
        return plans.map { Loaded(table: $0.target, rows: $0.rows, existed: $0.existed) }
    }

    /// Rolls back and closes: the tables are as they were. Safe to call at any time, more than once.
    public func rollback() async {
        guard state == .open else { return }
        state = .failed
        if let open = copy {
            // Failing the COPY makes postgres-nio send CopyFail; the server then leaves copy mode.
            copy = nil
            await open.cancel()
        }
        // A closed connection: the server has rolled back (and a statement sent now might never be answered).
        guard !connection.isClosed else { return closeNow() }
        do {
            try await connection.query("ROLLBACK", logger: logger)
            try await connection.close()
        } catch {
            closeNow()
        }
    }

    /// Rollback without waiting: closes the connection (after failing the open COPY). The server
    /// rolls the transaction back when it sees the connection gone — at once in a COPY, within a
    /// second in a long statement (`client_connection_check_interval`, set in `open`).
    public func abort() {
        guard state == .open else { return }
        state = .failed
        closeAfterCopy()
    }

    /// Returns once the connection is closed, after `abort` or `rollback` (at once after `finish`):
    /// the server has seen the session end, and rolls back what it had not committed.
    public func closed() async {
        guard state != .open else { return }
        try? await connection.closeFuture.get()
    }

    deinit {
        if state == .open { closeAfterCopy() }
    }

    /// Closes the connection, failing the open COPY first: postgres-nio 1.33.2 stops the process
    /// (a precondition) when a connection is closed in copy mode. CopyFail takes a round trip;
    /// if the process exits before it is sent, the socket closes with it and the server rolls
    /// back all the same.
    func closeAfterCopy() {
        guard let open = copy else { return closeNow() }
        copy = nil
        let connection = self.connection
        Task {
            await open.cancel()
            let closed: EventLoopFuture<Void> = connection.close()
            closed.whenComplete { _ in withExtendedLifetime(connection) {} }
        }
    }

    /// Closes the channel without waiting (the future-returning `close`, not the async one).
    /// The connection is kept alive until the close is done (postgres-nio asserts that a
    /// connection is closed before it goes away).
    func closeNow() {
        let connection = self.connection
        let closed: EventLoopFuture<Void> = connection.close()
        closed.whenComplete { _ in withExtendedLifetime(connection) {} }
    }

    func checkOpen() throws {
        switch state {
        case .open: return
        case .finished: throw PostgresLoadError(.cancelled, "the load into \(settings) is already committed")
        case .failed: throw PostgresLoadError(.cancelled, "the load into \(settings) was rolled back")
        }
    }
}

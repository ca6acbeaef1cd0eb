import Foundation
import MicsExport

/// The database as the convert pipeline's output (SPEC.md §11): one `OutputStage` per table
/// (one for a flat conversion, one per array level with `--tables`), all in one load session.
///
/// ```
/// runner ── factory(request) ×T ──▶ PostgresTableStage ×T ──┐   (the tables are only listed)
///        ── begin ────────────────▶ first begin ────────────┼─▶ open: connect, BEGIN, checks, staging
///        ── write(block) ─────────▶ stage t ────────────────┼─▶ session.write(table: t) → COPY chunks
///        ── willCommit(schema) ───▶ stage t: its types ─────┤
///        ── commit ───────────────▶ first commit ───────────┼─▶ finish(types): typed tables, COMMIT
///        ── abort ────────────────▶ any stage ──────────────┴─▶ close: the server rolls back
/// ```
///
/// A run that starts over (a download whose file changed under a resume, `InputChanged`; late
/// arrays with `--tables`) aborts its stages and asks the factory again: that starts a new
/// load — a new connection and transaction, opened once the aborted one's connection is
/// closed — so the tables end with the new run's rows only, loaded once.
///
/// The runner drives every stage from its one writer task, one call at a time.
// @unchecked: state is touched only from the runner's writer task (see above).
package final class PostgresOutput: @unchecked Sendable {
    package let request: PostgresLoadRequest
    let connector: PostgresConnector
    /// The run's load; a new one when a run starts over.
    private var current: Load?
    /// How many loads were started (1 + the runs that started over).
    package private(set) var loads = 0
    /// What the load did, table by table, once committed.
    package var loaded: [PostgresLoadSession.Loaded] { current?.loaded ?? [] }

    package init(request: PostgresLoadRequest, connector: PostgresConnector? = nil) {
        self.request = request
        self.connector = connector ?? PostgresConnector(settings: request.settings)
    }

    /// The factory the convert runner asks for each table's stage.
    package var stages: OutputStageFactory {
        { [self] table in try self.makeStage(table) }
    }

    private func makeStage(_ table: TableStageRequest) throws -> any OutputStage {
        // A stage asked for after the load began (or was aborted) belongs to a run that starts over.
        if current == nil || current!.began {
            current = Load(output: self, previous: current)
            loads += 1
        }
        return try current!.makeStage(table)
    }

    /// `loaded 1,234 rows into "public"."users" (replaced)`, one line per table.
    package func report() -> [String] {
        loaded.map { table in
            let how = table.existed ? (request.ifExists == .replace ? " (replaced)" : " (appended)") : ""
            return "loaded \(table.rows) row\(table.rows == 1 ? "" : "s") into \(table.table)\(how)"
        }
    }

    /// The convert pipeline with this database as its output (`convert`, `pull` and `run` all
    /// come here): `\u0000` is a bad line (PostgreSQL text cannot hold it), no schema file (the
    /// database holds the schema), and the summary ends with the rows loaded per table.
    package func run(
        inputs: [InputSource], options: ConvertOptions, progress: ConvertRunner.Progress? = nil
    ) async throws -> ConvertSummary {
        var options = options
        options.rejectsNulCharacter = true
        options.schema = false
        var summary = try await ConvertRunner.run(inputs: inputs, options: options, progress: progress, stages: stages)
        summary.loaded = report()
        return summary
    }

    /// One run's load: its tables, its session, its types.
    // @unchecked: as PostgresOutput, touched only from the runner's writer task.
    fileprivate final class Load: @unchecked Sendable {
        unowned let output: PostgresOutput
        /// The aborted load of the run before, closed before this one opens.
        private var previous: Load?
        private var tables: [PostgresLoadSession.Table] = []
        private var rootRequestName: String?
        private var session: PostgresLoadSession?
        private var types: [[PostgresColumnType]?] = []
        private var bytesSent: [Int64] = []
        private var failed = false
        /// `begin` was called (or the load was aborted): a stage asked for now is a new run's.
        private(set) var began = false
        private(set) var loaded: [PostgresLoadSession.Loaded] = []

        init(output: PostgresOutput, previous: Load?) {
            self.output = output
            self.previous = previous
        }

        var request: PostgresLoadRequest { output.request }

        func makeStage(_ table: TableStageRequest) throws -> any OutputStage {
            let name: PostgresTableName
            do {
                if let root = rootRequestName {
                    // A child table: `ROOT__emails` → `--table` name + `__emails`.
                    let suffix = table.name.hasPrefix(root + "__") ? String(table.name.dropFirst(root.count)) : "__" + table.name
                    name = try request.table.sibling(request.table.name + suffix)
                } else {
                    rootRequestName = table.name
                    name = request.table
                }
            } catch let error as PostgresLoadError {
                throw error.exportError
            }
            tables.append(PostgresLoadSession.Table(name: name, columns: table.names))
            types.append(nil)
            bytesSent.append(0)
            return PostgresTableStage(load: self, index: tables.count - 1)
        }

        /// Opens the session on the first `begin`, when every table is known (and the run
        /// before, if any, has closed its connection: the server has its rollback in hand).
        func begin() async throws {
            began = true
            guard session == nil, !failed else { return }
            if let previous {
                self.previous = nil
                await previous.closed()
            }
            do {
                session = try await PostgresLoadSession.open(
                    connector: output.connector, tables: tables, options: .init(ifExists: request.ifExists))
            } catch let error as PostgresLoadError {
                failed = true
                throw error.exportError
            }
        }

        func write(_ index: Int, _ bytes: [UInt8], rows: Int) async throws {
            guard let session else { throw ExportError(.other, "the load into \(request.settings) is not open") }
            if bytes.withUnsafeBytes({ $0.baseAddress.map { memchr($0, 0, bytes.count) != nil } ?? false }) {
                // The converter rejects such lines first (a bad line with its number); this is the backstop.
                session.abort()
                throw ExportError(.badInput, "a value holds the character U+0000, which PostgreSQL text cannot hold")
            }
            do {
                try await session.write(table: index, csv: bytes, rows: rows)
            } catch let error as PostgresLoadError {
                failed = true
                throw error.exportError
            }
            bytesSent[index] += Int64(bytes.count)
        }

        func willCommit(_ index: Int, _ schema: TableSchema) {
            types[index] = schema.columns.map { PostgresColumnType($0.type) }
        }

        /// Makes the typed tables and commits, on the first `commit`, once every table has its types.
        func commit() async throws {
            guard let session, loaded.isEmpty else { return }
            let all = types.enumerated().map { index, types in
                types ?? Array(repeating: .text, count: tables[index].columns.count)
            }
            do {
                loaded = try await session.finish(types: all)
            } catch let error as PostgresLoadError {
                failed = true
                throw error.exportError
            }
        }

        func abort() {
            began = true
            failed = true
            session?.abort()
        }

        /// Returns once an aborted load's connection is closed (at once if it never opened one).
        func closed() async {
            await session?.closed()
        }

        func bytesOut(_ index: Int) -> Int64 { bytesSent[index] }
    }
}

/// One table of a load, as the runner sees it.
final class PostgresTableStage: OutputStage {
    fileprivate let load: PostgresOutput.Load
    let index: Int

    fileprivate init(load: PostgresOutput.Load, index: Int) {
        self.load = load
        self.index = index
    }

    /// The header is dropped: the columns are named when the staging tables are made.
    func begin(preamble: [UInt8]) async throws { try await load.begin() }
    func write(_ bytes: [UInt8], rows: Int, rowEnds: [Int32]) async throws {
        try await load.write(index, bytes, rows: rows)
    }
    func willCommit(_ table: TableSchema) async throws { load.willCommit(index, table) }
    func commit() async throws { try await load.commit() }
    func abort() { load.abort() }
    var bytesOut: Int64 { load.bytesOut(index) }
    var outputs: [String]? { [] }
}

extension PostgresColumnType {
    /// SPEC.md §10's PostgreSQL spelling of each type.
    init(_ type: ColumnType) {
        switch type {
        case .boolean: self = .boolean
        case .integer: self = .bigint
        case .decimal: self = .numeric
        case .double: self = .doublePrecision
        case .timestamp: self = .timestamptz
        case .date: self = .date
        case .string: self = .text
        case .json: self = .jsonb
        }
    }
}

extension PostgresLoadError {
    /// The pipeline's error, with the exit code of SPEC.md §5.
    package var exportError: ExportError {
        switch kind {
        case .settings: return ExportError(.usage, message)
        case .unreachable, .loginRefused: return ExportError(.unavailable, message)
        case .conflict, .server, .cancelled: return ExportError(.other, message)
        }
    }
}

import MicsVocabulary
import MicsDecode
import MicsProject
import MicsSink
import AsyncAlgorithms
import Foundation

/// The convert pipeline, wired once:
///
/// ```
/// reader task            parse workers (×2)               writer (this task)      deflate task
/// read ─▶ inflate ─▶ ─┬─▶ frame ─▶ scan ─▶ write rows ─┬─▶ in order ─▶ file  or ─▶ gzip ─▶ file
///         LineBlocker ─┘   (round robin, 1 MiB blocks) └─▶ rejects, counts, progress
/// ```
/// Blocks go to the workers in turn and come back in the same turn, so the output keeps
/// the input's order with no reordering buffer. Every boundary carries ≈1 MiB.
///
/// With `--tables` each worker writes every table's rows of a block (without the record
/// number, which only the writer loop knows), and the writer loop numbers them and hands
/// each table's bytes to its own output stage; the schema file comes last.
public enum ConvertRunner {
    public typealias Progress = @Sendable (ProgressSnapshot) -> Void

    public static func run(inputs: [InputSource], options: ConvertOptions, progress: Progress? = nil) async throws -> ConvertSummary {
        try await run(inputs: inputs, options: options, progress: progress, stages: OutputStages.files)
    }

    /// - Parameters:
    ///   - stages: makes each table's output stage (one for a flat conversion): files by
    ///     default; a database loader plugs in its own.
    ///   - schemaSource: where the data came from, as a JSON object's text, written under
    ///     `"source"` in the schema file (a pull's lineage); nil for files.
    ///
    /// An input that changes while it is read (`InputChanged`: a download resumed onto a newer
    /// file) makes the whole run start over, from every input's first byte, at most
    /// `restartsOnChange` times: the stages were aborted, so nothing of the old version stays.
    package static func run(inputs: [InputSource], options: ConvertOptions, progress: Progress? = nil,
                            stages: @escaping OutputStageFactory, schemaSource: String? = nil) async throws -> ConvertSummary {
        var restarts = 0
        while true {
            do {
                return try await runOnce(inputs: inputs, options: options, progress: progress, stages: stages,
                                         schemaSource: schemaSource)
            } catch let changed as InputChanged {
                restarts += 1
                guard restarts <= restartsOnChange else {
                    throw ExportError(.unavailable, "\(changed), \(restarts) times in a row; nothing was written",
                                      hint: "the files are being rewritten; pull again when the export is stable")
                }
            }
        }
    }

    /// How many times a run starts over when an input changes under it.
    package static let restartsOnChange = 3

    private static func runOnce(inputs: [InputSource], options: ConvertOptions, progress: Progress?,
                                stages: @escaping OutputStageFactory, schemaSource: String?) async throws -> ConvertSummary {
        let started = ContinuousClock.now
        let tuned = MallocTuning.apply()
        assert(tuned != 0, "the C library refused the malloc settings")
        var inputs = inputs
        var columns: [ColumnSpec]
        var arrays: Set<[String]> = []
        // --tables over files with the columns given: the arrays of the first --infer-rows
        // records decide, and a later array makes the run start over after an exact pass
        // (the same tables as an exact first pass, in one pass when the data is regular).
        let optimistic = options.tables && options.columns != nil && inputs.allSatisfy(\.rereadable)
        if options.format == .raw {
            columns = options.columns ?? []
        } else if options.tables || options.columns == nil {
            // The columns and, for --tables, the arrays: an exact pass over files, a sample of a stream.
            let learned = try await ColumnInference.learn(inputs: inputs, options: options, columns: options.columns,
                                                          sample: optimistic ? options.inferRows : nil)
            (columns, arrays, inputs) = (learned.columns, learned.arrays, learned.inputs)
        } else {
            columns = options.columns ?? []
        }
        func convert(_ arrays: Set<[String]>, restartOnLateArrays: Bool) async throws -> (ConvertSummary, OutputLayout) {
            let layout = OutputLayout(columns: columns, arrays: arrays, options: options)
            let restart = restartOnLateArrays
            switch options.format {
            case .csv:
                return (try await run(inputs, columns, layout, options, progress, stages, schemaSource, restart) {
                    CSVRowWriter(names: $0, keyCount: $1, options: options)
                }, layout)
            case .ndjson:
                return (try await run(inputs, columns, layout, options, progress, stages, schemaSource, restart) {
                    NDJSONRowWriter(names: $0, keyCount: $1, options: options)
                }, layout)
            case .raw:
                return (try await run(inputs, columns, layout, options, progress, stages, schemaSource, restart) { _, _ in
                    RawRecordWriter()
                }, layout)
            }
        }
        var summary: ConvertSummary
        var layout: OutputLayout
        do {
            (summary, layout) = try await convert(arrays, restartOnLateArrays: optimistic)
        } catch is LateArraysFound {
            // Nothing was kept (the stages were aborted): learn every array, convert again.
            let exact = try await ColumnInference.learn(inputs: inputs, options: options, columns: columns)
            (summary, layout) = try await convert(exact.arrays, restartOnLateArrays: false)
        }
        summary.columns = options.format == .raw ? [] : layout.tables[0].names
        summary.seconds = (ContinuousClock.now - started).seconds
        return summary
    }

    private static func run<Writer: RowWriter & Sendable>(
        _ inputs: [InputSource], _ columns: [ColumnSpec], _ layout: OutputLayout,
        _ options: ConvertOptions, _ progress: Progress?, _ stages: OutputStageFactory, _ schemaSource: String?,
        _ restartOnLateArrays: Bool, writer makeWriter: ([String], Int) -> Writer
    ) async throws -> ConvertSummary {
        let writers = layout.tables.map { makeWriter($0.names, $0.keyCount) }
        let writer = writers[0]
        let tables = layout.plan.map { (plan: $0, writers: writers) }
        let prefixes = writers.map(\.tableRowPrefix)
        let workerCount = max(1, min(2, ProcessInfo.processInfo.activeProcessorCount))
        let blockChannels = (0..<workerCount).map { _ in AsyncThrowingChannel<LineBlock, Error>() }
        let resultChannels = (0..<workerCount).map { _ in AsyncThrowingChannel<ConvertedBlock, Error>() }
        let sourceNames = inputs.map(\.name)
        let totalBytes = inputs.allSatisfy { $0.size != nil } ? inputs.reduce(Int64(0)) { $0 + ($1.size ?? 0) } : nil

        var sinks: [any OutputStage] = []
        let rejects: RejectsFile?
        do {
            for table in layout.tables {
                sinks.append(try stages(TableStageRequest(name: table.name, names: table.names, keyCount: table.keyCount,
                                                          options: layout.options(for: table, options))))
            }
            rejects = try options.rejectsPath.map { try RejectsFile(path: $0) }
        } catch {
            for sink in sinks { sink.abort() }
            throw error
        }
        var summary = ConvertSummary()
        var tableRows = Array(repeating: 0, count: sinks.count)
        do {
            summary = try await withThrowingTaskGroup(of: WorkerReport?.self) { group in
                group.addTask {
                    await BlockReader.read(inputs, options: options, into: blockChannels)
                    return nil
                }
                for worker in 0..<workerCount {
                    group.addTask {
                        var converter = BlockConverter(columns: columns, writer: writer, options: options,
                                                       trackDrift: options.format != .raw, tables: tables)
                        do {
                            for try await block in blockChannels[worker] {
                                var inputBytes = block.inputBytes
                                var partial = true
                                while partial {
                                    var converted = converter.convert(block, sourceName: sourceNames[block.sourceIndex])
                                    converted.inputBytes = inputBytes
                                    inputBytes = 0
                                    partial = converted.isPartial
                                    await resultChannels[worker].send(converted)
                                }
                            }
                            resultChannels[worker].finish()
                        } catch {
                            resultChannels[worker].fail(error)
                        }
                        return WorkerReport(drift: DriftReport(converter.scanner.trie, columns: columns, tables: tables != nil),
                                            types: converter.types)
                    }
                }
                var summary = ConvertSummary()
                let meter = ProgressMeter(total: totalBytes, report: progress)
                for (sink, writer) in zip(sinks, writers) { try await sink.begin(preamble: writer.preamble()) }
                var iterators = resultChannels.map { $0.makeAsyncIterator() }
                var turn = 0
                writing: while true {
                    guard let block = try await iterators[turn].next() else { break writing }
                    // A partial block: the rest comes from the same worker.
                    if !block.isPartial { turn = (turn + 1) % workerCount }
                    let recordsBefore = summary.records
                    summary.bytesIn += block.inputBytes
                    summary.records += block.records
                    summary.rows += block.rows
                    summary.blankLines += block.blankLines
                    summary.rejected += block.rejects.count
                    summary.excelSafeChanges += block.excelSafeChanges
                    try rejects?.append(block.rejects)
                    if let failure = block.failure { throw failure }
                    if let limit = options.maxErrors, summary.rejected > limit {
                        throw ExportError(.badInput, "more than \(limit) bad lines (--max-errors \(limit))",
                                          at: block.rejects.last.map { "\($0.source):\($0.line)" },
                                          hint: "see the rejects file for each line and its reason")
                    }
                    if tables == nil {
                        try await sinks[0].write(block.bytes, rows: block.rows, rowEnds: block.rowEnds)
                        tableRows[0] += block.rows
                    } else {
                        // Each table's rows, numbered: `_row` is the record's number over the whole run.
                        for (t, output) in block.tables.enumerated() where !output.rowEnds.isEmpty {
                            let rows = output.assembled(prefix: prefixes[t], firstRecord: recordsBefore + 1)
                            try await sinks[t].write(rows.bytes, rows: rows.rowEnds.count, rowEnds: rows.rowEnds)
                            tableRows[t] += rows.rowEnds.count
                        }
                    }
                    meter.update(bytesIn: summary.bytesIn, rows: summary.rows)
                }
                var drift = DriftReport()
                var types: [[ColumnTypeState]] = writers.map(\.types)
                for try await report in group {
                    guard let report else { continue }
                    drift.merge(report.drift)
                    for t in types.indices {
                        for c in types[t].indices { types[t][c].merge(report.types[t][c]) }
                    }
                }
                summary.tables = layout.schema(columns: columns, types: types, rows: tableRows)
                // Sorted: the workers' first-seen lists merge in completion order, which
                // changes from run to run; a log should read the same for the same data.
                summary.lateArrays = drift.lateArrays.sorted()
                summary.unselectedPaths = drift.unselectedPaths.sorted()
                summary.unlistedPaths = drift.droppedPaths.count
                let primary = ColumnSpec.primaryIndices(columns)
                summary.unseenColumns = columns.indices.filter { !drift.seenColumns.contains(primary[$0]) }.map { columns[$0].name }
                meter.finish(bytesIn: summary.bytesIn, rows: summary.rows)
                return summary
            }
            if restartOnLateArrays && !summary.lateArrays.isEmpty { throw LateArraysFound() }
            if options.strict && summary.hasDrift {
                throw ExportError(.badInput, "the data drifted from the selected columns (--strict)\n" + summary.report(),
                                  hint: "update the column list or query, or drop --strict")
            }
            // Every table is complete: the stages learn what they hold, then all commit.
            for (sink, table) in zip(sinks, summary.tables) { try await sink.willCommit(table) }
            for sink in sinks { try await sink.commit() }
            for (t, sink) in sinks.enumerated() {
                // The data files, parts in order (a manifest is not one).
                if let files = sink.outputs { summary.tables[t].files = files.filter { !$0.hasSuffix(".manifest.json") } }
            }
            if let path = layout.schemaPath {
                // Last: a reader that waits for the schema file finds every table complete.
                try SchemaFile.write(DatasetSchema(tables: summary.tables, sourceJSON: schemaSource), to: path)
            }
            try rejects?.commit()
        } catch {
            for sink in sinks { sink.abort() }
            rejects?.abort()
            throw error
        }
        summary.bytesOut = sinks.reduce(0) { $0 + $1.bytesOut }
        summary.outputs = zip(sinks, layout.tables).flatMap { sink, table in sink.outputs ?? [table.path].compactMap { $0 } }
            + [layout.schemaPath, options.rejectsPath].compactMap { $0 }
        return summary
    }
}

/// A sample's tables missed an array of a file: the run starts over (see `optimistic`).
private struct LateArraysFound: Error {}

/// What a parse worker reports when its input is done.
private struct WorkerReport: Sendable {
    var drift: DriftReport
    /// The types of the cells it wrote, per table and column.
    var types: [[ColumnTypeState]]
}

extension Duration {
    package var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

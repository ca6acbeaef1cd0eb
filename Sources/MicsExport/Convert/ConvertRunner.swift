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
public enum ConvertRunner {
    public typealias Progress = @Sendable (ProgressSnapshot) -> Void

    public static func run(inputs: [InputSource], options: ConvertOptions, progress: Progress? = nil) async throws -> ConvertSummary {
        let started = ContinuousClock.now
        let tuned = MallocTuning.apply()
        assert(tuned != 0, "the C library refused the malloc settings")
        var inputs = inputs
        let columns: [ColumnSpec]
        if options.format == .raw {
            columns = options.columns ?? []
        } else if let given = options.columns {
            columns = given
        } else {
            (columns, inputs) = try await ColumnInference.infer(inputs: inputs, options: options)
        }
        let names = HeaderNames.make(columns, style: options.headerStyle)
        var summary: ConvertSummary
        switch options.format {
        case .csv:
            summary = try await run(inputs, columns, CSVRowWriter(names: names, options: options), options, progress)
        case .ndjson:
            summary = try await run(inputs, columns, NDJSONRowWriter(names: names, options: options), options, progress)
        case .raw:
            summary = try await run(inputs, columns, RawRecordWriter(), options, progress)
        }
        summary.columns = options.format == .raw ? [] : names
        summary.seconds = (ContinuousClock.now - started).seconds
        return summary
    }

    private static func run<Writer: RowWriter & Sendable>(
        _ inputs: [InputSource], _ columns: [ColumnSpec], _ writer: Writer,
        _ options: ConvertOptions, _ progress: Progress?
    ) async throws -> ConvertSummary {
        let workerCount = max(1, min(2, ProcessInfo.processInfo.activeProcessorCount))
        let blockChannels = (0..<workerCount).map { _ in AsyncThrowingChannel<LineBlock, Error>() }
        let resultChannels = (0..<workerCount).map { _ in AsyncThrowingChannel<ConvertedBlock, Error>() }
        let sourceNames = inputs.map(\.name)
        let totalBytes = inputs.allSatisfy { $0.size != nil } ? inputs.reduce(Int64(0)) { $0 + ($1.size ?? 0) } : nil

        let sink = try OutputStages.make(options)
        let rejects = try options.rejectsPath.map { try RejectsFile(path: $0) }
        var summary = ConvertSummary()
        do {
            summary = try await withThrowingTaskGroup(of: DriftReport?.self) { group in
                group.addTask {
                    await BlockReader.read(inputs, options: options, into: blockChannels)
                    return nil
                }
                for worker in 0..<workerCount {
                    group.addTask {
                        var converter = BlockConverter(columns: columns, writer: writer, options: options,
                                                       trackDrift: options.format != .raw)
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
                        return DriftReport(converter.scanner.trie, columns: columns)
                    }
                }
                var summary = ConvertSummary()
                let meter = ProgressMeter(total: totalBytes, report: progress)
                try await sink.begin(preamble: writer.preamble())
                var iterators = resultChannels.map { $0.makeAsyncIterator() }
                var turn = 0
                writing: while true {
                    guard let block = try await iterators[turn].next() else { break writing }
                    // A partial block: the rest comes from the same worker.
                    if !block.isPartial { turn = (turn + 1) % workerCount }
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
                    try await sink.write(block.bytes, rows: block.rows, rowEnds: block.rowEnds)
                    meter.update(bytesIn: summary.bytesIn, rows: summary.rows)
                }
                var drift = DriftReport()
                for try await report in group { if let report { drift.merge(report) } }
                summary.unselectedPaths = drift.unselectedPaths
                let primary = ColumnSpec.primaryIndices(columns)
                summary.unseenColumns = columns.indices.filter { !drift.seenColumns.contains(primary[$0]) }.map { columns[$0].name }
                meter.finish(bytesIn: summary.bytesIn, rows: summary.rows)
                return summary
            }
            if options.strict && summary.hasDrift {
                throw ExportError(.badInput, "the data drifted from the selected columns (--strict)\n" + summary.report(),
                                  hint: "update the column list or query, or drop --strict")
            }
            try await sink.commit()
            try rejects?.commit()
        } catch {
            sink.abort()
            rejects?.abort()
            throw error
        }
        summary.bytesOut = sink.bytesOut
        summary.outputs = (sink.outputs ?? [options.outputPath].compactMap { $0 }) + [options.rejectsPath].compactMap { $0 }
        return summary
    }
}

extension Duration {
    package var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

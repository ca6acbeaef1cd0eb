import MicsExport

/// What `pull` and pipeline files do between the wait and the download, in one place:
///
/// ```
/// wait ─▶ refuse (--max-erroneous-tasks, exit 70) ─▶ warn (erroneous tasks) ─▶ query ─▶ download
///                                                                         (columns, lineage)
/// ```
/// A refusal comes before anything is downloaded or written.
public struct PullPreparation: Sendable {
    /// Where the data comes from, for the summary and the schema file.
    public var lineage: SourceLineage
    /// `execution 7897897: 22,703 of 299,808 tasks erroneous (7.6 %): the result may be incomplete`
    public var warning: String?
    /// The columns from the export's query, when they were asked for.
    public var columns: ExportColumns.Outcome?

    /// - Parameters:
    ///   - selection: how the execution was picked (a refusal of `latest` says so).
    ///   - limit: `--max-erroneous-tasks`, given as `limitOption` (for the message).
    ///   - columnsFromExport: take the columns from the export's query (its failures throw).
    ///   - queryForLineage: read the query for the lineage even when the columns do not need it
    ///     (best effort: a failure leaves the lineage without the query text).
    /// - Throws: `.executionFailed` when the execution is over the limit; API failures.
    public static func prepare(
        export: Export, execution: Execution, selection: ExecutionWaiter.Selection, client: APIClient,
        limit: ErroneousTasksLimit?, limitOption: String = "--max-erroneous-tasks",
        columnsFromExport: Bool, queryForLineage: Bool = false
    ) async throws -> PullPreparation {
        if let refusal = limit?.refusal(
            of: execution.erroneous, executionID: execution.id, exportID: export.id,
            latest: selection == .latest, option: limitOption)
        {
            throw refusal
        }
        var columns: ExportColumns.Outcome? = nil
        var query: QueryInfo? = nil
        if columnsFromExport {
            (columns, query) = try await ExportColumns.fetch(export: export, client: client)
        } else if queryForLineage, let queryID = export.queryID, let datamartID = export.datamartID {
            query = try? await client.query(datamartID: datamartID, queryID: queryID)
        }
        return PullPreparation(
            lineage: SourceLineage(export: export, execution: execution, query: query),
            warning: execution.erroneous?.warning(executionID: execution.id),
            columns: columns)
    }
}

extension SourceLineage {
    /// The lineage of a pull: `export`, the execution read, and the export's query when known.
    public init(export: Export, execution: Execution, query: QueryInfo?) {
        self.init(exportID: export.id, executionID: execution.id)
        exportName = export.name
        status = execution.status.rawValue
        creationDate = execution.creationDate
        startDate = execution.startDate
        endDate = execution.endDate
        numTasks = execution.numTasks
        completedTasks = execution.completedTasks
        erroneousTasks = execution.erroneousTasks
        queryID = query?.id ?? export.queryID
        queryLanguage = query?.queryLanguage
        queryText = query?.queryText
    }
}

extension Execution {
    /// The tasks that failed, when some did (a `SUCCEEDED` execution can have them).
    public var erroneous: ErroneousTasks? { ErroneousTasks(erroneous: erroneousTasks, total: numTasks) }
}

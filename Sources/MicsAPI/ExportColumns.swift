import MicsVocabulary
import MicsProject
import MicsExport
/// The columns an export's own query selects, so `pull` needs no `--columns`.
public enum ExportColumns {
    public enum Outcome: Sendable {
        /// The leaf fields of the OTQL selection, in the order written.
        case columns([ColumnSpec], queryText: String)
        /// No usable query: the caller infers columns from the data and shows `reason`.
        case infer(reason: String)
    }

    /// Fetches the query behind `export` and parses it when it is OTQL.
    /// - Throws: API failures only.
    public static func resolve(export: Export, client: APIClient) async throws -> Outcome {
        try await fetch(export: export, client: client).outcome
    }

    /// `resolve`, with the query read (nil when the export names none), for the lineage.
    public static func fetch(export: Export, client: APIClient) async throws -> (outcome: Outcome, query: QueryInfo?) {
        guard let queryID = export.queryID, let datamartID = export.datamartID else {
            return (.infer(reason: "export \(export.id) names no query_id/datamart_id"), nil)
        }
        let query = try await client.query(datamartID: datamartID, queryID: queryID)
        return (outcome(for: query), query)
    }

    package static func outcome(for query: QueryInfo) -> Outcome {
        let language = query.queryLanguage ?? "?"
        guard language.uppercased() == "OTQL" else {
            return .infer(reason: "query \(query.id) is \(language), not OTQL: columns inferred from the data")
        }
        guard let text = query.queryText, !text.isEmpty else {
            return .infer(reason: "query \(query.id) has no text: columns inferred from the data")
        }
        // The platform accepted this query; if our parser reads it differently (or it is an
        // aggregation), inferring the columns beats refusing to pull.
        do {
            return .columns(try OTQLParser.parse(text).columns, queryText: text)
        } catch {
            return .infer(
                reason: "could not take columns from query \(query.id) (\(error)): columns inferred from the data"
            )
        }
    }
}

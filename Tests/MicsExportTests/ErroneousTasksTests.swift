import Foundation
import Testing

@testable import MicsAPI
@testable import MicsExport
@testable import MicsPipelines
@testable import MicsSandbox
@testable import MicsVocabulary

/// Erroneous tasks of a SUCCEEDED execution: the limit, the words, the lineage, and the
/// sandbox export that shows them (9893: the reference's 22,703 of 299,808).
struct ErroneousTasksTests {
    @Test(arguments: [
        ("0", ErroneousTasksLimit.count(0)), ("22703", .count(22703)), (" 5 ", .count(5)),
        ("5%", .percent(5)), ("7.6%", .percent(7.6)), ("0.5 %", .percent(0.5)), ("100%", .percent(100)),
        ("0%", .percent(0)), (".5%", .percent(0.5)),
    ])
    func limitsThatParse(text: String, limit: ErroneousTasksLimit) {
        #expect(ErroneousTasksLimit(text) == limit)
    }

    @Test(arguments: [
        "-1", "150%", "100.01%", "abc", "", "%", "5%%", "1e3", "nan%", "inf%", "1.2.3%", "99999999999999999999",
        "5 percent", "+5", "0x10",
    ])
    func limitsThatDoNot(text: String) {
        #expect(ErroneousTasksLimit(text) == nil)
        #expect(ErroneousTasksLimit.problem(with: text).hasPrefix("expects a number of tasks (0 or more)"))
    }

    @Test func problemsSayWhatIsWrong() {
        #expect(ErroneousTasksLimit.problem(with: "150%").hasSuffix("a share is at most 100%, not '150%'"))
        #expect(ErroneousTasksLimit.problem(with: "99999999999999999999").contains("is too large"))
        #expect(ErroneousTasksLimit.problem(with: "-1").hasSuffix(", not '-1'"))
    }

    static let documented = ErroneousTasks(erroneous: 22703, total: 299_808)!

    @Test func theDocumentedNumbersInWords() {
        #expect(
            Self.documented.warning(executionID: "7897897")
                == "execution 7897897: 22,703 of 299,808 tasks erroneous (7.6 %): the result may be incomplete")
        #expect(ErroneousTasks(erroneous: 0, total: 10) == nil)
        #expect(ErroneousTasks(erroneous: nil, total: 10) == nil)
        #expect(ErroneousTasks(erroneous: 1, total: 299_808)?.counted == "1 of 299,808 tasks erroneous (< 0.1 %)")
        #expect(ErroneousTasks(erroneous: 3, total: nil)?.counted == "3 tasks erroneous")
        #expect(ErroneousTasks(erroneous: 1_234_567, total: 1_234_567)?.counted.hasSuffix("(100.0 %)") == true)
        #expect(ErroneousTasks.grouped(999) == "999" && ErroneousTasks.grouped(1000) == "1,000")
    }

    @Test(arguments: [
        (ErroneousTasksLimit.count(22702), true), (.count(22703), false), (.percent(7.57), true),
        (.percent(7.58), false), (.percent(100), false), (.count(0), true),
    ])
    func refusesOnlyAboveTheLimit(limit: ErroneousTasksLimit, refused: Bool) {
        #expect(limit.refuses(Self.documented) == refused)
    }

    @Test func aShareOfAnUncountedTotalIsRefused() {
        let uncounted = ErroneousTasks(erroneous: 1, total: nil)!
        #expect(ErroneousTasksLimit.percent(50).refuses(uncounted))
        #expect(!ErroneousTasksLimit.count(1).refuses(uncounted))
    }

    @Test func theSandboxServesTheDocumentedIncompleteExecution() async throws {
        try await withSandbox { _, client in
            let execution = try #require(try await client.recentExecutions(exportID: "9893").first)
            #expect(execution.status == .succeeded)
            #expect(execution.numTasks == 299_808 && execution.completedTasks == 277_105)
            #expect(execution.erroneousTasks == 22703)
            // The other exports keep a clean record.
            let clean = try #require(try await client.recentExecutions(exportID: "9879").first)
            #expect(clean.erroneousTasks == 0 && clean.erroneous == nil)
        }
    }

    @Test func preparationRefusesBeforeReadingAnythingElse() async throws {
        try await withSandbox { sandbox, client in
            let export = try await client.export(id: "9893", organisationID: nil)
            let execution = try #require(try await client.recentExecutions(exportID: "9893").first)
            let before = await sandbox.state.requests
            let error = await #expect(throws: ExportError.self) {
                try await PullPreparation.prepare(
                    export: export, execution: execution, selection: .latest, client: client,
                    limit: .percent(5), columnsFromExport: true)
            }
            #expect(error?.kind == .executionFailed && error?.kind.exitCode == 70)
            #expect(error?.message.hasPrefix("the latest execution, \(execution.id), SUCCEEDED") == true)
            #expect(await sandbox.state.requests == before)  // not even the query
        }
    }

    @Test func preparationRecordsTheLineage() async throws {
        try await withSandbox { _, client in
            let export = try await client.export(id: "9893", organisationID: nil)
            let execution = try #require(try await client.recentExecutions(exportID: "9893").first)
            let prepared = try await PullPreparation.prepare(
                export: export, execution: execution, selection: .id(execution.id), client: client,
                limit: .count(22703), columnsFromExport: true)
            #expect(
                prepared.warning?.hasSuffix("22,703 of 299,808 tasks erroneous (7.6 %): the result may be incomplete")
                    == true)
            guard case .columns(let columns, _) = prepared.columns else {
                Issue.record("no columns")
                return
            }
            #expect(columns.map(\.name) == ["emails.id"])
            let lineage = prepared.lineage
            #expect(lineage.exportID == "9893" && lineage.exportName == "incomplete export")
            #expect(lineage.executionID == execution.id && lineage.status == "SUCCEEDED")
            #expect(lineage.creationDate == execution.creationDate && lineage.endDate != nil)
            #expect(lineage.queryText == #"SELECT {emails {id}} FROM UserPoint WHERE segments {id="1205"}"#)
            #expect(lineage.warningLine == "warning: " + (prepared.warning ?? ""))
            // The query is read for the lineage alone when asked, and not otherwise.
            let bare = try await PullPreparation.prepare(
                export: export, execution: execution, selection: .latest, client: client, limit: nil,
                columnsFromExport: false)
            #expect(bare.lineage.queryText == nil && bare.lineage.queryID == "45993" && bare.columns == nil)
            let asked = try await PullPreparation.prepare(
                export: export, execution: execution, selection: .latest, client: client, limit: nil,
                columnsFromExport: false, queryForLineage: true)
            #expect(asked.lineage.queryText == lineage.queryText && asked.columns == nil)
        }
    }

    @Test func theLineageAsJSON() throws {
        var lineage = SourceLineage(exportID: "7", executionID: "7897897")
        lineage.exportName = "x"
        lineage.status = "SUCCEEDED"
        lineage.creationDate = 1_562_595_783_663
        lineage.numTasks = 299_808
        lineage.completedTasks = 277_105
        lineage.erroneousTasks = 22703
        lineage.queryLanguage = "OTQL"
        lineage.queryText = "SELECT {id} FROM UserPoint"
        let text = lineage.jsonText()
        #expect(
            text
                == #"{"execution":{"creation_date":"2019-07-08T14:23:03.663Z","end_date":null,"id":"7897897","#
                + #""start_date":null,"status":"SUCCEEDED","tasks":{"completed":277105,"erroneous":22703,"num":299808}},"#
                + #""export":{"id":"7","name":"x"},"query":{"id":null,"language":"OTQL","text":"SELECT {id} FROM UserPoint"}}"#
        )
        #expect(
            lineage.summaryLine == "read export 7 (x), execution 7897897 SUCCEEDED, created 2019-07-08T14:23:03.663Z")
    }
}

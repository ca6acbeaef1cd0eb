import Foundation
import Testing

@testable import MicsExport
@testable import MicsPipelines
@testable import MicsPostgres

/// `sink: { load, table, if-exists }` (SPEC.md §11) as `validate` and `resolved` see it, with no
/// server: the command line's rules, each mistake where it is written, never the password.
struct PipelineLoadValidationTests {
    static let secret = "s3cr3t-Pa55"
    static let source = "source: { file: in.ndjson }\n"
    static let substitution = PipelineSubstitution(
        environment: ["DB": "postgres://loader:\(secret)@db.example:6543/warehouse?sslmode=require"], now: Date())

    static func mistakes(_ yaml: String) -> [String] {
        let (file, decoding) = PipelineFile.decode(yaml, path: "p.yaml", substitution: substitution)
        let all = decoding + (file.marks[""] == nil ? [] : file.problems())
        return all.sorted { ($0.line, $0.column) < ($1.line, $1.column) }.map { "\($0.line):\($0.column): \($0.message)" }
    }

    static func file(_ yaml: String) -> PipelineFile {
        PipelineFile.decode(yaml, path: "p.yaml", substitution: substitution).0
    }

    @Test(arguments: [
        (
            source + "sink: { load: \"postgres://u:\(secret)@h/db\" }\n",
            "2:15: 'load' needs 'table': the table to load into, [SCHEMA.]NAME"
        ),
        (
            source + "sink: { load: \"mysql://u:\(secret)@h/db\", table: t }\n",
            "2:15: 'load': database URL: it must start with postgres:// or postgresql:// (expected postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=MODE])"
        ),
        (
            source + "sink: { load: \"postgres://u:\(secret)@h:99999/db\", table: t }\n",
            "2:15: 'load': database URL: the port is not a number from 1 to 65535 (expected postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=MODE])"
        ),
        (
            source + "sink: { load: \"postgres://u:\(secret)@h/db?sslmode=sometimes\", table: t }\n",
            "2:15: 'load': database URL: sslmode 'sometimes' is not one of disable, prefer, require, verify-full"
        ),
        (
            source + "sink: { table: t, if-exists: sometimes }\n",
            "2:30: unknown if-exists 'sometimes': expected fail, replace, append"
        ),
        (source + "sink: { table: '\"unclosed' }\n", "2:16: 'table': table name '\"unclosed': a quote is not closed"),
        (
            source + "sink: { load: \"${DB}\", table: t, path: out.csv }\n",
            "2:40: 'path' shapes a file, and this pipeline loads into PostgreSQL ('load'): drop 'path', or drop load and table to write a file"
        ),
        (
            source + "sink:\n  table: t\n  gzip: true\n",
            "4:9: 'gzip' shapes a file, and this pipeline loads into PostgreSQL ('table'): drop 'gzip', or drop load and table to write a file"
        ),
        (
            source + "sink:\n  table: t\n  format: ndjson\n",
            "4:11: 'format' shapes a file, and this pipeline loads into PostgreSQL ('table'): drop 'format', or drop load and table to write a file"
        ),
        (
            source + "projection: { null-value: NULL }\nsink: { table: t }\n",
            "2:27: 'null-value' shapes a file, and this pipeline loads into PostgreSQL ('table'): drop 'null-value', or drop load and table to write a file"
        ),
        (
            source + "sink: { table: t, target: bigquery }\n",
            "2:27: 'target' shapes a file, and this pipeline loads into PostgreSQL ('table'): drop 'target', or drop load and table to write a file"
        ),
        (
            source + "sink: { table: t, split-rows: 10 }\n",
            "2:31: 'split-rows' shapes a file, and this pipeline loads into PostgreSQL ('table'): drop 'split-rows', or drop load and table to write a file"
        ),
    ])
    func aLoadMistakeIsReportedWhereItIsWithoutThePassword(yaml: String, expected: String) {
        let found = Self.mistakes(yaml)
        #expect(found.contains(expected), "\(found)")
        #expect(found.count == 1, "one mistake, not a second one for the same key: \(found)")
        #expect(!found.joined().contains(Self.secret))
    }

    @Test(arguments: [
        // A table alone: the database from the environment, as --table alone.
        "sink: { table: analytics.userpoints }\n",
        "sink: { load: \"${DB}\", table: t, if-exists: replace }\n",
        // --tables loads child tables: no sink.path needed (files would need one).
        "projection: { tables: true }\nsink: { load: \"${DB}\", table: users }\n",
        // The postgres preset and csv are what a load writes anyway.
        "sink: { load: \"${DB}\", table: t, target: postgres, format: csv, header-style: path }\n",
        // Explode is not refused by --load either.
        "projection: { explode: activities, columns: 'id,activities.ts' }\nsink: { table: t }\n",
    ])
    func aValidLoadHasNoMistake(sink: String) {
        #expect(Self.mistakes(Self.source + sink) == [])
    }

    @Test func theURLComesFromSubstitutionAndThePasswordIsNeverShown() throws {
        let file = Self.file(Self.source + "sink: { load: \"${DB}\", table: analytics.users, if-exists: append }\n")
        let pipeline = try file.resolved(environment: [:])
        let load = try #require(pipeline.load)
        #expect(load.settings.host == "db.example" && load.settings.port == 6543 && load.settings.user == "loader")
        #expect(load.settings.password == Self.secret && load.settings.sslMode == .require)
        let table = try PostgresTableName(schema: "analytics", name: "users")
        #expect(load.table == table)
        #expect(load.ifExists == .append)
        #expect("\(load.settings)" == "postgres://loader@db.example:6543/warehouse?sslmode=require")
        // A load's settings: the postgres preset's CSV, no file.
        #expect(pipeline.settings.target == .postgres && pipeline.settings.format == .csv)
        #expect(PipelineConflicts.claims(of: pipeline).first?.contains(Self.secret) == false)
    }

    @Test func aTableAloneTakesTheDatabaseFromTheEnvironment() throws {
        let file = Self.file(Self.source + "sink: { table: t }\n")
        let pipeline = try file.resolved(
            environment: ["MICS_DATABASE_URL": "postgres://me@127.0.0.1:5433/mine", "PGPASSWORD": Self.secret])
        #expect(pipeline.load?.settings.password == Self.secret)
        #expect(pipeline.load?.settings.port == 5433)
        // No database anywhere: a usage error when the pipeline is resolved (validate cannot know
        // the run's environment).
        #expect(Self.mistakes(Self.source + "sink: { table: t }\n") == [])
        #expect {
            _ = try file.resolved(environment: [:])
        } throws: { error in
            (error as? ExportError)?.kind == .usage && "\(error)".contains("no database") && "\(error)".contains("sink.load")
        }
    }

    @Test func flagsWinOverTheFileKeyByKey() throws {
        let file = Self.file(Self.source + "sink: { load: \"${DB}\", table: t, if-exists: fail }\n")
        let pipeline = try file.resolved(
            database: PipelineDatabase(table: "other", ifExists: "replace"), environment: [:])
        #expect(pipeline.load?.table.name == "other" && pipeline.load?.ifExists == .replace)
        #expect(pipeline.load?.settings.host == "db.example")
        // A flag that shapes a file is refused like --load's.
        #expect {
            _ = try file.resolved(overriddenBy: { var s = ConvertSettings(); s.gzip = true; return s }(), environment: [:])
        } throws: { error in
            (error as? ExportError)?.kind == .usage && "\(error)".contains("--gzip")
        }
    }

    @Test func twoPipelinesLoadingTheSameTableConflictAndDifferentTablesDoNot() throws {
        let a = try Self.file(Self.source + "sink: { load: \"${DB}\", table: t }\n").resolved(environment: [:])
        let b = try Self.file(Self.source + "sink: { load: \"${DB}\", table: t }\n").resolved(environment: [:])
        let c = try Self.file(Self.source + "sink: { load: \"${DB}\", table: u }\n").resolved(environment: [:])
        let refused = PipelineConflicts.find([a, b, c])
        #expect(refused.keys.sorted() == [1])
        #expect(refused[1].map { "\($0)" }?.contains(Self.secret) == false)
    }
}

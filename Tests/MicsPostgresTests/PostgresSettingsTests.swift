import MicsPostgres
import Testing

@Suite struct PostgresSettingsTests {
    @Test func aFullURLGivesEveryPart() throws {
        let settings = try PostgresSettings.resolve(
            url: "postgres://ann:s%40cr%3At@db.example.com:6543/ware%20house?sslmode=require", environment: [:])
        #expect(settings.user == "ann")
        #expect(settings.password == "s@cr:t")
        #expect(settings.host == "db.example.com")
        #expect(settings.port == 6543)
        #expect(settings.database == "ware house")
        #expect(settings.sslMode == .require)
    }

    @Test func theEnvironmentFillsWhatTheURLLeavesOut() throws {
        let environment = [
            "PGHOST": "h", "PGPORT": "7000", "PGUSER": "u", "PGPASSWORD": "p", "PGDATABASE": "d", "PGSSLMODE": "disable",
        ]
        let fromEnv = try PostgresSettings.resolve(url: "postgres:///", environment: environment)
        #expect(fromEnv == PostgresSettings(host: "h", port: 7000, user: "u", password: "p", database: "d", sslMode: .disable))
        let mixed = try PostgresSettings.resolve(url: "postgresql://bob@other/db2", environment: environment)
        #expect(mixed == PostgresSettings(host: "other", port: 7000, user: "bob", password: "p", database: "db2", sslMode: .disable))
    }

    @Test func micsDatabaseURLIsUsedWhenNoURLIsGiven() throws {
        let settings = try PostgresSettings.resolve(
            url: nil, environment: ["MICS_DATABASE_URL": "postgres://x:y@[::1]:5433/z", "PGUSER": "ignored"])
        #expect(settings.host == "::1")
        #expect(settings.port == 5433)
        #expect(settings.user == "x")
        #expect(settings.description == "postgres://x@[::1]:5433/z?sslmode=prefer")
    }

    @Test func libpqDefaults() throws {
        let settings = try PostgresSettings.resolve(url: nil, environment: ["USER": "me"])
        #expect(settings == PostgresSettings(host: "localhost", port: 5432, user: "me", database: "me", sslMode: .prefer))
    }

    @Test(arguments: [
        "postgres://u:hunter2secret@h:99999/d",
        "postgres://u:hunter2secret@h/d?sslmode=sometimes",
        "postgres://u:hunter2secret@h/d?password_file=x",
        "mysql://u:hunter2secret@h/d",
        "postgres://u:hunter2secret%zz@h/d",
        "postgres://u:hunter2secret@[::1/d",
    ])
    func aBadURLIsAnErrorThatDoesNotShowThePassword(url: String) throws {
        let error = try #require(throws: PostgresLoadError.self) {
            try PostgresSettings.resolve(url: url, environment: [:])
        }
        #expect(error.kind == .settings)
        #expect(error.exitCode == 64)
        #expect(!error.description.contains("hunter2"))
        #expect(!String(reflecting: error).contains("hunter2"))
    }

    @Test func theDescriptionNeverShowsThePassword() throws {
        let settings = try PostgresSettings.resolve(url: "postgres://u:hunter2secret@h/d", environment: [:])
        #expect(settings.description == "postgres://u@h:5432/d?sslmode=prefer")
        #expect(!"\(settings)".contains("hunter2"))
    }

    @Test func tableNames() throws {
        #expect(try PostgresTableName(parsing: "users") == PostgresTableName(name: "users"))
        #expect(try PostgresTableName(parsing: "Sales.Users") == PostgresTableName(schema: "Sales", name: "Users"))
        #expect(try PostgresTableName(parsing: "\"my.schema\".\"t.1\"") == PostgresTableName(schema: "my.schema", name: "t.1"))
        #expect(try PostgresTableName(parsing: "\"a\"\"b\"") == PostgresTableName(name: "a\"b"))
        let hostile = try PostgresTableName(parsing: "x\"; DROP TABLE y; --")
        #expect(hostile.name == "x\"; DROP TABLE y; --")
        #expect(hostile.sql == "\"x\"\"; DROP TABLE y; --\"")
        #expect(PostgresName.quoted("a\"\"b") == "\"a\"\"\"\"b\"")
    }

    @Test(arguments: ["", "a.", ".b", "\"open", "\"a\"b", String(repeating: "x", count: 64)])
    func badTableNames(text: String) throws {
        let error = try #require(throws: PostgresLoadError.self) { try PostgresTableName(parsing: text) }
        #expect(error.kind == .settings)
    }
}

import Testing

@testable import MicsAPI
@testable import MicsDecode
@testable import MicsExport
@testable import MicsPipelines
@testable import MicsProject
@testable import MicsSandbox
@testable import MicsSink
@testable import MicsVocabulary

/// `--header-style snake`: names a warehouse takes without quoting, unique, stable.
@Suite struct HeaderNamesTests {
    static func isWarehouseName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, name.utf8.count <= 63 else { return false }
        let ok: (Unicode.Scalar) -> Bool = { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
        return (("a"..."z").contains(first) || first == "_") && name.unicodeScalars.allSatisfy(ok)
    }

    @Test func dotsAndUnderscoresThatCollideGetASuffix() {
        #expect(HeaderNames.snake(["a.b", "a_b"]) == ["a_b", "a_b_2"])
        #expect(HeaderNames.snake(["emails.email", "id"]) == ["emails_email", "id"])
    }

    @Test func aLaterNaturalNameKeepsItsNameAndSuffixesSkipIt() {
        // `a_2` exists as a name of its own: the duplicate `a` takes `a_3`.
        #expect(HeaderNames.snake(["a", "a", "a_2"]) == ["a", "a_3", "a_2"])
    }

    @Test func namesAreStable() {
        let first = HeaderNames.snake(["x.y", "x_y", "z"])
        let more = HeaderNames.snake(["x.y", "x_y", "z", "x-y", "X.Y"])
        #expect(Array(more.prefix(3)) == first)
        #expect(more == ["x_y", "x_y_2", "z", "x_y_3", "x_y_4"])
    }

    @Test(arguments: [
        ("1st", "_1st"), ("$ts", "_ts"), ("activities.$event_name", "activities_event_name"),
        ("userPointId", "user_point_id"), ("prénom", "prenom"), ("Ünïcödé.straße", "unicode_stra_e"),
        ("名前", "column"), ("", "column"), ("a..b__c", "a_b_c"), ("trailing.", "trailing"),
        ("_FILE_NAME", "c_file_name"), ("ID", "id"),
    ])
    func oneName(_ name: String, _ expected: String) {
        #expect(HeaderNames.snakeBase(name) == expected)
        #expect(Self.isWarehouseName(HeaderNames.snakeBase(name)))
    }

    @Test func nonASCIINamesThatFoldAlikeStayUnique() {
        let names = HeaderNames.snake(["名前", "住所", "prénom", "prenom", "Prenom"])
        #expect(names == ["column", "column_2", "prenom", "prenom_2", "prenom_3"])
        #expect(Set(names).count == names.count && names.allSatisfy(Self.isWarehouseName))
    }

    @Test func longNamesAreCutTo63BytesAndStayUnique() {
        let long = String(repeating: "segment.", count: 20)
        let names = HeaderNames.snake([long + "a", long + "b"])
        #expect(names.allSatisfy { $0.utf8.count <= 63 })
        #expect(names[0] != names[1] && names.allSatisfy(Self.isWarehouseName))
    }

    @Test func pathStyleKeepsTheNamesAsGiven() {
        let columns = [ColumnSpec(path: "emails.email"), ColumnSpec(name: "mail", path: ["emails", "email"])]
        #expect(HeaderNames.make(columns, style: .path) == ["emails.email", "mail"])
    }
}

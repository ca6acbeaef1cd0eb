import Foundation
import Testing

@testable import MicsAPI
@testable import MicsDecode
@testable import MicsExport
@testable import MicsPipelines
@testable import MicsProject
@testable import MicsSandbox
@testable import MicsSink
@testable import MicsVocabulary

@Suite("Untrusted names")
struct SafeNameTests {
    static let hostile = [
        "../../etc/passwd", "a/b", "%2e%2e", "..", ".", "x\u{0}y", "\r\n", "a\\b", "é?#&=",
        String(repeating: "é", count: 2000), "",
    ]

    @Test(arguments: hostile)
    func aPathSegmentHoldsNoSlashDotDotOrControlCharacter(name: String) {
        let segment = SafeName.pathSegment(name)
        #expect(!segment.contains("/"))
        #expect(!segment.contains("\\"))
        #expect(segment != ".." && segment != ".")
        #expect(segment.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value < 0x7F })
        #expect(segment.removingPercentEncoding == name)
    }

    @Test func aPathSegmentEncodesPercentAndKeepsPlainNames() {
        #expect(SafeName.pathSegment("export") == "export")
        #expect(SafeName.pathSegment("%2e%2e") == "%252e%252e")
        #expect(SafeName.pathSegment("..") == "%2E%2E")
        #expect(SafeName.pathSegment("a/b") == "a%2Fb")
    }

    @Test(arguments: hostile)
    func aFileComponentIsOneHarmlessLocalName(name: String) {
        let component = SafeName.fileComponent(name)
        #expect(!component.isEmpty)
        #expect(component.utf8.count <= 100)
        #expect(!component.hasPrefix("."))
        #expect(
            component.utf8.allSatisfy { b in
                (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2D
                    || b == 0x5F
                    || b == 0x2E
            }
        )
    }

    @Test func aFileComponentKeepsReadableNames() {
        #expect(SafeName.fileComponent("export-part-1") == "export-part-1")
        #expect(SafeName.fileComponent("../../etc/passwd") == "_._.._etc_passwd")
        #expect(SafeName.fileComponent("") == "file")
    }
}

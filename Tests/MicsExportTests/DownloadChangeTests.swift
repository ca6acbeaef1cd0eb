import Foundation
import Testing

@testable import MicsAPI
@testable import MicsExport
@testable import MicsSandbox
@testable import MicsVocabulary

/// A result file that changes while it is downloaded (issue 9, item 10): a resume sends
/// `If-Range`, and a changed file makes the run start over, so the output is the new file
/// whole — never the old one's head spliced onto the new one's tail. Over real HTTP against
/// the sandbox, whose `changeOnDrop` fault rewrites the file as the connection drops.
@Suite("Downloads of a file that changes")
struct DownloadChangeTests {
    static let old = DownloadResumeTests.big
    /// Same lines, other ids: the same size as `old`, so only the validators can tell.
    static let sameSize: [UInt8] = old.map { $0 == UInt8(ascii: "1") ? UInt8(ascii: "7") : $0 }
    static let longer = old + Array(#"{"id":"late","emails":[]}"#.utf8) + [0x0A]
    static let shorter = Array(old[..<(old.count / 2 + 17)].split(separator: 0x0A).dropLast().joined(separator: [0x0A])) + [0x0A]

    /// The first byte offset where `a` and `b` differ (nil: equal); short to print, unlike the bytes.
    static func firstDifference(_ a: [UInt8], _ b: [UInt8]) -> Int? {
        a == b ? nil : (zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, b.count))
    }

    /// Runs a raw conversion of export 777's one file (the bytes as they are) into a file,
    /// and returns what it wrote.
    static func pull(_ sandbox: SandboxServer, _ client: APIClient) async throws -> [UInt8] {
        let export = try await client.export(id: "777", organisationID: nil)
        let execution = try #require(try await client.recentExecutions(exportID: "777").first)
        let sources = try await client.resultSources(export: export, execution: execution)
        let folder = try GzipTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        var options = ConvertOptions()
        options.format = .raw
        options.outputPath = folder.appendingPathComponent("out.ndjson").path
        _ = try await ConvertRunner.run(inputs: sources, options: options)
        return Array(try Data(contentsOf: URL(fileURLWithPath: options.outputPath!)))
    }

    @Test(arguments: [sameSize, longer, shorter])
    func aFileChangedMidDownloadComesOutWholeAndNew(new: [UInt8]) async throws {
        try await withSandbox { sandbox, client in
            _ = await sandbox.addExport(id: "777", name: "big", files: [("export", Self.old)])
            await sandbox.setFaults(SandboxFaults(dropAfterBytes: 300_001, dropTimes: 1, changeOnDrop: new))
            let written = try await Self.pull(sandbox, client)
            #expect(written.count == new.count)
            #expect(Self.firstDifference(written, new) == nil)
            // The resume named the first version; the server answered with the whole new file,
            // and the run started over from byte 0.
            let downloads = await sandbox.state.downloads
            #expect(downloads.map(\.status) == [200, 200, 200])
            #expect(downloads[1].ifRange == SandboxFile.bytes(Self.old).etag)
        }
    }

    @Test func anUnchangedFileResumesWithPartialAnswers() async throws {
        try await withSandbox { sandbox, client in
            _ = await sandbox.addExport(id: "777", name: "big", files: [("export", Self.old)])
            await sandbox.setFaults(SandboxFaults(dropAfterBytes: 300_001, dropTimes: 2))
            let written = try await Self.pull(sandbox, client)
            #expect(Self.firstDifference(written, Self.old) == nil)
            let downloads = await sandbox.state.downloads
            #expect(downloads.map(\.status) == [200, 206, 206])
            #expect(downloads.dropFirst().allSatisfy { $0.ifRange == SandboxFile.bytes(Self.old).etag })
        }
    }

    /// A weak ETag cannot serve `If-Range` (RFC 9110 §13.1.5): the resume names the file by
    /// its Last-Modified date (an hour old, so a strong validator), and a change is still seen.
    @Test(arguments: [false, true])
    func aWeakETagIsNeverSentTheDateIs(changed: Bool) async throws {
        try await withSandbox { sandbox, client in
            _ = await sandbox.addExport(id: "777", name: "big", files: [("export", Self.old)])
            await sandbox.setFaults(
                SandboxFaults(
                    dropAfterBytes: 300_001, dropTimes: 1, validators: .weakETag,
                    changeOnDrop: changed ? Self.sameSize : nil))
            let written = try await Self.pull(sandbox, client)
            #expect(Self.firstDifference(written, (changed ? Self.sameSize : Self.old)) == nil)
            let downloads = await sandbox.state.downloads
            let ifRange = try #require(downloads[1].ifRange)
            #expect(!ifRange.hasPrefix("W/") && !ifRange.hasPrefix("\""))
            #expect(HTTPDate.seconds(ifRange) != nil)
            #expect(downloads.map(\.status) == (changed ? [200, 200, 200] : [200, 206]))
        }
    }

    @Test func lastModifiedAloneServesIfRange() async throws {
        try await withSandbox { sandbox, client in
            _ = await sandbox.addExport(id: "777", name: "big", files: [("export", Self.old)])
            await sandbox.setFaults(
                SandboxFaults(dropAfterBytes: 300_001, dropTimes: 1, validators: .lastModified, changeOnDrop: Self.sameSize))
            let written = try await Self.pull(sandbox, client)
            #expect(Self.firstDifference(written, Self.sameSize) == nil)
            let downloads = await sandbox.state.downloads
            #expect(downloads.map(\.status) == [200, 200, 200])
            #expect(downloads[1].ifRange.flatMap(HTTPDate.seconds) != nil)
        }
    }

    /// A server with no validators: resumes send `Range` alone, as before (result files of a
    /// finished execution do not change). A change of size is still caught; a change that
    /// keeps the size cannot be, and is documented as such.
    @Test func withoutValidatorsResumesAreRangesAloneAndASizeChangeIsCaught() async throws {
        try await withSandbox { sandbox, client in
            _ = await sandbox.addExport(id: "777", name: "big", files: [("export", Self.old)])
            await sandbox.setFaults(SandboxFaults(dropAfterBytes: 300_001, dropTimes: 1, validators: .none))
            var written = try await Self.pull(sandbox, client)
            #expect(Self.firstDifference(written, Self.old) == nil)
            var downloads = await sandbox.state.downloads
            #expect(downloads.map(\.status) == [200, 206])
            #expect(downloads.allSatisfy { $0.ifRange == nil })

            await sandbox.setFaults(
                SandboxFaults(dropAfterBytes: 300_001, dropTimes: 1, validators: .none, changeOnDrop: Self.longer))
            written = try await Self.pull(sandbox, client)
            #expect(Self.firstDifference(written, Self.longer) == nil)
            downloads = await sandbox.state.downloads
            #expect(downloads.dropFirst(2).map(\.status) == [200, 206, 200])
        }
    }

    @Test func aServerThatIgnoresRangesStillResumesTheSameFile() async throws {
        try await withSandbox { sandbox, client in
            _ = await sandbox.addExport(id: "777", name: "big", files: [("export", Self.old)])
            await sandbox.setFaults(SandboxFaults(dropAfterBytes: 300_001, dropTimes: 2, ignoreRange: true))
            let written = try await Self.pull(sandbox, client)
            #expect(Self.firstDifference(written, Self.old) == nil)
            let statuses = await sandbox.state.downloads.map(\.status)
            #expect(statuses == [200, 200, 200])
        }
    }

    /// An input that changes on every read: the run starts over a few times, then gives up
    /// with a message, and writes nothing.
    @Test func aFileThatKeepsChangingGivesUp() async throws {
        let folder = try GzipTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let opens = Counter()
        let input = InputSource(name: "moving") {
            opens.add()
            let sent = Counter()
            return .pulling {
                if sent.value > 0 { throw InputChanged(location: "GET /f", reason: "ETag \"a\", now \"b\"") }
                sent.add()
                return Array("{\"id\":1}\n".utf8)
            }
        }
        var options = ConvertOptions()
        options.format = .raw
        options.outputPath = folder.appendingPathComponent("out.ndjson").path
        let error = await #expect(throws: ExportError.self) { try await ConvertRunner.run(inputs: [input], options: options) }
        #expect(error?.kind == .unavailable)
        #expect(error?.message.contains("changed during the download") == true)
        #expect(opens.value == 1 + ConvertRunner.restartsOnChange)
        #expect((try? FileManager.default.contentsOfDirectory(atPath: folder.path))?.isEmpty == true)
    }

    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        func add() { lock.withLock { count += 1 } }
        var value: Int { lock.withLock { count } }
    }
}

@Suite("Download validators")
struct DownloadValidatorTests {
    static let date = "Tue, 01 Dec 2026 15:00:00 GMT"
    static let hourBefore = "Tue, 01 Dec 2026 14:00:00 GMT"

    @Test func httpDatesParse() {
        #expect(HTTPDate.seconds("Sun, 06 Nov 1994 08:49:37 GMT") == 784_111_777)
        #expect(HTTPDate.seconds("Thu, 01 Jan 1970 00:00:00 GMT") == 0)
        #expect(HTTPDate.seconds("Tue, 29 Feb 2028 23:59:59 GMT") == 1_835_481_599)
        #expect(HTTPDate.seconds("Sunday, 06-Nov-94 08:49:37 GMT") == nil)
        #expect(HTTPDate.seconds("Sun Nov  6 08:49:37 1994") == nil)
        #expect(HTTPDate.seconds("Sun, 06 Nov 1994 08:49:37 UTC") == nil)
        #expect(HTTPDate.seconds("") == nil)
    }

    @Test func ifRangeTakesAStrongETagThenAStrongDateThenNothing() {
        #expect(DownloadValidator(etag: "\"v1\"", lastModified: Self.hourBefore, date: Self.date).ifRange == "\"v1\"")
        // Weak: never sent; the date stands in when it is a second older than the answer.
        #expect(DownloadValidator(etag: "W/\"v1\"", lastModified: Self.hourBefore, date: Self.date).ifRange == Self.hourBefore)
        #expect(DownloadValidator(etag: "W/\"v1\"", lastModified: Self.date, date: Self.date).ifRange == nil)
        #expect(DownloadValidator(etag: "W/\"v1\"", lastModified: nil, date: Self.date).ifRange == nil)
        #expect(DownloadValidator(etag: nil, lastModified: Self.hourBefore, date: nil).ifRange == nil)
        #expect(DownloadValidator(etag: "v1", lastModified: nil, date: nil).ifRange == nil)  // not a quoted tag
        #expect(DownloadValidator(etag: nil, lastModified: nil, date: Self.date).ifRange == nil)
    }

    @Test func aChangeIsAValidatorBothAnswersCarryThatDiffers() {
        let first = DownloadValidator(etag: "W/\"v1\"", lastModified: Self.hourBefore, date: Self.date)
        #expect(first.change(in: first) == nil)
        #expect(first.change(in: DownloadValidator(etag: nil, lastModified: nil, date: nil)) == nil)
        #expect(first.change(in: DownloadValidator(etag: "W/\"v2\"", lastModified: nil, date: nil)) != nil)
        #expect(first.change(in: DownloadValidator(etag: nil, lastModified: Self.date, date: nil)) != nil)
        #expect(first.confirmed(by: DownloadValidator(etag: nil, lastModified: Self.hourBefore, date: nil)))
        #expect(!first.confirmed(by: DownloadValidator(etag: "W/\"v1\"", lastModified: nil, date: nil)))
    }
}

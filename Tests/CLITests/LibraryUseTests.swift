import Foundation
import MicsExport
import Testing

/// The library as another package sees it: `import MicsExport` and its public API only.
@Suite("The MicsExport library, used without the command line")
struct LibraryUseTests {
    @Test("a file converts through the public API, and the rows are the input's")
    func convertsAFile() async throws {
        let scratch = try ConvertTool.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let input = scratch.appendingPathComponent("in.ndjson")
        try Data(
            """
            {"id":"12345678901234567890123","emails":[{"email":"a@x"},{"email":"b@y"}]}
            {"id":"2","emails":[]}

            """.utf8
        ).write(to: input)
        var options = ConvertOptions()
        options.columns = [ColumnSpec(path: "id"), ColumnSpec(name: "email", path: ["emails", "email"])]
        options.outputPath = scratch.appendingPathComponent("users.csv").path
        let summary = try await ConvertRunner.run(inputs: [FileSource.make(path: input.path)], options: options)
        #expect(summary.records == 2)
        #expect(summary.rows == 2)
        let written = try String(contentsOfFile: options.outputPath!, encoding: .utf8)
        #expect(written == "id,email\n12345678901234567890123,a@x|b@y\n2,\n")
    }

    /// A test target sees `package` declarations too; the README's example is type-checked as
    /// a foreign package (`-package-name outsider`) against the built modules, so it compiles
    /// for a library user, and a symbol that is not public would fail it.
    @Test("the README's library example type-checks from outside the package")
    func exampleCompilesFromOutside() async throws {
        let products = URL(fileURLWithPath: BuiltTool.path).deletingLastPathComponent()
        let example = ConvertTool.repository.appendingPathComponent("Examples/ConvertAFile.swift")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "swiftc", "-typecheck", "-parse-as-library", "-package-name", "outsider",
            "-I", products.appendingPathComponent("Modules").path,
            "-Xcc", "-fmodule-map-file=" + ConvertTool.repository.appendingPathComponent("Sources/CIsal/module.modulemap").path,
            "-Xcc", "-fmodule-map-file=" + ConvertTool.repository.appendingPathComponent("Sources/CLibdeflate/module.modulemap").path,
            "-Xcc", "-fmodule-map-file=" + ConvertTool.repository.appendingPathComponent("Sources/CByteScan/include/module.modulemap").path,
            "-Xcc", "-fmodule-map-file=" + products.appendingPathComponent("CMicsSupport.build/module.modulemap").path,
            example.path,
        ]
        let errors = Pipe()
        process.standardError = errors
        let code = try await ConvertTool.wait(process)
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(code == 0, "swiftc: \(text)")
    }
}

import Foundation

/// Where the `mics-export` under test is: the one built with these tests. SwiftPM puts every
/// product of one build in one folder (`swift build --show-bin-path`), so the tool sits
/// beside the test runner, whatever configuration or build path `swift test` was given;
/// a stale `.build/debug` binary is never picked up. `MICS_EXPORT_BINARY` overrides it.
enum BuiltTool {
    static let path: String = {
        if let given = ProcessInfo.processInfo.environment["MICS_EXPORT_BINARY"], !given.isEmpty {
            return given
        }
        #if os(macOS)
        // The tests run inside `NAME.xctest` (a bundle), itself in the products folder.
        if let bundle = Bundle.allBundles.first(where: { $0.bundlePath.hasSuffix(".xctest") }) {
            return bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("mics-export").path
        }
        #endif
        let runner = (Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0]))
            .resolvingSymlinksInPath()
        return runner.deletingLastPathComponent().appendingPathComponent("mics-export").path
    }()
}

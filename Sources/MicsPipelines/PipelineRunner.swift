import MicsExport
import MicsAPI
import MicsPostgres
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs one resolved pipeline: opens its source, resolves the convert options (defaults,
/// flags already laid over the file), and hands both to `ConvertRunner`, whose outputs are
/// atomic: a failed pipeline leaves no output file behind.
public enum PipelineRunner {
    /// - Parameters:
    ///   - makeClient: the API client for `export` sources (the sandbox makes its own).
    ///   - sandbox: starts the local sandbox for `sandbox: true` sources (the CLI passes
    ///     MicsSandbox's; pipeline files themselves link no server).
    ///   - note: one-line remarks for the user (which export and execution is read…).
    public static func run(
        _ pipeline: Pipeline, makeClient: ClientFactory? = nil, sandbox: SandboxLauncher? = nil,
        progress: ConvertRunner.Progress? = nil, note: @Sendable (String) -> Void = { _ in }
    ) async throws -> ConvertSummary {
        try makeFolders(for: [pipeline.settings.output, pipeline.settings.rejects])
        switch pipeline.source {
        case .files(let patterns):
            let inputs = try expand(patterns).map { try FileSource.make(path: $0) }
            return try await convert(pipeline, inputs, pipeline.settings.resolve(), progress)
        case .stdin:
            return try await convert(pipeline, [FileSource.stdin()], pipeline.settings.resolve(), progress)
        case .export, .sandbox:
            return try await runFromAPI(
                pipeline, makeClient: makeClient, sandbox: sandbox, progress: progress, note: note)
        }
    }

    /// The convert pipeline into files, or into the database for a load (SPEC 11).
    package static func convert(
        _ pipeline: Pipeline, _ inputs: [InputSource], _ options: ConvertOptions, _ progress: ConvertRunner.Progress?,
        schemaSource: String? = nil
    ) async throws -> ConvertSummary {
        if let load = pipeline.load {
            return try await PostgresOutput(request: load).run(inputs: inputs, options: options, progress: progress)
        }
        return try await ConvertRunner.run(
            inputs: inputs, options: options, progress: progress, stages: OutputStages.files, schemaSource: schemaSource)
    }

    /// A pipeline creates the folders of its outputs (`out/` in a fresh clone): a scheduled
    /// job should not depend on someone having made them. `convert` does not: a typo in `-o`
    /// there is better caught than silently honoured.
    package static func makeFolders(for paths: [String?]) throws {
        for case let path? in paths where path != "-" {
            let folder = (path as NSString).deletingLastPathComponent
            guard !folder.isEmpty else { continue }
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            } catch {
                throw ExportError(.other, "cannot create the output folder: \(error.localizedDescription)", at: folder)
            }
        }
    }

    /// Each pattern with `*`, `?` or `[` becomes its matches, sorted; others stay as written
    /// (a missing file is then reported by `FileSource`).
    package static func expand(_ patterns: [String]) throws -> [String] {
        var paths: [String] = []
        for pattern in patterns {
            guard pattern.contains(where: { "*?[".contains($0) }) else {
                paths.append(pattern)
                continue
            }
            var result = glob_t()
            defer { globfree(&result) }
            guard glob(pattern, 0, nil, &result) == 0 else {
                throw ExportError(.usage, "no file matches '\(pattern)'", hint: "check the pattern in source.files")
            }
            let matches = (0..<Int(result.gl_pathc)).compactMap { result.gl_pathv[$0].map { String(cString: $0) } }
            paths += matches.sorted()
        }
        return paths
    }
}

import MicsExport
import MicsAPI
/// Pipelines of one `run` that would step on each other: two writing the same file (the
/// later rename would silently replace the earlier output) or both to stdout (their
/// blocks would interleave), or two reading standard input (each would get part of it).
/// The first one runs; each later one is refused with a usage error (exit 64).
public enum PipelineConflicts {
    /// For each refused pipeline (by its index in `pipelines`), why. A nil pipeline (an
    /// invalid file) takes nothing.
    public static func find(_ pipelines: [Pipeline?]) -> [Int: ExportError] {
        var owners: [String: String] = [:]
        var refused: [Int: ExportError] = [:]
        for (index, pipeline) in pipelines.enumerated() {
            guard let pipeline else { continue }
            for claim in claims(of: pipeline) {
                if let owner = owners[claim] {
                    refused[index] = ExportError(
                        .usage, "\(claim) is also used by \(owner) in this run", at: pipeline.path,
                        hint: "give each pipeline its own sink.path (or table) and rejects, or run them one after the other")
                    break
                }
            }
            if refused[index] == nil {
                for claim in claims(of: pipeline) { owners[claim] = pipeline.path }
            }
        }
        return refused
    }

    /// What a pipeline holds for itself: its output (or stdout, or the table it loads), its
    /// rejects file, stdin.
    package static func claims(of pipeline: Pipeline) -> [String] {
        let output = pipeline.settings.output
        var claims: [String]
        if let load = pipeline.load {
            // The database as shown everywhere: without its password.
            claims = ["table \(load.table) of \(load.settings)"]
        } else {
            claims = [output == nil || output == "-" ? "standard output" : "output \(output!)"]
        }
        if let rejects = pipeline.settings.rejects { claims.append("output \(rejects)") }
        if pipeline.source == .stdin || pipeline.source == .files(["-"]) { claims.append("standard input") }
        return claims
    }
}

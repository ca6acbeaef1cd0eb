// Fuzz target `pipeline`: a pipeline file's text through what `mics-export validate` does —
// YAML (Yams over libyaml), the typed reads, `${…}` substitution, the checks (`problems`,
// which parses columns and OTQL queries and resolves the settings), then `resolved`.
// No crash and no hang on any text; every mistake has a line and a column inside the text;
// a file with no mistake resolves without throwing (the checks and `resolved` agree).
//
// The parse side only is linked (see fuzz/run.sh): the running side (HTTP client, convert
// runner) is not compiled in. `query-file` would read any path the text names (/dev/zero,
// /dev/stdin): it is pointed at a small file of the corpus's own instead.
import Foundation
import MicsProject
import MicsVocabulary
#if canImport(Glibc)
import Glibc
#endif

let substitution = PipelineSubstitution(
    environment: ["ORG": "1426", "EMPTY": "", "OUT": "/tmp/out"], now: Date(timeIntervalSince1970: 1_795_000_000))

/// A query file that exists: `query-file` values are replaced by it (reading stays covered).
let queryFile: String = {
    let path = NSTemporaryDirectory() + "/mics-fuzz-pipeline-\(getpid()).otql"
    FileManager.default.createFile(atPath: path, contents: Data("SELECT { id emails { email } } FROM UserPoint".utf8))
    return path
}()

/// Each line's width in Unicode scalars, lines broken as libyaml breaks them (LF, CR LF, CR,
/// NEL, LS, PS); one more line than breaks.
func lineWidths(_ text: String) -> [Int] {
    var widths = [0]
    var previous: Unicode.Scalar?
    for scalar in text.unicodeScalars {
        if scalar == "\n" && previous == "\r" {
        } else if ["\n", "\r", "\u{85}", "\u{2028}", "\u{2029}"].contains(scalar) {
            widths.append(0)
        } else {
            widths[widths.count - 1] += 1
        }
        previous = scalar
    }
    return widths
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    // `load` refuses text that is not UTF-8 before decoding; do the same.
    guard let text = String(validating: UnsafeBufferPointer(start: data, count: size), as: UTF8.self) else { return 0 }
    var (file, decoding) = PipelineFile.decode(text, path: "p.yaml", substitution: substitution)
    if file.settings.queryFile != nil { file.settings.queryFile = queryFile }
    // As `PipelineFile.check`: no root, no checks.
    let problems = file.marks[""] == nil ? [] : file.problems()
    let widths = lineWidths(text)
    for mistake in decoding + problems {
        // libyaml ends a text that has no final line break one line down, at column 1 (its
        // stream end "forces a new line"): editors put that cursor at the end of the file.
        if mistake.line == widths.count + 1 && mistake.column == 1 { continue }
        guard mistake.line >= 1, mistake.line <= widths.count, mistake.column >= 1,
            mistake.column <= widths[mistake.line - 1] + 1
        else {
            report("'\(mistake)' is outside the text (line widths \(widths.prefix(50)))")
        }
    }
    if decoding.isEmpty && problems.isEmpty && file.marks[""] != nil {
        do {
            // A database in the environment: a load's URL may leave it all to MICS_DATABASE_URL,
            // which `validate` cannot see (run alone says "no database" then).
            _ = try file.resolved(environment: ["MICS_DATABASE_URL": "postgres://fuzz@localhost/fuzz"])
        } catch {
            report("no mistake reported, but resolving throws: \(error)")
        }
    }
    return 0
}

import MicsExport
import MicsAPI
import Foundation

extension PipelineFile {
    /// The mistakes decoding cannot see, each where it was written: the source (none, two,
    /// keys that need an export), the columns (several ways at once, a bad list, an OTQL
    /// query that does not parse), sibling explodes, and sink values.
    public func problems() -> [PipelineDiagnostic] {
        var found: [PipelineDiagnostic] = []
        func place(_ at: PipelinePosition, _ message: String) {
            found.append(PipelineDiagnostic(file: path, line: at.line, column: at.column, message: message))
        }
        func report(_ key: String, _ message: String) {
            place(marks[key] ?? marks[""] ?? PipelinePosition(line: 1, column: 1), message)
        }
        checkSource(report)
        checkColumns(report, place)
        checkExplode(report)
        checkSink(report)
        checkLoad(report)
        if found.isEmpty {
            // Whatever the checks above missed, as the convert settings see it.
            do { _ = try settingsAsRun.resolve() } catch { report("", Self.text(of: error)) }
        }
        return found
    }

    /// The source kinds written (a `false` switch is not a source; with `sandbox: true`,
    /// `export` picks the sandbox's export rather than being a second source).
    package var sourceKindsGiven: [String] {
        let kinds = Self.sourceKinds.filter { marks["source." + $0] != nil }
            .filter { !($0 == "stdin" && stdin == false) && !($0 == "sandbox" && sandbox == false) }
        return kinds.contains("sandbox") ? kinds.filter { $0 != "export" } : kinds
    }

    private func checkSource(_ report: (String, String) -> Void) {
        let kinds = sourceKindsGiven
        let choices = "file, files, stdin: true, export (with organisation) or sandbox: true"
        if kinds.isEmpty {
            report(
                marks["source"] == nil ? "" : "source",
                marks["source"] == nil
                    ? "no source: add 'source:' with one of \(choices)"
                    : "source names no input: expected one of \(choices)")
        }
        if kinds.count > 1 {
            report(
                "source." + kinds[1],
                "two sources, '\(kinds[0])' and '\(kinds[1])': a pipeline reads one; keep one of them")
        }
        let fromAPI = kinds.contains("export") || kinds.contains("sandbox")
        if kinds == ["sandbox"] && marks["source.organisation"] != nil {
            report("source.organisation", "the sandbox has its own organisation: remove 'organisation'")
        }
        if kinds.contains("export") && marks["source.organisation"] == nil {
            report(
                "source.export",
                "'export' needs 'organisation': the id of the organisation that owns export \(export ?? "")")
        }
        for key in ["organisation", "execution", "max-erroneous-tasks"] where marks["source." + key] != nil && !fromAPI {
            report(
                "source." + key,
                "'\(key)' goes with 'export' or 'sandbox', and this source is '\(kinds.first ?? "none")'")
        }
        if let execution, !["latest", "new"].contains(execution.lowercased()), !execution.allSatisfy(\.isNumber) {
            report(
                "source.execution.value", "unknown execution '\(execution)': expected latest, new or an execution id")
        }
        if queryFromExport == true && !fromAPI {
            report(
                "projection.query-from-export",
                "'query-from-export' needs an 'export' or 'sandbox' source; give columns or a query instead")
        }
    }

    private func checkColumns(_ report: (String, String) -> Void, _ place: (PipelinePosition, String) -> Void) {
        let ways = ["columns", "query", "query-file", "query-from-export"].filter {
            marks["projection." + $0] != nil && !($0 == "query-from-export" && queryFromExport == false)
        }
        if ways.count > 1 {
            report("projection." + ways[1], "'\(ways[0])' and '\(ways[1])' both give the columns: keep one of them")
        }
        if let columns = settings.columns {
            do { _ = try ColumnList.parse(columns) } catch {
                report(
                    "projection.columns", Self.text(of: error).replacingOccurrences(of: "--columns", with: "columns"))
            }
        }
        if let query = settings.query {
            do throws(OTQLSyntaxError) { _ = try OTQLParser.parseWithPosition(query) } catch {
                let at =
                    queryPlacement?.map(line: error.line, column: error.column)
                    ?? marks["projection.query"] ?? PipelinePosition(line: 1, column: 1)
                place(at, Self.describe(error))
            }
        }
        if let queryFile = settings.queryFile {
            guard let text = try? String(contentsOfFile: queryFile, encoding: .utf8) else {
                return report(
                    "projection.query-file",
                    "cannot read the query file '\(queryFile)' (paths are taken from the current directory)")
            }
            do throws(OTQLSyntaxError) { _ = try OTQLParser.parseWithPosition(text) } catch {
                report("projection.query-file", "\(queryFile):\(error.line):\(error.column): " + Self.describe(error))
            }
        }
    }

    /// An error's message on one line (an `ExportError`'s hint is for the command line).
    package static func text(of error: Error) -> String {
        (error as? ExportError)?.message ?? "\(error)"
    }

    package static func describe(_ error: OTQLSyntaxError) -> String {
        let what = error.kind == .syntax ? "OTQL syntax error" : "unsupported OTQL query"
        return "\(what): \(error.message)" + (error.hint.map { " (\($0))" } ?? "")
    }

    /// Explode paths must nest: `activities` then `activities.events`. Two paths where
    /// neither holds the other (`activities.events` and `emails`) are siblings, whose rows
    /// would multiply into a cross product.
    private func checkExplode(_ report: (String, String) -> Void) {
        let paths = (settings.explode ?? []).map {
            $0.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        }
        for (index, path) in paths.enumerated() {
            if path.contains(where: \.isEmpty) {
                report(
                    "projection.explode.\(index + 1)", "explode path '\(path.joined(separator: "."))' has an empty part"
                )
                continue
            }
            for earlier in paths[..<index] {
                let nested = earlier.starts(with: path) || path.starts(with: earlier)
                guard !nested else { continue }
                let (a, b) = (earlier.joined(separator: "."), path.joined(separator: "."))
                report(
                    "projection.explode.\(index + 1)",
                    "explode '\(b)' and '\(a)' are siblings: explodes must nest, each inside the one before (activities, then activities.events); run a second pipeline for '\(b)'"
                )
                break
            }
        }
    }

    private func checkSink(_ report: (String, String) -> Void) {
        if let delimiter = settings.delimiter, (try? ConvertSettings.delimiterByte(delimiter)) == nil {
            report(
                "sink.delimiter",
                "unknown delimiter '\(delimiter)': expected one ASCII character (not a quote or newline) or 'tab'")
        }
        if let size = settings.splitBytes, (try? ByteSize.parse(size, option: "split-bytes")) == nil {
            report("sink.split-bytes", "'split-bytes' expects a size like 256MB or 1GiB, not '\(size)'")
        }
        // Parts are files: standard output cannot be cut.
        let toFile = settings.output != nil && settings.output != "-"
        let parted = [
            ("split-rows", settings.splitRows != nil), ("split-bytes", settings.splitBytes != nil),
            ("manifest", settings.manifest == true),
        ]
        if !toFile, !database.isGiven, let key = parted.first(where: \.1)?.0 {
            report("sink." + key, "'\(key)' writes part files: give sink.path (standard output cannot be cut)")
        }
        // Tables and the schema file are files beside sink.path (a load makes tables in the database).
        if !toFile, settings.tables == true, !database.isGiven {
            report("projection.tables", "'tables' writes one file per table: give sink.path (NAME.csv, NAME__emails.csv…)")
        } else if !toFile, settings.schema == true, !database.isGiven {
            report("sink.schema", "'schema' writes NAME.schema.json beside the output: give sink.path")
        }
        if settings.tables == true, settings.explode?.isEmpty == false {
            report("projection.tables", "'tables' and 'explode' are exclusive: the child tables already hold one row per element")
        }
    }
}

extension PipelineFile {
    /// Reads and checks the file at `path`: the file as written and every mistake, in file
    /// order (`validate` prints them; `run` runs the file only when there are none).
    public static func check(path: String, substitution: PipelineSubstitution) -> (PipelineFile, [PipelineDiagnostic]) {
        let (file, decoding) = load(path: path, substitution: substitution)
        // No root: the YAML itself is broken, and the checks would only add noise.
        let all = file.marks[""] == nil ? decoding : decoding + file.problems()
        return (file, all.sorted { ($0.line, $0.column) < ($1.line, $1.column) })
    }
}

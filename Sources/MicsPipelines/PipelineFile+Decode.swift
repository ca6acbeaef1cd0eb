import MicsExport
import MicsAPI
import MicsPostgres
import Foundation
import Yams

extension PipelineFile {
    /// Reads the file at `path`. Never throws: an unreadable file is a diagnostic too, so
    /// `validate` reports every file in one go.
    public static func load(path: String, substitution: PipelineSubstitution) -> (PipelineFile, [PipelineDiagnostic]) {
        guard let data = FileManager.default.contents(atPath: path) else {
            return (
                PipelineFile(path: path),
                [PipelineDiagnostic(file: path, line: 1, column: 1, message: "cannot read the file")]
            )
        }
        guard let text = String(data: data, encoding: .utf8) else {
            return (
                PipelineFile(path: path),
                [PipelineDiagnostic(file: path, line: 1, column: 1, message: "the file is not UTF-8 text")]
            )
        }
        return decode(text, path: path, substitution: substitution)
    }

    /// Decodes YAML `text` into the file as written, reading past mistakes: every one is in
    /// the diagnostics, and the file holds what could be read. Nodes rather than `Codable`,
    /// so that each mistake has its line and column.
    public static func decode(_ text: String, path: String, substitution: PipelineSubstitution) -> (
        PipelineFile, [PipelineDiagnostic]
    ) {
        let reader = Reader(
            file: PipelineFile(path: path), substitution: substitution,
            lines: text.split(omittingEmptySubsequences: false, whereSeparator: Self.isLineBreak))
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            reader.report(Self.mark(of: error), Self.message(of: error))
            return reader.result
        }
        guard let root else {
            reader.report(nil, "the file is empty; expected name, source, projection and sink")
            return reader.result
        }
        reader.readRoot(root)
        return reader.result
    }

    /// Where libyaml breaks lines (and so counts them): LF, CR LF, CR, NEL, LS, PS. Not
    /// `Character.isNewline`, which also breaks at VT and FF. ("\r\n" is one Character.)
    package static func isLineBreak(_ c: Character) -> Bool {
        c == "\n" || c == "\r\n" || c == "\r" || c == "\u{85}" || c == "\u{2028}" || c == "\u{2029}"
    }

    package static func mark(of error: Error) -> Mark? {
        switch error as? YamlError {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): return mark
        case .duplicatedKeysInMapping(_, let context): return context.mark
        default: return nil
        }
    }

    package static func message(of error: Error) -> String {
        switch error as? YamlError {
        case .scanner(let context, let problem, _, _), .parser(let context, let problem, _, _),
            .composer(let context, let problem, _, _):
            let during = context.map { " (\($0.text))" } ?? ""
            return "not valid YAML: \(problem)\(during)"
        case .duplicatedKeysInMapping(let duplicates, _):
            return "key \(duplicates.map { "'\($0)'" }.joined(separator: ", ")) given twice; keep one"
        default:
            return "not valid YAML: \(error)"
        }
    }

    /// Walks the nodes section by section; see `PipelineFile+Values.swift` for the typed reads.
    /// A class, so that `file.x = text(…)` can record a problem or a position while `file` is
    /// being written (a struct's mutating call there is an exclusive-access conflict).
    package final class Reader {
        package var file: PipelineFile
        package let substitution: PipelineSubstitution
        package let lines: [Substring]
        package var problems: [PipelineDiagnostic] = []
        package var marks: [String: PipelinePosition] = [:]
        /// `file.path`, kept apart: reading `file` while it is being written is a conflict too.
        package let path: String

        package init(file: PipelineFile, substitution: PipelineSubstitution, lines: [Substring]) {
            self.file = file
            self.path = file.path
            self.substitution = substitution
            self.lines = lines
        }

        /// The file read, with the positions of its keys.
        package var result: (PipelineFile, [PipelineDiagnostic]) {
            var read = file
            read.marks = marks
            return (read, problems)
        }

        package func report(_ position: PipelinePosition, _ message: String) {
            problems.append(
                PipelineDiagnostic(file: path, line: position.line, column: position.column, message: message))
        }

        package func report(_ mark: Mark?, _ message: String) {
            report(PipelinePosition(mark), message)
        }

        package func readRoot(_ root: Node) {
            marks[""] = PipelinePosition(root.mark)
            for (key, keyMark, value) in entries(of: root, section: "") {
                switch key {
                case "name": file.name = text(value, key)
                case "source":
                    marks["source"] = keyMark
                    readSource(value)
                case "projection": readProjection(value)
                case "sink": readSink(value)
                case "on-error": file.settings.onError = choice(value, key)
                case "rejects": file.settings.rejects = text(value, key)
                case "max-errors": file.settings.maxErrors = integer(value, key, minimum: 0)
                case "max-line-bytes": file.settings.maxLineBytes = integer(value, key, minimum: 1)
                case "strict": file.settings.strict = bool(value, key)
                default: break
                }
            }
        }

        package func readSource(_ node: Node) {
            for (key, keyMark, value) in entries(of: node, section: "source") {
                marks["source." + key] = keyMark
                marks["source." + key + ".value"] = PipelinePosition(value.mark)
                switch key {
                case "file": file.file = text(value, key)
                case "files": file.files = textList(value, key, markKey: "source.files")
                case "stdin": file.stdin = bool(value, key)
                case "export": file.export = identifier(value, key)
                case "organisation": file.organisation = identifier(value, key)
                case "execution": file.execution = text(value, key)
                case "sandbox": file.sandbox = bool(value, key)
                case "max-erroneous-tasks": file.maxErroneousTasks = erroneousTasksLimit(value, key)
                default: break
                }
            }
        }

        package func readProjection(_ node: Node) {
            for (key, _, value) in entries(of: node, section: "projection") {
                marks["projection." + key] = PipelinePosition(value.mark)
                switch key {
                case "columns":
                    file.settings.columns = textList(value, key, markKey: "projection.columns")?.joined(separator: ",")
                case "query":
                    file.settings.query = text(value, key)
                    file.queryPlacement = value.scalar.map { PipelineQueryPlacement(scalar: $0, fileLines: lines) }
                case "query-file": file.settings.queryFile = text(value, key)
                case "query-from-export": file.queryFromExport = bool(value, key)
                case "arrays": file.settings.arrays = choice(value, key)
                case "array-separator": file.settings.arraySeparator = text(value, key, emptyAllowed: true)
                case "explode": file.settings.explode = textList(value, key, markKey: "projection.explode")
                case "explode-drop-empty": file.settings.explodeDropEmpty = bool(value, key)
                case "tables": file.settings.tables = bool(value, key)
                case "null-value": file.settings.nullValue = text(value, key, emptyAllowed: true)
                case "infer-rows": file.settings.inferRows = integer(value, key, minimum: 1)
                default: break
                }
            }
        }

        package func readSink(_ node: Node) {
            for (key, _, value) in entries(of: node, section: "sink") {
                marks["sink." + key] = PipelinePosition(value.mark)
                switch key {
                case "format": file.settings.format = choice(value, key)
                case "path": file.settings.output = text(value, key)
                case "gzip": file.settings.gzip = bool(value, key)
                case "level": file.settings.level = integer(value, key, minimum: 1, maximum: 9)
                case "delimiter": file.settings.delimiter = text(value, key)
                case "header-style": file.settings.headerStyle = choice(value, key)
                case "target": file.settings.target = choice(value, key)
                case "split-rows": file.settings.splitRows = integer(value, key, minimum: 1)
                case "split-bytes": file.settings.splitBytes = text(value, key)
                case "manifest": file.settings.manifest = bool(value, key)
                case "schema": file.settings.schema = bool(value, key)
                case "bom": file.settings.bom = bool(value, key)
                case "excel-safe": file.settings.excelSafe = bool(value, key)
                case "crlf": file.settings.crlf = bool(value, key)
                case "header": file.settings.header = bool(value, key)
                case "load": file.database.url = text(value, key)
                case "table": file.database.table = text(value, key)
                case "if-exists":
                    file.database.ifExists = (choice(value, key) as PostgresLoadSession.IfExists?)?.rawValue
                default: break
                }
            }
        }
    }
}

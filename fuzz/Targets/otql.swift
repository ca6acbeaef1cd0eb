// Fuzz target `otql`: OTQLParser (and ColumnList). No crash on any text; a parsed query's
// selection, written back as text, parses to the same selection; an error's line and column
// lie inside the text.
import MicsProject
import MicsVocabulary
#if canImport(Glibc)
import Glibc
#endif

func render(_ fields: [OTQLField]) -> String {
    "{ " + fields.map { $0.children.isEmpty ? $0.name : $0.name + " " + render($0.children) }.joined(separator: " ") + " }"
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    do throws(OTQLSyntaxError) {
        let query = try OTQLParser.parseWithPosition(text)
        guard !query.columns.isEmpty, query.columns.allSatisfy({ !$0.path.isEmpty && !$0.path.contains("") }) else {
            report("empty column or path in \(query.columns)")
        }
        let again = try? OTQLParser.parseWithPosition("SELECT " + render(query.selection) + " FROM T")
        guard again?.selection == query.selection else {
            report("re-rendered selection parses differently: \(render(query.selection))")
        }
    } catch {
        let lines = text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false)
        guard error.line >= 1, error.line <= lines.count, error.column >= 1,
            error.column <= String(decoding: lines[error.line - 1], as: UTF8.self).unicodeScalars.count + 1
        else {
            report("error at line \(error.line) column \(error.column) outside the text")
        }
    }
    _ = try? ColumnList.parse(text)
    return 0
}

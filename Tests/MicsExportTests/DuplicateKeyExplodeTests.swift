import Testing

@testable import MicsDecode
@testable import MicsExport
@testable import MicsProject
@testable import MicsSink
@testable import MicsVocabulary

/// "The last key wins" (SPEC 3) inside the scanner, with `--explode` too: a duplicated key
/// used to send the record to a tree walk that never filled the exploded elements, so the
/// record became one all-NULL row, or nothing under `--explode-drop-empty`.
@Suite("Duplicate keys under --explode: the last one wins")
struct DuplicateKeyExplodeTests {
    static func rows(_ line: String, columns paths: [String], explode: [String], dropEmpty: Bool = false) -> String {
        var options = ConvertOptions()
        options.explode = explode.map { $0.split(separator: ".").map(String.init) }
        options.explodeDropEmpty = dropEmpty
        options.header = false
        let columns = paths.map { ColumnSpec(path: $0) }
        var converter = BlockConverter(
            columns: columns, writer: CSVRowWriter(names: columns.map(\.name), options: options), options: options)
        let block = converter.convert(LineBlock(bytes: Array((line + "\n").utf8), firstLine: 1), sourceName: "in.ndjson")
        #expect(block.failure == nil)
        return String(decoding: block.bytes, as: UTF8.self)
    }

    @Test("the exploded array given twice: the rows come from the last one", arguments: [false, true])
    func arrayTwice(dropEmpty: Bool) {
        let line = #"{"id":1,"items":[{"n":1}],"items":[{"n":2},{"n":3}]}"#
        #expect(Self.rows(line, columns: ["id", "items.n"], explode: ["items"], dropEmpty: dropEmpty) == "1,2\n1,3\n")
    }

    @Test("a key repeated inside an element, and outside the exploded array")
    func insideElement() {
        let line = #"{"id":1,"items":[{"n":1,"n":9},{"n":2}],"id":7}"#
        #expect(Self.rows(line, columns: ["id", "items.n"], explode: ["items"]) == "7,9\n7,2\n")
    }

    @Test("the last array is empty: one row with nulls, or none with --explode-drop-empty")
    func lastIsEmpty() {
        let line = #"{"id":1,"items":[{"n":1}],"items":[]}"#
        #expect(Self.rows(line, columns: ["id", "items.n"], explode: ["items"]) == "1,\n")
        #expect(Self.rows(line, columns: ["id", "items.n"], explode: ["items"], dropEmpty: true) == "")
    }

    @Test("nested explodes, a duplicate at each level")
    func nested() {
        let line = #"{"a":[{"t":1,"e":[{"x":1}],"e":[{"x":2},{"x":3}]}],"a":[{"t":5,"e":[{"x":4,"x":6}]},{"t":6}]}"#
        #expect(Self.rows(line, columns: ["a.t", "a.e.x"], explode: ["a", "a.e"]) == "5,6\n6,\n")
    }

    /// Found by fuzzing (fuzz/run.sh scanner): the first walk stopped at the duplicate inside
    /// an element, and the element stayed current, so the last `a` (a scalar) was tagged as
    /// element 0. The same after a bad line that breaks inside an element.
    @Test("a walk that stopped inside an element leaves no element current")
    func stoppedInsideElement() throws {
        let columns = [ColumnSpec(path: "a"), ColumnSpec(path: "a.b")]
        var scanner = JSONLineScanner(columns: columns, explode: [["a"]])
        let found = Array(#"{"a":[{"b":null,"b":false}],"a":"back\\slash"}"#.utf8)
        try found.withUnsafeBufferPointer { line throws(ScanError) in try scanner.scan(line) }
        #expect(Array(scanner.record.tags(0)) == [-1])
        #expect(scanner.record.elementParent[1].isEmpty)

        let broken = Array(#"{"a":[{"b":1},{"b":"#.utf8)
        broken.withUnsafeBufferPointer { line in
            #expect(throws: ScanError.self) { try scanner.scan(line) }
        }
        let next = Array(#"{"a":"s"}"#.utf8)
        try next.withUnsafeBufferPointer { line throws(ScanError) in try scanner.scan(line) }
        #expect(Array(scanner.record.tags(0)) == [-1])
    }

    /// Random ragged records with duplicate keys, exploded on each array path they hold:
    /// the scanner's values, array flags, element tags and element parents equal the oracle's.
    @Test("generated records with duplicates: the scanner's elements equal the tree walk's", arguments: [11, 12, 13] as [UInt64])
    func generated(seed: UInt64) {
        var generator = RandomRecords(seed: seed, duplicateKeys: true)
        var compared = 0
        for _ in 0..<400 {
            let line = Array(generator.record().utf8)
            line.withUnsafeBufferPointer { buffer in
                guard let tree = RecordTree.parse(buffer) else {
                    Issue.record("the generator wrote an invalid line")
                    return
                }
                let columns = generator.paths().map { ColumnSpec(path: $0) }
                for explode in [[["a"]], [["a"], ["a", "b"]], [["id"]], [["c"], ["c", "c"]]] {
                    var scanner = JSONLineScanner(columns: columns, explode: explode)
                    do throws(ScanError) { try scanner.scan(buffer) } catch {
                        Issue.record("\(error.message)")
                        return
                    }
                    let want = RecordValues(columns: columns, explode: explode)
                    tree.evaluate(columns, explode: explode, line: buffer, into: want)
                    let got = scanner.record
                    #expect(got.elementParent == want.elementParent, "\(String(decoding: line, as: UTF8.self))")
                    for index in columns.indices {
                        #expect(Array(got.values(index)).map(\.kind) == Array(want.values(index)).map(\.kind))
                        #expect(Array(got.tags(index)) == Array(want.tags(index)), "\(String(decoding: line, as: UTF8.self)) \(columns[index].path) \(explode)")
                        #expect(got.crossedArray(index) == want.crossedArray(index))
                    }
                    compared += 1
                }
            }
        }
        #expect(compared == 1600)
    }
}

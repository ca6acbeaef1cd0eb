// Fuzz target `scanner`: JSONLineScanner against the independent oracle (fuzz/Oracle/RecordTree.swift).
//
// For each input (one line):
//   1. the verdict: the scanner (no columns; and in discovery mode) accepts exactly what the
//      oracle's strict parser accepts, and an error's offset lies inside the line;
//   2. on valid lines, with every path of the record selected (up to 32), the values, their
//      "crossed an array" flags and (with --explode on the record's array paths) the element
//      tags equal the oracle's walk: duplicate keys included (the last one wins).
import MicsDecode
import MicsVocabulary
#if canImport(Glibc)
import Glibc
#endif

@inline(never)
func fail(_ what: String, _ line: UnsafeBufferPointer<UInt8>) -> Never {
    report("\(what)\nline: \(String(decoding: line, as: UTF8.self).debugDescription)")
}

func scanError(_ scanner: inout JSONLineScanner, _ line: UnsafeBufferPointer<UInt8>) -> ScanError? {
    do throws(ScanError) {
        try scanner.scan(line)
        return nil
    } catch {
        return error
    }
}

/// Every object-key path in the tree, first-seen order; and which of them hold an array.
func paths(_ tree: RecordTree, _ prefix: [String], _ out: inout [[String]], _ arrays: inout [[String]]) {
    switch tree {
    case .object(_, _, let members):
        for member in members {
            let path = prefix + [String(decoding: member.key, as: UTF8.self)]
            if !out.contains(path) { out.append(path) }
            if case .array = member.value, !arrays.contains(path) { arrays.append(path) }
            paths(member.value, path, &out, &arrays)
        }
    case .array(_, let elements):
        for element in elements { paths(element, prefix, &out, &arrays) }
    case .scalar:
        break
    }
}

func compare(_ got: RecordValues, _ want: RecordValues, _ columns: [ColumnSpec], _ line: UnsafeBufferPointer<UInt8>,
             _ label: String) {
    func text(_ record: RecordValues, _ v: ValueRef) -> [UInt8] {
        switch v.kind {
        case .string, .escapedString, .number: return Array(line[Int(v.start)..<Int(v.end)])
        case .arenaJSON: return Array(record.arena[Int(v.start)..<Int(v.end)])
        case .true, .false, .null: return []
        }
    }
    for (index, column) in columns.enumerated() {
        let a = got.values(index)
        let b = want.values(index)
        let where_ = "\(label) column \(column.path)"
        guard a.count == b.count else { fail("\(where_): \(a.count) values, oracle \(b.count)", line) }
        for k in 0..<a.count {
            guard a[k].kind == b[k].kind, text(got, a[k]) == text(want, b[k]) else {
                fail("\(where_) value \(k): \(a[k]) \(String(decoding: text(got, a[k]), as: UTF8.self)) vs oracle \(b[k]) \(String(decoding: text(want, b[k]), as: UTF8.self))", line)
            }
        }
        guard got.crossedArray(index) == want.crossedArray(index) else {
            fail("\(where_): crossed \(got.crossedArray(index)), oracle \(want.crossedArray(index))", line)
        }
        guard Array(got.tags(index)) == Array(want.tags(index)) else {
            fail("\(where_): tags \(Array(got.tags(index))), oracle \(Array(want.tags(index)))", line)
        }
    }
    guard got.elementParent == want.elementParent else {
        fail("\(label): elements \(got.elementParent), oracle \(want.elementParent)", line)
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let line = UnsafeBufferPointer(start: data, count: size)
    let tree = RecordTree.parse(line)

    // 1. The verdict.
    var plain = JSONLineScanner(columns: [])
    let plainError = scanError(&plain, line)
    if let plainError, plainError.offset < 0 || plainError.offset > size {
        fail("error offset \(plainError.offset) outside the line", line)
    }
    guard (plainError == nil) == (tree != nil) else {
        fail("scanner \(plainError.map { "rejects: \($0.message)" } ?? "accepts"), oracle \(tree == nil ? "rejects" : "accepts")", line)
    }
    var discovery = JSONLineScanner(columns: [], discoverAll: true)
    let discoveryError = scanError(&discovery, line)
    guard (discoveryError == nil) == (tree != nil) else {
        fail("discovery scanner \(discoveryError.map { "rejects: \($0.message)" } ?? "accepts"), oracle disagrees", line)
    }
    guard let tree else { return 0 }

    // 2. The values, on every path of the record.
    var all: [[String]] = []
    var arrays: [[String]] = []
    paths(tree, [], &all, &arrays)
    var columns = all.prefix(32).map { ColumnSpec(name: $0.joined(separator: "."), path: $0) }
    columns.append(ColumnSpec(name: "missing", path: ["no such key"]))
    var plans: [[[String]]] = [[]]
    if let outer = arrays.first {
        plans.append([outer])
        if let inner = arrays.first(where: { $0.count > outer.count && Array($0.prefix(outer.count)) == outer }) {
            plans.append([outer, inner])
        }
    }
    for explode in plans {
        var scanner = JSONLineScanner(columns: columns, explode: explode)
        if let error = scanError(&scanner, line) {
            // Before "the last key wins" moved into the scanner, it signalled duplicates.
            if "\(error.reason)" == "duplicateSelectedKey" { continue }
            fail("selected scan rejects a valid line: \(error.message)", line)
        }
        let want = RecordValues(columns: columns, explode: explode)
        tree.evaluate(columns, explode: explode, line: line, into: want)
        compare(scanner.record, want, columns, line, "explode \(explode)")
    }
    return 0
}

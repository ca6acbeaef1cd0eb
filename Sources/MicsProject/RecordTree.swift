import MicsVocabulary
import MicsDecode
/// A whole record as a tree, and SPEC 3's walk written as plainly as possible.
///
/// The scanner is the fast path; this is the simple one. It handles the rare record where
/// a selected key appears twice in one object (the last one wins), and the tests use it
/// as the oracle the scanner must agree with.
package indirect enum RecordTree {
    case array([RecordTree])
    /// A scalar: string (raw content range), number, literal or null.
    case scalar(ValueRef)
    /// The byte range of an object, for its compact text at a leaf.
    case objectText(Int, Int, [(key: [UInt8], value: RecordTree)])

    /// Parses a line that is already known to be valid JSON.
    package static func parse(_ line: UnsafeBufferPointer<UInt8>) -> RecordTree {
        var scanner = JSONLineScanner(columns: [])
        scanner.p = line.baseAddress ?? UnsafePointer(bitPattern: 1)!
        scanner.end = line.count
        scanner.i = 0
        return build(&scanner)
    }

    private static func build(_ s: inout JSONLineScanner) -> RecordTree {
        s.skipWhitespace()
        let start = s.i
        switch s.byte {
        case UInt8(ascii: "{"):
            s.i += 1
            var members: [(key: [UInt8], value: RecordTree)] = []
            s.skipWhitespace()
            while s.byte == UInt8(ascii: "\"") {
                let keyStart = s.i + 1
                let escaped = (try? s.string()) ?? false
                var key: [UInt8] = []
                let raw = UnsafeRawBufferPointer(start: s.p + keyStart, count: s.i - 1 - keyStart)
                if escaped { JSONUnescape.append(raw, to: &key) } else { key = Array(raw) }
                s.skipWhitespace()
                s.i += 1  // ':'
                members.append((key, build(&s)))
                s.skipWhitespace()
                if s.byte == UInt8(ascii: ",") { s.i += 1; s.skipWhitespace() }
            }
            s.i += 1  // '}'
            return .objectText(start, s.i, members)
        case UInt8(ascii: "["):
            s.i += 1
            var elements: [RecordTree] = []
            s.skipWhitespace()
            while s.byte != UInt8(ascii: "]") {
                elements.append(build(&s))
                s.skipWhitespace()
                if s.byte == UInt8(ascii: ",") { s.i += 1 }
            }
            s.i += 1
            return .array(elements)
        case UInt8(ascii: "\""):
            let escaped = (try? s.string()) ?? false
            return .scalar(ValueRef(kind: escaped ? .escapedString : .string, start: Int32(start + 1), end: Int32(s.i - 1)))
        case UInt8(ascii: "t"): s.i += 4; return .scalar(ValueRef(kind: .true, start: 0, end: 0))
        case UInt8(ascii: "f"): s.i += 5; return .scalar(ValueRef(kind: .false, start: 0, end: 0))
        case UInt8(ascii: "n"): s.i += 4; return .scalar(.null)
        default:
            try? s.number()
            return .scalar(ValueRef(kind: .number, start: Int32(start), end: Int32(s.i)))
        }
    }

    /// Fills `record` with every column's values, as the scanner would.
    package func evaluate(_ columns: [ColumnSpec], line: UnsafeBufferPointer<UInt8>, into record: RecordValues) {
        record.reset()
        for (index, column) in columns.enumerated() where record.isPrimary(index) {
            let path = column.path.map { Array($0.utf8) }
            walk(path[...], column: index, line: line, record: record)
        }
    }

    private func walk(_ path: ArraySlice<[UInt8]>, column: Int, line: UnsafeBufferPointer<UInt8>, record: RecordValues) {
        switch self {
        case .array(let elements):
            record.markCrossed(column)
            for element in elements { element.walk(path, column: column, line: line, record: record) }
        case .objectText(let start, let end, let members):
            guard let key = path.first else {
                let arenaStart = record.arena.count
                JSONCompact.append(UnsafeBufferPointer(rebasing: line[start..<end]), to: &record.arena)
                record.append(column, ValueRef(kind: .arenaJSON, start: Int32(arenaStart), end: Int32(record.arena.count)))
                return
            }
            // Duplicate keys: the last one wins.
            guard let member = members.last(where: { $0.key == key }) else {
                record.append(column, .null)
                return
            }
            member.value.walk(path.dropFirst(), column: column, line: line, record: record)
        case .scalar(let value):
            record.append(column, path.isEmpty ? value : .null)
        }
    }
}

import MicsDecode
import MicsVocabulary

/// The test oracle: a whole record as a tree, and SPEC 3's walk written as plainly as
/// possible, with a lexer of its own (it shares no code with `JSONLineScanner`, so a bug in
/// the scanner's string, number or UTF-8 handling cannot hide in both).
///
/// `parse` returns nil for a line that is not one valid JSON object (RFC 8259, strict UTF-8,
/// no lone surrogate escapes, at most `JSONLineScanner.maxDepth` nested containers).
/// `evaluate` fills a `RecordValues` the way the scanner must: values per column in document
/// order, "crossed an array" flags, and under `--explode` each value's element number.
/// Duplicate keys: the last one wins.
indirect enum RecordTree {
    case object(start: Int, end: Int, members: [(key: [UInt8], value: RecordTree)])
    case array(start: Int, elements: [RecordTree])
    /// A scalar: string (raw content range), number, literal or null.
    case scalar(start: Int, value: ValueRef)

    static let maxDepth = 512

    var start: Int {
        switch self {
        case .object(let start, _, _), .array(let start, _), .scalar(let start, _): return start
        }
    }

    // MARK: - Lexer and parser (independent of the scanner)

    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var at = 0

        var peek: UInt8? { at < bytes.count ? bytes[at] : nil }

        mutating func spaces() {
            while let c = peek, c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D { at += 1 }
        }

        mutating func take(_ word: String) -> Bool {
            let w = Array(word.utf8)
            guard bytes.count - at >= w.count else { return false }
            for (k, c) in w.enumerated() where bytes[at + k] != c { return false }
            at += w.count
            return true
        }

        /// A string token; returns its decoded bytes and whether it had escapes.
        mutating func string() -> (decoded: [UInt8], escaped: Bool)? {
            guard peek == UInt8(ascii: "\"") else { return nil }
            at += 1
            var out: [UInt8] = []
            var escaped = false
            while true {
                guard let c = peek else { return nil }
                if c == UInt8(ascii: "\"") {
                    at += 1
                    return (out, escaped)
                }
                if c < 0x20 { return nil }
                if c == UInt8(ascii: "\\") {
                    escaped = true
                    at += 1
                    guard let e = peek else { return nil }
                    at += 1
                    switch e {
                    case UInt8(ascii: "\""): out.append(0x22)
                    case UInt8(ascii: "\\"): out.append(0x5C)
                    case UInt8(ascii: "/"): out.append(0x2F)
                    case UInt8(ascii: "b"): out.append(0x08)
                    case UInt8(ascii: "f"): out.append(0x0C)
                    case UInt8(ascii: "n"): out.append(0x0A)
                    case UInt8(ascii: "r"): out.append(0x0D)
                    case UInt8(ascii: "t"): out.append(0x09)
                    case UInt8(ascii: "u"):
                        guard var scalar = hex4() else { return nil }
                        if scalar >= 0xDC00 && scalar <= 0xDFFF { return nil }  // a low surrogate alone
                        if scalar >= 0xD800 && scalar <= 0xDBFF {
                            guard take("\\u"), let low = hex4(), low >= 0xDC00 && low <= 0xDFFF else { return nil }
                            scalar = 0x10000 + (scalar - 0xD800) * 0x400 + (low - 0xDC00)
                        }
                        out.append(contentsOf: Array(String(Character(Unicode.Scalar(scalar)!)).utf8))
                    default: return nil
                    }
                    continue
                }
                if c < 0x80 {
                    out.append(c)
                    at += 1
                    continue
                }
                // One UTF-8 sequence, decoded by the standard library's validating decoder.
                let length = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2
                guard bytes.count - at >= length,
                    String(validating: UnsafeBufferPointer(rebasing: bytes[at..<at + length]), as: UTF8.self)?
                        .unicodeScalars.count == 1
                else { return nil }
                out.append(contentsOf: bytes[at..<at + length])
                at += length
            }
        }

        mutating func hex4() -> UInt32? {
            guard bytes.count - at >= 4 else { return nil }
            var v: UInt32 = 0
            for _ in 0..<4 {
                let c = bytes[at]
                let d: UInt32
                switch c {
                case 0x30...0x39: d = UInt32(c - 0x30)
                case 0x41...0x46: d = UInt32(c - 0x41 + 10)
                case 0x61...0x66: d = UInt32(c - 0x61 + 10)
                default: return nil
                }
                v = v * 16 + d
                at += 1
            }
            return v
        }

        mutating func digits() -> Int {
            var n = 0
            while let c = peek, c >= 0x30 && c <= 0x39 {
                at += 1
                n += 1
            }
            return n
        }

        mutating func number() -> Bool {
            if peek == UInt8(ascii: "-") { at += 1 }
            if peek == UInt8(ascii: "0") {
                at += 1
            } else if let c = peek, c >= 0x31 && c <= 0x39 {
                _ = digits()
            } else {
                return false
            }
            if peek == UInt8(ascii: ".") {
                at += 1
                guard digits() > 0 else { return false }
            }
            if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
                at += 1
                if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { at += 1 }
                guard digits() > 0 else { return false }
            }
            return true
        }

        /// A value; `containers`: how many containers enclose it.
        mutating func value(containers: Int) -> RecordTree? {
            let start = at
            switch peek {
            case UInt8(ascii: "{"):
                guard containers < RecordTree.maxDepth else { return nil }
                at += 1
                spaces()
                var members: [(key: [UInt8], value: RecordTree)] = []
                if peek == UInt8(ascii: "}") {
                    at += 1
                    return .object(start: start, end: at, members: members)
                }
                while true {
                    spaces()
                    guard let key = string() else { return nil }
                    spaces()
                    guard take(":") else { return nil }
                    spaces()
                    guard let value = value(containers: containers + 1) else { return nil }
                    members.append((key.decoded, value))
                    spaces()
                    if take(",") { continue }
                    guard take("}") else { return nil }
                    return .object(start: start, end: at, members: members)
                }
            case UInt8(ascii: "["):
                guard containers < RecordTree.maxDepth else { return nil }
                at += 1
                spaces()
                var elements: [RecordTree] = []
                if take("]") { return .array(start: start, elements: elements) }
                while true {
                    spaces()
                    guard let element = value(containers: containers + 1) else { return nil }
                    elements.append(element)
                    spaces()
                    if take(",") { continue }
                    guard take("]") else { return nil }
                    return .array(start: start, elements: elements)
                }
            case UInt8(ascii: "\""):
                guard let s = string() else { return nil }
                return .scalar(
                    start: start,
                    value: ValueRef(kind: s.escaped ? .escapedString : .string, start: Int32(start + 1), end: Int32(at - 1)))
            case UInt8(ascii: "t"):
                return take("true") ? .scalar(start: start, value: ValueRef(kind: .true, start: 0, end: 0)) : nil
            case UInt8(ascii: "f"):
                return take("false") ? .scalar(start: start, value: ValueRef(kind: .false, start: 0, end: 0)) : nil
            case UInt8(ascii: "n"):
                return take("null") ? .scalar(start: start, value: .null) : nil
            default:
                guard number() else { return nil }
                return .scalar(start: start, value: ValueRef(kind: .number, start: Int32(start), end: Int32(at)))
            }
        }
    }

    /// The record, or nil when the line is not exactly one valid JSON object.
    static func parse(_ line: UnsafeBufferPointer<UInt8>) -> RecordTree? {
        var reader = Reader(bytes: line)
        reader.spaces()
        guard reader.peek == UInt8(ascii: "{"), let tree = reader.value(containers: 0) else { return nil }
        reader.spaces()
        return reader.at == line.count ? tree : nil
    }

    /// Whether a line is one valid JSON object.
    static func isValidRecord(_ line: UnsafeBufferPointer<UInt8>) -> Bool { parse(line) != nil }

    // MARK: - SPEC 3's walk

    /// The member for a key: the last one wins.
    func member(_ key: [UInt8]) -> RecordTree? {
        guard case .object(_, _, let members) = self else { return nil }
        return members.last { $0.key == key }?.value
    }

    /// Fills `record` with every column's values, as the scanner must.
    func evaluate(_ columns: [ColumnSpec], explode: [[String]] = [], line: UnsafeBufferPointer<UInt8>,
                  into record: RecordValues) {
        record.reset()
        let explodePaths = explode.map { $0.map { Array($0.utf8) } }
        // First the elements of the exploded arrays, numbered in document order per level;
        // an element is known by the byte offset where it starts.
        var elementNumber: [Int: Int32] = [:]
        func number(_ tree: RecordTree, level: Int, parent: Int32, depth: Int) {
            guard level <= explodePaths.count else { return }
            let path = explodePaths[level - 1]
            // Walk from the record (level 1) or from an element (deeper levels) to the array.
            func reach(_ node: RecordTree, _ k: Int) {
                if k == path.count {
                    switch node {
                    case .array(_, let elements):
                        for element in elements { enter(element) }
                    case .object: enter(node)
                    case .scalar: break
                    }
                    return
                }
                switch node {
                case .array(_, let elements): for element in elements { reach(element, k) }
                case .object: if let next = node.member(path[k]) { reach(next, k + 1) }
                case .scalar: break
                }
            }
            func enter(_ element: RecordTree) {
                let n = Int32(record.elementParent[level].count)
                record.elementParent[level].append(parent)
                elementNumber[element.start] = n
                number(element, level: level + 1, parent: n, depth: path.count)
            }
            reach(tree, depth)
        }
        number(self, level: 1, parent: 0, depth: 0)

        for (index, column) in columns.enumerated() where record.isPrimary(index) {
            let path = column.path.map { Array($0.utf8) }
            var current = Array(repeating: Int32(-1), count: explodePaths.count + 1)
            current[0] = 0
            walk(path, 0, column: index, explodePaths, &current, elementNumber, inElement: false, line: line, record: record)
        }
    }

    private func walk(_ path: [[UInt8]], _ k: Int, column: Int, _ explodePaths: [[[UInt8]]], _ current: inout [Int32],
                      _ numbers: [Int: Int32], inElement: Bool, line: UnsafeBufferPointer<UInt8>, record: RecordValues) {
        // Is this position the array of an explode level (the walk has consumed its path)?
        let level = inElement ? 0 : (explodePaths.firstIndex { $0.count == k && Array(path.prefix(k)) == $0 }.map { $0 + 1 } ?? 0)
        func append(_ value: ValueRef) {
            record.currentElement = current
            record.append(column, value)
        }
        switch self {
        case .array(_, let elements):
            if level == 0 { record.markCrossed(column) }
            for element in elements {
                if level > 0 { current[level] = numbers[element.start] ?? -1 }
                element.walk(path, k, column: column, explodePaths, &current, numbers, inElement: true, line: line, record: record)
                if level > 0 { current[level] = -1 }
            }
        case .object(let start, let end, _):
            if level > 0 { current[level] = numbers[start] ?? -1 }
            defer { if level > 0 { current[level] = -1 } }
            guard k < path.count else {
                let arenaStart = record.arena.count
                record.arena.append(contentsOf: Self.compact(UnsafeBufferPointer(rebasing: line[start..<end])))
                append(ValueRef(kind: .arenaJSON, start: Int32(arenaStart), end: Int32(record.arena.count)))
                return
            }
            guard let member = member(path[k]) else {
                append(.null)
                return
            }
            member.walk(path, k + 1, column: column, explodePaths, &current, numbers, inElement: false, line: line, record: record)
        case .scalar(_, let value):
            append(k == path.count ? value : .null)
        }
    }

    /// Valid JSON text without its insignificant white space (written apart from `JSONCompact`).
    static func compact(_ text: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        var inString = false
        var escape = false
        for c in text {
            if inString {
                out.append(c)
                if escape {
                    escape = false
                } else if c == 0x5C {
                    escape = true
                } else if c == 0x22 {
                    inString = false
                }
            } else if c == 0x22 {
                inString = true
                out.append(c)
            } else if c != 0x20 && c != 0x09 && c != 0x0A && c != 0x0D {
                out.append(c)
            }
        }
        return out
    }
}

import MicsVocabulary
import MicsDecode
import MicsProject
/// Flat NDJSON: one object per row, every column a key, in column order, in every line.
/// Strings and numbers are copied as the tokens they were (exact digits, original escapes).
package struct NDJSONRowWriter: RowWriter {
    /// `"name":` for each column, encoded once.
    package let keys: [[UInt8]]
    package let separator: [UInt8]
    package let resolver: CellResolver
    private var scratch: [UInt8] = []

    package init(names: [String], options: ConvertOptions) {
        keys = names.enumerated().map { index, name in
            (index == 0 ? [UInt8(ascii: "{")] : [UInt8(ascii: ",")]) + JSONEscape.string(name) + [UInt8(ascii: ":")]
        }
        separator = Array(options.arraySeparator.utf8)
        resolver = CellResolver(arrays: options.arrays)
    }

    package func preamble() -> [UInt8] { [] }

    package mutating func write(record row: RecordRow, text: ValueText, to out: inout [UInt8]) {
        write(row, text: text, to: &out)
    }

    package mutating func write(exploded row: ExplodedRow, text: ValueText, to out: inout [UInt8]) {
        write(row, text: text, to: &out)
    }

    package mutating func write<Row: RowCells>(_ row: Row, text: ValueText, to out: inout [UInt8]) {
        if keys.isEmpty { out.append(UInt8(ascii: "{")) }
        for column in 0..<keys.count {
            out.append(contentsOf: keys[column])
            let values = row.values(column)
            switch resolver.resolve(values, crossed: row.crossedArray(column)) {
            case .null:
                out.append(contentsOf: "null".utf8)
            case .single(let value):
                text.appendJSON(value, to: &out)
            case .joined:
                scratch.removeAll(keepingCapacity: true)
                text.appendJoined(values, separator: separator, to: &scratch)
                // Borrow the buffer (a copy would make the next append reallocate it).
                var joined: [UInt8] = []
                swap(&joined, &scratch)
                joined.withUnsafeBufferPointer { JSONEscape.appendString($0, to: &out) }
                swap(&joined, &scratch)
            case .jsonArray:
                text.appendJSONArray(values, to: &out)
            }
        }
        out.append(UInt8(ascii: "}"))
        out.append(0x0A)
    }
}

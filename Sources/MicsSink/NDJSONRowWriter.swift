import MicsVocabulary
import MicsDecode
import MicsProject
/// Flat NDJSON: one object per row, every column a key, in column order, in every line.
/// Strings and numbers are copied as the tokens they were (exact digits, original escapes).
package struct NDJSONRowWriter: RowWriter {
    /// `"name":` for each column, encoded once.
    package let keys: [[UInt8]]
    /// `--tables`: the leading key columns (`_row`, `_<seg>_idx`…) among the keys; 0 otherwise.
    package let keyCount: Int
    package let separator: [UInt8]
    package private(set) var types: [ColumnTypeState]
    package let resolver: CellResolver
    private var scratch: [UInt8] = []

    package init(names: [String], keyCount: Int = 0, options: ConvertOptions) {
        self.keyCount = keyCount
        types = Array(repeating: ColumnTypeState(), count: names.count - keyCount)
        keys = names.enumerated().map { index, name in
            (index == 0 ? [UInt8(ascii: "{")] : [UInt8(ascii: ",")]) + JSONEscape.string(name) + [UInt8(ascii: ":")]
        }
        separator = Array(options.arraySeparator.utf8)
        resolver = CellResolver(arrays: options.arrays)
    }

    package func preamble() -> [UInt8] { [] }

    package mutating func write(record row: RecordRow, text: ValueText, to out: inout [UInt8]) {
        writeRow(text: text, to: &out) { row.cell($0) }
    }

    package mutating func write(exploded row: ExplodedRow, text: ValueText, to out: inout [UInt8]) {
        write(row, text: text, to: &out)
    }

    package mutating func write<Row: RowCells>(_ row: Row, text: ValueText, to out: inout [UInt8]) {
        writeRow(text: text, to: &out) { (row.values($0), row.crossedArray($0)) }
    }

    @inline(__always)
    private mutating func writeRow(text: ValueText, to out: inout [UInt8], _ cell: (Int) -> RowCell) {
        if keys.isEmpty { out.append(UInt8(ascii: "{")) }
        for column in 0..<keys.count {
            out.append(contentsOf: keys[column])
            let (values, crossed) = cell(column)
            appendCell(values, crossed: crossed, column, text: text, to: &out)
        }
        out.append(UInt8(ascii: "}"))
        out.append(0x0A)
    }

    package var tableRowPrefix: [UInt8] { keys.first ?? [] }

    package mutating func writeTableRow(
        keys rowKeys: UnsafeBufferPointer<Int32>, _ row: TableRow, text: ValueText, to out: inout [UInt8]
    ) {
        for (index, key) in rowKeys.enumerated() {
            out.append(contentsOf: keys[1 + index])
            KeyText.append(Int(key), to: &out)
        }
        for column in 0..<types.count {
            out.append(contentsOf: keys[keyCount + column])
            let cell = row.cells[column]  // a field read: see `TableRow`
            appendCell(cell.values, crossed: cell.crossed, column, text: text, to: &out)
        }
        out.append(UInt8(ascii: "}"))
        out.append(0x0A)
    }

    @inline(__always)
    private mutating func appendCell(
        _ values: UnsafeBufferPointer<ValueRef>, crossed: Bool, _ column: Int, text: ValueText, to out: inout [UInt8]
    ) {
        switch resolver.resolve(values, crossed: crossed, text: text, types: &types, column: column) {
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
}

import MicsVocabulary
import MicsDecode
import MicsProject
/// RFC 4180 CSV: a field is quoted only when it holds the delimiter, `"`, CR or LF, or
/// is the empty string, or equals the null text (`\N` under `--null-value '\N'`): so that
/// NULL, written unquoted, and a string stay distinct (SPEC 5); quotes inside are doubled.
package struct CSVRowWriter: RowWriter {
    package let names: [String]
    /// `--tables`: the leading key columns (`_row`, `_<seg>_idx`…) among `names`; 0 otherwise.
    package let keyCount: Int
    package let delimiter: UInt8
    package let lineEnd: [UInt8]
    package let nullText: [UInt8]
    package let separator: [UInt8]
    package let header: Bool
    package let bom: Bool
    package let excelSafe: Bool
    package let resolver: CellResolver
    package private(set) var excelSafeChanges = 0
    package private(set) var types: [ColumnTypeState]
    /// Joined and JSON-array cells are built here, then quoted as one field.
    private var scratch: [UInt8] = []
    /// Bytes that force quoting (all below 128: a bit each in a 128-bit mask).
    private let specialLow: UInt64
    private let specialHigh: UInt64
    /// The same bytes, each repeated in a word, for `hasSpecial`.
    private let specialWords: (UInt64, UInt64, UInt64, UInt64)
    /// Read per joined cell without touching the arrays (a retain and release each).
    private let separatorCount: Int
    /// The separator when it is one byte (the usual `|`).
    private let separatorByte: UInt8
    private let separatorHasSpecial: Bool
    private let nullTextCount: Int

    package init(names: [String], keyCount: Int = 0, options: ConvertOptions) {
        self.names = names
        self.keyCount = keyCount
        types = Array(repeating: ColumnTypeState(), count: names.count - keyCount)
        delimiter = options.delimiter
        lineEnd = options.crlf ? [0x0D, 0x0A] : [0x0A]
        nullText = Array(options.nullValue.utf8)
        separator = Array(options.arraySeparator.utf8)
        header = options.header
        bom = options.bom
        excelSafe = options.excelSafe
        resolver = CellResolver(arrays: options.arrays)
        assert(SettledFits.literal == TypeFits.literal && SettledFits.anyNumber == TypeFits.anyNumber
               && SettledFits.string == TypeFits.string && SettledFits.json == TypeFits.json)
        var low: UInt64 = 0
        var high: UInt64 = 0
        for c in [delimiter, UInt8(ascii: "\""), 0x0D, 0x0A] {
            if c < 64 { low |= 1 << UInt64(c) } else if c < 128 { high |= 1 << UInt64(c - 64) }
        }
        specialLow = low
        specialHigh = high
        // A byte of 128 or more is never special (`isSpecial`): the quote stands in for it.
        let repeated = { (c: UInt8) in UInt64(c < 128 ? c : UInt8(ascii: "\"")) &* 0x0101_0101_0101_0101 }
        specialWords = (repeated(delimiter), repeated(UInt8(ascii: "\"")), repeated(0x0D), repeated(0x0A))
        separatorCount = separator.count
        separatorByte = separator.first ?? 0
        nullTextCount = nullText.count
        separatorHasSpecial = separator.contains { c in
            c < 64 ? (low >> UInt64(c)) & 1 != 0 : c < 128 && (high >> UInt64(c &- 64)) & 1 != 0
        }
    }

    package func preamble() -> [UInt8] {
        var out: [UInt8] = bom ? [0xEF, 0xBB, 0xBF] : []
        guard header else { return out }
        var writer = self
        for (index, name) in names.enumerated() {
            if index > 0 { out.append(delimiter) }
            let bytes = Array(name.utf8)
            // A header cell is text from the data (inferred paths): --excel-safe guards it too.
            bytes.withUnsafeBufferPointer { writer.appendField($0, isString: true, to: &out) }
        }
        out.append(contentsOf: lineEnd)
        return out
    }

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
        for column in 0..<types.count {
            if column > 0 { out.append(delimiter) }
            let (values, crossed) = cell(column)
            appendCell(values, crossed: crossed, column, text: text, to: &out)
        }
        appendLineEnd(to: &out)
    }

    package var tableRowPrefix: [UInt8] { [] }

    package mutating func writeTableRow(
        keys: UnsafeBufferPointer<Int32>, _ row: TableRow, text: ValueText, to out: inout [UInt8]
    ) {
        if !keys.isEmpty {
            // The keys in one append (each append checks the buffer's uniqueness: a call).
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: keys.count * (1 + KeyText.maxBytes)) { digits in
                var at = 0
                for key in keys {
                    digits[at] = delimiter
                    at += 1 + KeyText.write(Int(key), to: digits.baseAddress! + at + 1)
                }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: digits[0..<at]))
            }
        }
        for column in 0..<types.count {
            out.append(delimiter)
            let cell = row.cells[column]  // a field read: see `TableRow`
            appendCell(cell.values, crossed: cell.crossed, column, text: text, to: &out)
        }
        appendLineEnd(to: &out)
    }

    /// One byte or two (a table row is short: an array append per row showed in profiles).
    @inline(__always)
    private func appendLineEnd(to out: inout [UInt8]) {
        if lineEnd.count == 2 { out.append(0x0D) }
        out.append(0x0A)
    }

    @inline(__always)
    private mutating func appendCell(
        _ values: UnsafeBufferPointer<ValueRef>, crossed: Bool, _ column: Int, text: ValueText, to out: inout [UInt8]
    ) {
        switch resolver.resolve(values, crossed: crossed, text: text, types: &types, column: column) {
        case .null:
            out.append(contentsOf: nullText)
        case .single(let value):
            switch value.kind {
            case .string:
                appendField(text.raw(value), isString: true, to: &out)
            case .escapedString, .arenaJSON:
                scratch.removeAll(keepingCapacity: true)
                text.appendPlain(value, to: &scratch)
                // A pattern, not `==`: that is a witness call for another module's enum.
                let escaped = if case .escapedString = value.kind { true } else { false }
                appendScratch(isString: escaped, to: &out)
            default:
                guard !nullText.isEmpty else {
                    text.appendPlain(value, to: &out)
                    break
                }
                // `--null-value 0` or `true`: a number or literal that reads as the null text.
                scratch.removeAll(keepingCapacity: true)
                text.appendPlain(value, to: &scratch)
                appendScratch(isString: false, to: &out)
            }
        case .joined:
            if appendJoinedDirectly(values, text: text, to: &out) { break }
            scratch.removeAll(keepingCapacity: true)
            text.appendJoined(values, separator: separator, to: &scratch)
            appendScratch(isString: true, to: &out)
        case .jsonArray:
            scratch.removeAll(keepingCapacity: true)
            text.appendJSONArray(values, to: &scratch)
            appendScratch(isString: false, to: &out)
        }
    }

    /// A joined cell of plain strings and numbers that needs no quotes (the usual one: ids,
    /// emails), written straight to `out` with no scratch copy; false (nothing written) for
    /// any other, which goes through `scratch` and `appendField`. Same bytes either way.
    @inline(__always)
    private func appendJoinedDirectly(_ values: UnsafeBufferPointer<ValueRef>, text: ValueText, to out: inout [UInt8]) -> Bool {
        // --excel-safe looks at the joined text's first byte: left to the general path.
        guard !excelSafe else { return false }
        var length = separatorCount * (values.count - 1)
        for value in values {
            switch value.kind {
            case .string, .number:
                let raw = text.raw(value)
                if hasSpecial(raw) { return false }
                length += raw.count
            case .null: break
            default: return false
            }
        }
        // Empty or the null text: quoted by `appendField`.
        if length == 0 || length == nullTextCount { return false }
        if values.count > 1 && separatorHasSpecial { return false }
        if values.count == 1 {
            out.append(contentsOf: text.raw(values[0]))
            return true
        }
        // Made whole, then appended once: an append per value and separator (each a call that
        // checks the array's uniqueness and room) was most of the cell's time.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: length) { cell in
            guard var at = cell.baseAddress else { return }
            var first = true
            for value in values {
                if !first {
                    if separatorCount == 1 {
                        at.initialize(to: separatorByte)
                    } else if separatorCount > 1 {  // none at all with `array-separator: ""`
                        separator.withUnsafeBufferPointer { at.initialize(from: $0.baseAddress!, count: separatorCount) }
                    }
                    at += separatorCount
                }
                first = false
                guard !value.isNull else { continue }
                let raw = text.raw(value)
                if let from = raw.baseAddress {
                    at.initialize(from: from, count: raw.count)
                    at += raw.count
                }
            }
            out.append(contentsOf: UnsafeBufferPointer(cell))
        }
        return true
    }

    private mutating func appendScratch(isString: Bool, to out: inout [UInt8]) {
        var cell: [UInt8] = []
        swap(&cell, &scratch)  // borrow the buffer without a copy, give it back after
        cell.withUnsafeBufferPointer { appendField($0, isString: isString, to: &out) }
        swap(&cell, &scratch)
    }

    @inline(__always)
    private func isSpecial(_ c: UInt8) -> Bool {
        c < 64 ? (specialLow >> UInt64(c)) & 1 != 0 : c < 128 && (specialHigh >> UInt64(c &- 64)) & 1 != 0
    }

    /// Whether a byte of `field` forces quoting: eight bytes at a time (`c` in a word makes a
    /// zero byte in `word ^ repeated(c)`), a short field byte by byte. Cells are mostly ids and
    /// short text: a test per byte was most of the cell's time.
    @inline(__always)
    private func hasSpecial(_ field: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = field.baseAddress else { return false }
        var at = UnsafeRawPointer(base)
        let end = at + field.count
        let (delimiter, quote, cr, lf) = specialWords
        @inline(__always) func found(_ word: UInt64) -> Bool {
            Self.zeroByte(word ^ delimiter) | Self.zeroByte(word ^ quote) | Self.zeroByte(word ^ cr)
                | Self.zeroByte(word ^ lf) != 0
        }
        if field.count >= 8 {
            while end - at > 8 {
                if found(at.loadUnaligned(as: UInt64.self)) { return true }
                at += 8
            }
            // The last eight bytes, overlapping what was looked at.
            return found((end - 8).loadUnaligned(as: UInt64.self))
        }
        while at < end {
            if isSpecial(at.load(as: UInt8.self)) { return true }
            at += 1
        }
        return false
    }

    /// Not zero when a byte of `x` is zero (exact for that question, not for which byte).
    @inline(__always)
    private static func zeroByte(_ x: UInt64) -> UInt64 {
        (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080
    }

    @inline(__always)
    private mutating func appendField(_ field: UnsafeBufferPointer<UInt8>, isString: Bool, to out: inout [UInt8]) {
        var guarded = false
        if isString && excelSafe, let first = field.first, Self.isFormulaStart(first) {
            guarded = true
            excelSafeChanges += 1
        }
        // Empty, or the null text itself: quoted, so a loader reads the string, never NULL.
        // `\.` too: alone on a line it ends a PostgreSQL CSV COPY, and the rows after it are lost.
        let needsQuotes = field.isEmpty || (field.count == nullTextCount && field.elementsEqual(nullText))
            || hasSpecial(field) || (field.count == 2 && field[0] == UInt8(ascii: "\\") && field[1] == UInt8(ascii: "."))
        if !needsQuotes {
            if guarded { out.append(UInt8(ascii: "'")) }
            out.append(contentsOf: field)
            return
        }
        out.append(UInt8(ascii: "\""))
        if guarded { out.append(UInt8(ascii: "'")) }
        for c in field {
            if c == UInt8(ascii: "\"") { out.append(c) }
            out.append(c)
        }
        out.append(UInt8(ascii: "\""))
    }

    /// `=`, `+`, `-`, `@`, tab, CR: what spreadsheets read as a formula.
    @inline(__always)
    package static func isFormulaStart(_ c: UInt8) -> Bool {
        c == UInt8(ascii: "=") || c == UInt8(ascii: "+") || c == UInt8(ascii: "-") || c == UInt8(ascii: "@")
            || c == 0x09 || c == 0x0D
    }
}

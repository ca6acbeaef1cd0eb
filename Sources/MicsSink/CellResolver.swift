import MicsVocabulary
import MicsDecode
// In MicsSink, beside the writers that call it per cell: a `package` method is not inlined
// into another module (Swift 6.3.1, `@inlinable` or not), and from MicsProject every
// resolve, observe and append here was a call, with witness calls for the enum comparisons.

/// SPEC 3 in one place: what a column's leaf values become in one cell.
///
/// ```
/// values            crossed   join          json              first
/// [a]               no        a             a                 a
/// []                yes       NULL          []                NULL
/// [a, null, b]      yes       a||b          ["a",null,"b"]    a
/// [null, null]      yes       NULL          [null,null]       NULL
/// ```
package enum ResolvedCell {
    case null
    /// One leaf value, written as itself (string, number, literal, object).
    case single(ValueRef)
    /// `--arrays join`: the values' texts joined by the separator (a string cell).
    case joined
    /// `--arrays json`: a JSON array of the values.
    case jsonArray
}

package struct CellResolver {
    package let arrays: ArrayMode
    /// `arrays` as flags, read per cell (`==` on another module's enum is a witness call).
    private let firstOnly: Bool
    private let jsonArrays: Bool

    package init(arrays: ArrayMode) {
        self.arrays = arrays
        firstOnly = arrays == .first
        jsonArrays = arrays == .json
    }

    @inline(__always)
    package func resolve(_ values: UnsafeBufferPointer<ValueRef>, crossed: Bool) -> ResolvedCell {
        if !crossed || firstOnly {
            guard let first = values.first, !first.isNull else { return .null }
            return .single(first)
        }
        if jsonArrays { return .jsonArray }
        for value in values where !value.isNull { return .joined }
        return .null
    }
}

extension ValueRef {
    /// A pattern, not `== .null`: that is a witness call for another module's enum.
    @inline(__always)
    var isNull: Bool { if case .null = kind { true } else { false } }
}

/// Appends value texts: plain (for CSV cells and joins) or as JSON tokens.
package struct ValueText {
    package let line: UnsafeBufferPointer<UInt8>
    package let arena: UnsafeBufferPointer<UInt8>

    @inlinable @inline(__always)
    package func raw(_ value: ValueRef) -> UnsafeBufferPointer<UInt8> {
        let source = if case .arenaJSON = value.kind { arena } else { line }
        return UnsafeBufferPointer(rebasing: source[Int(value.start)..<Int(value.end)])
    }

    /// The text a CSV cell shows: strings unescaped, numbers as written, objects compact.
    @inlinable @inline(__always)
    package func appendPlain(_ value: ValueRef, to out: inout [UInt8]) {
        switch value.kind {
        case .string, .number, .arenaJSON: out.append(contentsOf: raw(value))
        case .escapedString: JSONUnescape.append(UnsafeRawBufferPointer(raw(value)), to: &out)
        case .true: out.append(contentsOf: "true".utf8)
        case .false: out.append(contentsOf: "false".utf8)
        case .null: break
        }
    }

    /// The value as a JSON token (strings keep their original escapes: already valid JSON).
    @inlinable @inline(__always)
    package func appendJSON(_ value: ValueRef, to out: inout [UInt8]) {
        switch value.kind {
        case .string, .escapedString:
            out.append(UInt8(ascii: "\""))
            out.append(contentsOf: raw(value))
            out.append(UInt8(ascii: "\""))
        case .number, .arenaJSON: out.append(contentsOf: raw(value))
        case .true: out.append(contentsOf: "true".utf8)
        case .false: out.append(contentsOf: "false".utf8)
        case .null: out.append(contentsOf: "null".utf8)
        }
    }

    @inlinable
    package func appendJoined(_ values: UnsafeBufferPointer<ValueRef>, separator: [UInt8], to out: inout [UInt8]) {
        var first = true
        for value in values {
            if !first { out.append(contentsOf: separator) }
            first = false
            appendPlain(value, to: &out)
        }
    }

    @inlinable
    package func appendJSONArray(_ values: UnsafeBufferPointer<ValueRef>, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "["))
        var first = true
        for value in values {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            appendJSON(value, to: &out)
        }
        out.append(UInt8(ascii: "]"))
    }
    
    @inlinable
    package init(line: UnsafeBufferPointer<UInt8>, arena: UnsafeBufferPointer<UInt8>) {
        self.line = line
        self.arena = arena
    }
}

/// JSON string escaping, for text that is not already a JSON token (joined cells, names).
package enum JSONEscape {
    package static func appendString(_ text: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for c in text {
            let escape: UInt8
            switch c {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): escape = c
            case 0x0A: escape = UInt8(ascii: "n")
            case 0x0D: escape = UInt8(ascii: "r")
            case 0x09: escape = UInt8(ascii: "t")
            case ..<0x20: escape = UInt8(ascii: "u")
            default:
                out.append(c)
                continue
            }
            out.append(UInt8(ascii: "\\"))
            out.append(escape)
            if escape == UInt8(ascii: "u") {
                // \u00XX: a control character with no short escape.
                out.append(0x30)
                out.append(0x30)
                out.append(hexDigit(c >> 4))
                out.append(hexDigit(c & 15))
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    @inline(__always)
    private static func hexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "a") + value - 10
    }

    package static func string(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        var copy = text
        copy.withUTF8 { appendString($0, to: &out) }
        return out
    }
}

extension CellResolver {
    /// The cell, and its type noted in `types[column]` (SPEC 10): what every writer does per cell.
    @inline(__always)
    package func resolve(
        _ values: UnsafeBufferPointer<ValueRef>, crossed: Bool, text: ValueText, types: inout [ColumnTypeState],
        column: Int
    ) -> ResolvedCell {
        let cell = resolve(values, crossed: crossed)
        // Read, and write only on a change: writing an element checks the array's uniqueness.
        if !types[column].isSettled(by: cell) { types[column].observe(cell, text: text) }
        return cell
    }
}

/// `TypeFits` masks, as literals: another module's `static let` is read through a call.
/// `CSVRowWriter.init` checks them against `TypeFits` (debug builds).
package enum SettledFits {
    package static let literal: UInt8 = 1 | 64, anyNumber: UInt8 = 8 | 64, string: UInt8 = 64, json: UInt8 = 128
}

extension ColumnTypeState {
    /// True when noting this cell would change nothing: a value of a kind this column has
    /// already settled on (the usual case after the first rows), with no check left to make.
    /// It reads two fields: `observe` calls into MicsVocabulary, where nothing is inlined here.
    @inline(__always)
    package func isSettled(by cell: ResolvedCell) -> Bool {
        let plain: UInt8
        switch cell {
        case .null: return true
        case .joined: plain = SettledFits.string
        case .jsonArray: plain = SettledFits.json
        case .single(let value):
            switch value.kind {
            case .null: return true
            case .true, .false: plain = SettledFits.literal
            case .arenaJSON: plain = SettledFits.json
            case .string, .escapedString: plain = SettledFits.string
            case .number: plain = SettledFits.anyNumber
            }
        }
        // A column that still wants a date, timestamp or number check has bits outside `plain`.
        return seen && fits & plain == fits
    }

    /// SPEC 10: one cell as written. Its value's token kind decides, never its text's
    /// look; strings and numbers are looked at only while the column can still be a
    /// timestamp or date, an integer or decimal.
    @inline(__always)
    package mutating func observe(_ cell: ResolvedCell, text: ValueText) {
        switch cell {
        case .null: return
        case .joined: add(TypeFits.string)
        case .jsonArray: add(TypeFits.json)
        case .single(let value): observe(value, text: text)
        }
    }

    @inline(__always)
    package mutating func observe(_ value: ValueRef, text: ValueText) {
        switch value.kind {
        case .null: return
        case .true, .false: add(TypeFits.literal)
        case .arenaJSON: add(TypeFits.json)
        case .escapedString: add(TypeFits.string)  // a date or a timestamp has nothing to escape
        case .string: add(wantsTemporalCheck ? TypeFits.stringValue(text.raw(value)) : TypeFits.string)
        case .number:
            guard wantsNumberCheck else { return add(TypeFits.anyNumber) }
            let number = TypeFits.numberValue(text.raw(value))
            add(number.fits)
            noteDigits(integer: number.integer, fraction: number.fraction)
        }
    }
}

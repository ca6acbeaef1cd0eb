/// SPEC 10: the type a warehouse gets for a column, decided from every value written to it.
///
/// The cell text never changes; the type says what that text parses as everywhere:
///
/// | type      | every non-null cell is…                                            |
/// |-----------|--------------------------------------------------------------------|
/// | boolean   | `true` / `false`                                                   |
/// | integer   | an integer token within −2^63 … 2^63−1                              |
/// | decimal   | a number token without exponent, ≤ 38 digits in all                |
/// | double    | any number token                                                   |
/// | timestamp | an RFC 3339 date-time string with a zone, a real calendar time     |
/// | date      | a `YYYY-MM-DD` string, a real calendar date                        |
/// | string    | a string, a mix of kinds, a joined array cell; also: no value at all |
/// | json      | an object, a JSON array cell (`--arrays json`, an array in an array) |
///
/// Where several fit, the first in this order wins (`CaseIterable` order).
public enum ColumnType: String, Sendable, CaseIterable, Hashable {
    case boolean, integer, decimal, double, timestamp, date, string, json

    /// This type's bit in a `TypeFits` mask (the bits follow the order above).
    package var bit: UInt8 { 1 << UInt8(Self.allCases.firstIndex(of: self)!) }
}

/// A column's type as far as the values written so far say, with what a warehouse needs
/// to declare a decimal exactly (digits before and after the point).
public struct ColumnTypeState: Sendable, Hashable {
    /// The types every non-null value so far fits (a bit per `ColumnType`, in order).
    package private(set) var fits: UInt8 = 0xFF
    /// A non-null value was seen.
    package private(set) var seen = false
    /// Number tokens without exponent: the most digits before the point, and after it.
    public private(set) var integerDigits: Int16 = 0
    public private(set) var scale: Int16 = 0

    public init() {}

    /// The type: the first that every value fits; string when none was seen or none fits.
    public var type: ColumnType {
        guard seen, fits != 0 else { return .string }
        return ColumnType.allCases[fits.trailingZeroBitCount]
    }

    @inline(__always) package mutating func add(_ valueFits: UInt8) {
        seen = true
        fits &= valueFits
    }

    /// Whether a string value still needs its date/timestamp check.
    @inline(__always) package var wantsTemporalCheck: Bool { fits & (TypeFits.timestamp | TypeFits.date) != 0 }
    @inline(__always) package var wantsNumberCheck: Bool { fits & (TypeFits.integer | TypeFits.decimal) != 0 }

    /// Two workers' views of the same column, after both are done.
    public mutating func merge(_ other: ColumnTypeState) {
        fits &= other.fits
        seen = seen || other.seen
        integerDigits = max(integerDigits, other.integerDigits)
        scale = max(scale, other.scale)
    }

    @inline(__always) package mutating func noteDigits(integer: Int, fraction: Int) {
        if integer > integerDigits { integerDigits = Int16(clamping: integer) }
        if fraction > scale { scale = Int16(clamping: fraction) }
    }

    /// A state already decided (keys: integer).
    public static func fixed(_ type: ColumnType) -> ColumnTypeState {
        var state = ColumnTypeState()
        state.add(type.bit)
        return state
    }
}

/// Masks of the types a single value fits, and the checks that make them.
package enum TypeFits {
    package static let boolean: UInt8 = 1, integer: UInt8 = 2, decimal: UInt8 = 4, double: UInt8 = 8
    package static let timestamp: UInt8 = 16, date: UInt8 = 32, string: UInt8 = 64, json: UInt8 = 128

    package static let literal = boolean | string
    package static let anyNumber = double | string
    package static let exactNumber = decimal | double | string
    package static let integerNumber = integer | decimal | double | string

    /// A number token (already valid JSON): integer, decimal or double, and its digits.
    @inline(__always)
    package static func numberValue(_ token: UnsafeBufferPointer<UInt8>) -> (fits: UInt8, integer: Int, fraction: Int) {
        var index = 0
        let negative = token.first == UInt8(ascii: "-")
        if negative { index = 1 }
        let intStart = index
        while index < token.count, token[index] &- 0x30 < 10 { index += 1 }
        let integerDigits = index - intStart
        guard index < token.count else {
            return (integerFits(token, from: intStart, negative: negative) ? integerNumber
                    : integerDigits <= 38 ? exactNumber : anyNumber, integerDigits, 0)
        }
        guard token[index] == UInt8(ascii: ".") else { return (anyNumber, 0, 0) }  // an exponent
        index += 1
        let fracStart = index
        while index < token.count, token[index] &- 0x30 < 10 { index += 1 }
        let fraction = index - fracStart
        guard index == token.count else { return (anyNumber, 0, 0) }  // an exponent after the fraction
        return (integerDigits + fraction <= 38 ? exactNumber : anyNumber, integerDigits, fraction)
    }

    /// −2^63 … 2^63−1: 19 digits at most, compared with the bound when 19.
    @inline(__always)
    private static func integerFits(_ token: UnsafeBufferPointer<UInt8>, from start: Int, negative: Bool) -> Bool {
        let digits = token.count - start
        if digits < 19 { return true }
        if digits > 19 { return false }
        let bound: StaticString = negative ? "9223372036854775808" : "9223372036854775807"
        return bound.withUTF8Buffer { limit in
            for k in 0..<19 where token[start + k] != limit[k] { return token[start + k] < limit[k] }
            return true
        }
    }

    /// A string's content (no escapes): date, timestamp, or plain string.
    @inline(__always)
    package static func stringValue(_ s: UnsafeBufferPointer<UInt8>) -> UInt8 {
        if s.count == 10 { return isDate(s) ? date | string : string }
        if s.count >= 20 && s.count <= 35 { return isTimestamp(s) ? timestamp | string : string }
        return string
    }

    @inline(__always)
    private static func digits(_ s: UnsafeBufferPointer<UInt8>, _ from: Int, _ count: Int) -> Int? {
        var value = 0
        for k in from..<from + count {
            let d = s[k] &- 0x30
            guard d < 10 else { return nil }
            value = value * 10 + Int(d)
        }
        return value
    }

    /// `YYYY-MM-DD`, a real date (years 0001–9999, leap years by the Gregorian rule).
    package static func isDate(_ s: UnsafeBufferPointer<UInt8>) -> Bool {
        guard s.count >= 10, s[4] == UInt8(ascii: "-"), s[7] == UInt8(ascii: "-"),
            let year = digits(s, 0, 4), let month = digits(s, 5, 2), let day = digits(s, 8, 2),
            year >= 1, month >= 1, month <= 12, day >= 1
        else { return false }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days: Int
        switch month {
        case 2: days = leap ? 29 : 28
        case 4, 6, 9, 11: days = 30
        default: days = 31
        }
        return day <= days
    }

    /// RFC 3339 date-time with a zone: `YYYY-MM-DDTHH:MM:SS[.f{1,9}](Z|±HH:MM)`, upper-case
    /// `T` and `Z`, hours ≤ 23, seconds ≤ 59 (no leap second: not every warehouse takes one).
    package static func isTimestamp(_ s: UnsafeBufferPointer<UInt8>) -> Bool {
        guard s.count >= 20, isDate(s), s[10] == UInt8(ascii: "T"), s[13] == UInt8(ascii: ":"),
            s[16] == UInt8(ascii: ":"), let hour = digits(s, 11, 2), let minute = digits(s, 14, 2),
            let second = digits(s, 17, 2), hour <= 23, minute <= 59, second <= 59
        else { return false }
        var index = 19
        if s[index] == UInt8(ascii: ".") {
            index += 1
            let start = index
            while index < s.count, s[index] &- 0x30 < 10 { index += 1 }
            guard index - start >= 1, index - start <= 9 else { return false }
        }
        guard index < s.count else { return false }
        if s[index] == UInt8(ascii: "Z") { return index + 1 == s.count }
        guard s[index] == UInt8(ascii: "+") || s[index] == UInt8(ascii: "-"), index + 6 == s.count,
            s[index + 3] == UInt8(ascii: ":"), let zoneHour = digits(s, index + 1, 2),
            let zoneMinute = digits(s, index + 4, 2)
        else { return false }
        return zoneHour <= 23 && zoneMinute <= 59
    }
}

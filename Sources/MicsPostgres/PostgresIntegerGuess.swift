/// Columns staged as `bigint` while every cell copied so far is a canonical integer, so that a
/// column that ends `bigint` (SPEC.md §10) needs no `ALTER … TYPE` rewrite of the whole table.
///
/// ```
/// first chunk of a table ─▶ scan: columns whose cells are all NULL or canonical integers
///                           (at least one integer) ─▶ ALTER … TYPE bigint (the table is empty)
/// later chunks ───────────▶ scan those columns only ─▶ a cell that breaks the guess: end the COPY,
///                           ALTER … TYPE text (exact: see below), go on as text
/// finish ─────────────────▶ final type bigint: nothing to do; another: USING col::text::TYPE
/// ```
///
/// Exact whatever the final type: a canonical integer (`0`, `-12`, no `+`, no leading zero,
/// not `-0`, within −2^63 … 2^63−1) is the text that `bigint`'s output gives back for it, so
/// `col::text` is the cell as written, and `col::text::TYPE` is the cast the text staging
/// would have made. A quoted cell (`""`, the empty string) is never one. The guess is only
/// about speed: the types are still decided by the converter from all the data.
struct PostgresIntegerGuess: Sendable {
    /// Per column: staged as `bigint` now.
    private(set) var staged: [Bool]
    /// Whether the first chunk has been seen (the guess is made from it).
    private(set) var decided = false

    init(columns: Int) {
        staged = Array(repeating: false, count: columns)
    }

    /// Any column still staged as `bigint` (or the first chunk still to come).
    var isActive: Bool { !decided || staged.contains(true) }

    /// The first chunk: the columns to stage as `bigint`.
    mutating func decide(_ rows: UnsafeRawBufferPointer) -> [Int] {
        decided = true
        let scan = Self.scan(rows, candidates: Array(repeating: true, count: staged.count))
        for column in staged.indices where !scan.broken[column] && scan.integers[column] {
            staged[column] = true
        }
        return staged.indices.filter { staged[$0] }
    }

    /// A later chunk: the staged columns one of its cells breaks (now text again).
    mutating func check(_ rows: UnsafeRawBufferPointer) -> [Int] {
        let scan = Self.scan(rows, candidates: staged)
        let broken = staged.indices.filter { staged[$0] && scan.broken[$0] }
        for column in broken { staged[column] = false }
        return broken
    }

    /// Walks whole CSV rows (COPY's dialect: `,`, `"` quotes with `""` inside, `\n` row ends):
    /// for each candidate column, whether a cell is not NULL or a canonical integer (`broken`),
    /// and whether one is an integer (`integers`).
    static func scan(_ bytes: UnsafeRawBufferPointer, candidates: [Bool]) -> (broken: [Bool], integers: [Bool]) {
        var broken = candidates.map { !$0 }
        var integers = Array(repeating: false, count: candidates.count)
        let comma = UInt8(ascii: ","), quote = UInt8(ascii: "\""), newline = UInt8(ascii: "\n")
        let carriageReturn = UInt8(ascii: "\r")
        let n = bytes.count
        var i = 0
        var column = 0
        while i < n {
            let watched = column < candidates.count && !broken[column]
            if bytes[i] == quote {
                if column < broken.count { broken[column] = true }
                i += 1
                while i < n {
                    if bytes[i] == quote {
                        if i + 1 < n && bytes[i + 1] == quote {
                            i += 2
                            continue
                        }
                        i += 1
                        break
                    }
                    i += 1
                }
            } else {
                let start = i
                while i < n {
                    let byte = bytes[i]
                    if byte == comma || byte == newline || byte == carriageReturn { break }
                    i += 1
                }
                if watched && i > start {
                    if isCanonicalInteger(UnsafeRawBufferPointer(rebasing: bytes[start..<i])) {
                        integers[column] = true
                    } else {
                        broken[column] = true
                    }
                }
            }
            if i < n && bytes[i] == comma {
                column += 1
                i += 1
            } else {
                if i < n && bytes[i] == carriageReturn { i += 1 }
                if i < n && bytes[i] == newline { i += 1 }
                column = 0
            }
        }
        return (broken, integers)
    }

    /// The digits of −2^63 and 2^63−1, made once (not per 19-digit cell).
    private static let lowestDigits = Array("9223372036854775808".utf8)
    private static let highestDigits = Array("9223372036854775807".utf8)

    /// `0`, `-7`, `9223372036854775807`, `-9223372036854775808`; not `-0`, `007`, `+1`, `1.0`, `1e3`.
    static func isCanonicalInteger(_ cell: UnsafeRawBufferPointer) -> Bool {
        var digits = cell[...]
        let negative = digits.first == UInt8(ascii: "-")
        if negative { digits = digits.dropFirst() }
        guard let first = digits.first, digits.count <= 19 else { return false }
        for byte in digits where byte < UInt8(ascii: "0") || byte > UInt8(ascii: "9") { return false }
        if first == UInt8(ascii: "0") { return digits.count == 1 && !negative }
        if digits.count < 19 { return true }
        // 19 digits: compare with the bound, digit by digit (same length, so as text).
        let bound = negative ? lowestDigits : highestDigits
        return !digits.lexicographicallyPrecedes(bound) ? digits.elementsEqual(bound) : true
    }
}

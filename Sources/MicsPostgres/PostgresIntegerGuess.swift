/// Columns staged as `bigint` while every cell copied so far is a canonical integer, so that a
/// column that ends `bigint` (SPEC.md §10) needs no `ALTER … TYPE` rewrite of the whole table.
///
/// ```
/// first chunk of a table ─▶ scan: columns whose cells are all NULL or canonical integers
///                           (at least one integer) ─▶ ALTER … TYPE bigint (the table is empty)
/// later rows ─────────────▶ sent as int64 (PostgresBinaryTranscoder) ─▶ a cell that breaks the
///                           guess: scan the block for the columns it breaks, end the COPY,
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

    /// The first chunk: the columns to stage as `bigint`.
    mutating func decide(_ rows: UnsafeRawBufferPointer) -> [Int] {
        decided = true
        let scan = Self.scan(rows, candidates: Array(repeating: true, count: staged.count))
        for column in staged.indices where !scan.broken[column] && scan.integers[column] {
            staged[column] = true
        }
        return staged.indices.filter { staged[$0] }
    }

    /// Later rows, in which the transcoder found a cell of `column` that is not an integer: the
    /// staged columns they break, `column` among them (now text again).
    mutating func check(_ rows: UnsafeRawBufferPointer, breaking column: Int) -> [Int] {
        var scan = Self.scan(rows, candidates: staged)
        scan.broken[column] = true
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

    /// `0`, `-7`, `9223372036854775807`, `-9223372036854775808`; not `-0`, `007`, `+1`, `1.0`, `1e3`.
    static func isCanonicalInteger(_ cell: UnsafeRawBufferPointer) -> Bool {
        canonicalInteger(cell) != nil
    }

    /// The value of a canonical integer cell (see `isCanonicalInteger`), nil for any other.
    static func canonicalInteger(_ cell: UnsafeRawBufferPointer) -> Int64? {
        let zero = UInt8(ascii: "0")
        let negative = cell.first == UInt8(ascii: "-")
        let first = negative ? 1 : 0
        let digits = cell.count - first
        guard digits >= 1, digits <= 19 else { return nil }
        if cell[first] == zero { return digits == 1 && !negative ? 0 : nil }
        // At most 19 digits: below 10^19 < 2^64, so the magnitude cannot overflow.
        var magnitude: UInt64 = 0
        for index in first..<cell.count {
            let digit = cell[index] &- zero
            guard digit < 10 else { return nil }
            magnitude = magnitude &* 10 &+ UInt64(digit)
        }
        if negative {
            return magnitude <= 1 << 63 ? Int64(bitPattern: 0 &- magnitude) : nil
        }
        return magnitude <= UInt64(Int64.max) ? Int64(magnitude) : nil
    }
}

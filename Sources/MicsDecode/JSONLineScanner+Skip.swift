import CByteScan
import MicsVocabulary
/// The skip of a value nobody selected: most bytes of a wide record. CByteScan's
/// `mics_skip_value` checks it as the walk does (the same string and number checks, the
/// same grammar and depth limit) in one loop with its state in registers, not one call per
/// value; it gives up on an invalid value (or one nested 64 levels deep), and the walk of
/// `validateValue` then finds the error and names it.
///
/// ```
/// skipValue ──▶ mics_skip_value: valid ──▶ i = the value's end
///                     │ invalid, or nested ≥ 64 levels
///                     ▼
///               validateValue (+Grammar), one call per value: throws the error at its place
/// ```
extension JSONLineScanner {
    /// Skips the value at `i`, validating it; `depth` as for `validateValue`.
    @inline(__always)
    package mutating func skipValue(depth: Int) throws(ScanError) {
        // A scalar (most skipped values in a selected object) costs less checked here than a
        // call to the loop.
        switch byte {
        case UInt8(ascii: "\""):
            _ = try string()
            return
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"):
            try number()
            return
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            break
        default:
            try validateValue(depth: depth)  // true, false, null or an error
            return
        }
        // Containers the value may open: 0...maxDepth, as every caller's depth is at most
        // maxDepth (no clamping: its compares, hoisted into `object`, cost every object).
        let nesting = Int32(truncatingIfNeeded: Self.maxDepth - depth)
        let after = mics_skip_value(p, i, end, nesting, rejectsNul ? 1 : 0)
        if after >= 0 {
            i = after
        } else {
            try validateValue(depth: depth)
        }
    }
}

import MicsVocabulary
import CByteScan
/// Strings: the hot loop of every scan. Sixteen bytes are checked at once (SSE2, CByteScan's
/// `mics_string_end`) for the only bytes that need attention — `"`, `\`, control characters
/// and non-ASCII — so long ASCII strings (ids, emails, hashes) cost well under a cycle a byte.
extension JSONLineScanner {
    /// Scans a string starting at its opening quote; leaves `i` after the closing quote.
    /// Returns whether it holds backslash escapes.
    @inline(__always)
    package mutating func string() throws(ScanError) -> Bool {
        // The index lives in a register of the C loop: `self.i` would be stored and reloaded
        // on every step (perf showed the store-to-load stall as a quarter of the scan).
        let scanned = mics_string_end(p, i, end, rejectsNul ? 1 : 0)
        try Self.check(scanned, limit: end)
        i = scanned.end
        return scanned.escaped != 0
    }

    /// Throws the error a CByteScan check reports, if any.
    @inline(__always)
    package static func check(_ scanned: mics_scan, limit: Int) throws(ScanError) {
        guard scanned.error != 0 else { return }
        throw ScanError(offset: scanned.end, reason: reason(scanned, limit: limit))
    }

    private static func reason(_ scanned: mics_scan, limit: Int) -> ScanError.Reason {
        switch Int(scanned.error) {
        case MICS_SCAN_UNTERMINATED_STRING: return .unterminatedString
        case MICS_SCAN_CONTROL_CHARACTER: return .controlCharacter
        case MICS_SCAN_INVALID_ESCAPE: return .invalidEscape
        case MICS_SCAN_LONE_SURROGATE: return .loneSurrogate
        case MICS_SCAN_NUL_CHARACTER: return .nulCharacter
        case MICS_SCAN_INVALID_UTF8: return .invalidUTF8
        case MICS_SCAN_INVALID_NUMBER: return .invalidNumber
        default: return missingValue(at: scanned.end, limit: limit).reason
        }
    }

    /// Appends the value that spans `start..<i` (an object) to the arena as compact JSON.
    package mutating func appendCompactObject(from start: Int, column: Int32) {
        let arenaStart = record.arena.count
        JSONCompact.append(UnsafeBufferPointer(start: p + start, count: i - start), to: &record.arena)
        append(column, ValueRef(kind: .arenaJSON, start: Int32(arenaStart), end: Int32(record.arena.count)))
    }
}

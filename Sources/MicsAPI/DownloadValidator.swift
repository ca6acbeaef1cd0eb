/// What says which version of a file an answer holds (RFC 9110 §8.8): its `ETag` and
/// `Last-Modified`, read from the first answer of a download and compared with every
/// resumed one, so that bytes of two versions are never spliced.
///
///     first GET              ──200──▶ ETag: "v1"                        (remembered)
///     GET Range: bytes=k-, If-Range: "v1"
///                            ──206──▶ ETag: "v1"   same file: go on at byte k
///                            ──200──▶ ETag: "v2"   changed: the whole file is new → `InputChanged`
///
/// `If-Range` takes a strong validator only (RFC 9110 §13.1.5): a strong ETag, else a
/// `Last-Modified` that is strong by §8.8.2.2 (the answer's `Date` at least one second after
/// it: a file changed twice in one second could otherwise keep its date). A weak ETag
/// (`W/"…"`) is never sent. With neither, the resume sends `Range` alone, as a server with
/// no validators gets; any validator or size an answer does carry is still compared.
package struct DownloadValidator: Sendable, Equatable {
    package var etag: String?
    package var lastModified: String?
    /// The answer's `Date`, only to judge whether `lastModified` is strong.
    package var date: String?

    package init(etag: String?, lastModified: String?, date: String?) {
        self.etag = etag
        self.lastModified = lastModified
        self.date = date
    }

    package var hasStrongETag: Bool {
        guard let etag else { return false }
        return !etag.hasPrefix("W/") && etag.count >= 2 && etag.hasPrefix("\"") && etag.hasSuffix("\"")
    }

    /// `Last-Modified` can stand in `If-Range`: both dates parse and `Date` is ≥ 1 s later.
    package var hasStrongLastModified: Bool {
        guard let modified = lastModified.flatMap(HTTPDate.seconds), let date = date.flatMap(HTTPDate.seconds) else {
            return false
        }
        return date - modified >= 1
    }

    /// The `If-Range` value of a resume: the strong ETag, else a strong `Last-Modified`, else nil.
    package var ifRange: String? {
        if hasStrongETag { return etag }
        if hasStrongLastModified { return lastModified }
        return nil
    }

    /// Whether `later` (a resumed answer's validators) surely holds the file this one named:
    /// the one `ifRange` sent comes back equal. (A 200 to an `If-Range` is a mismatch unless
    /// the server ignores ranges, which this tells apart.)
    package func confirmed(by later: DownloadValidator) -> Bool {
        if hasStrongETag { return later.etag == etag }
        if hasStrongLastModified { return later.lastModified == lastModified }
        return false
    }

    /// Why `later` is another version of the file, or nil when nothing says so: an ETag or a
    /// `Last-Modified` that both answers carry and that differ (weak ones included: two weak
    /// tags that differ are two versions).
    package func change(in later: DownloadValidator) -> String? {
        if let etag, let other = later.etag, etag != other { return "ETag \(etag), now \(other)" }
        if let lastModified, let other = later.lastModified, lastModified != other {
            return "Last-Modified \(lastModified), now \(other)"
        }
        return nil
    }
}

/// IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`, RFC 9110 §5.6.7), the form servers must
/// send; the obsolete forms are not read (a date that does not parse is not used).
package enum HTTPDate {
    /// Seconds since 1970-01-01 UTC.
    package static func seconds(_ text: String) -> Int64? {
        let parts = text.split(separator: " ")
        guard parts.count == 6, parts[0].count == 4, parts[0].hasSuffix(","), parts[5] == "GMT",
            parts[1].count == 2, let day = Int64(parts[1]),
            let month = months.firstIndex(of: String(parts[2])).map({ Int64($0) + 1 }),
            parts[3].count == 4, let year = Int64(parts[3])
        else { return nil }
        let clock = parts[4].split(separator: ":")
        guard clock.count == 3, clock.allSatisfy({ $0.count == 2 }), let h = Int64(clock[0]), let m = Int64(clock[1]),
            let s = Int64(clock[2]), (1...31).contains(day), h < 24, m < 60, s < 61
        else { return nil }
        return days(year: year, month: month, day: day) * 86_400 + h * 3600 + m * 60 + s
    }

    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
    private static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}

/// An input changed while it was being read: a download resumed onto a newer version of its
/// file. The bytes already read belong to the old version, so nothing of this run can be
/// kept; `ConvertRunner` starts the run over from the first byte (a few times at most), which
/// gives the new version whole — never the old one's head spliced onto the new one's tail.
public struct InputChanged: Error, Sendable, CustomStringConvertible {
    /// Where: `GET /v1/exports/…/files/…`.
    public var location: String
    /// What told: `ETag "a", now "b"`.
    public var reason: String

    public init(location: String, reason: String) {
        self.location = location
        self.reason = reason
    }

    public var description: String { "\(location): the file changed during the download (\(reason))" }
}

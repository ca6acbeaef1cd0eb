/// A bad line kept for `--rejects`, with its place and reason.
public struct Reject: Sendable {
    public var source: String
    public var line: Int
    public var reason: String
    public var text: [UInt8]
    
    package init(source: String, line: Int, reason: String, text: [UInt8]) {
        self.source = source
        self.line = line
        self.reason = reason
        self.text = text
    }
}

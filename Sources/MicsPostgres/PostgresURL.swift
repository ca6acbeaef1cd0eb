/// The parts of `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=…]`, each optional
/// (`postgres:///db` leaves host, user and port to the environment). Percent escapes are decoded.
///
/// A mistake is reported with the URL's shape, never with its text: it may hold a password.
struct PostgresURL: Equatable {
    var user: String?
    var password: String?
    var host: String?
    var port: Int?
    var database: String?
    var sslMode: PostgresSSLMode?
    var applicationName: String?

    init() {}

    init(parsing text: String) throws {
        func fail(_ what: String) -> PostgresLoadError {
            PostgresLoadError(
                .settings,
                "database URL: \(what) (expected postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=MODE])"
            )
        }
        var rest = Substring(text)
        if let scheme = ["postgres://", "postgresql://"].first(where: { rest.lowercased().hasPrefix($0) }) {
            rest = rest.dropFirst(scheme.count)
        } else {
            throw fail("it must start with postgres:// or postgresql://")
        }
        var query: Substring = ""
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        var path: Substring?
        if let slash = rest.firstIndex(of: "/") {
            path = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
        }
        // The last `@` ends the user info: a password may hold `@` when it was not escaped.
        if let at = rest.lastIndex(of: "@") {
            let userInfo = rest[..<at]
            rest = rest[rest.index(after: at)...]
            if let colon = userInfo.firstIndex(of: ":") {
                user = try Self.decoded(userInfo[..<colon], fail("the user name has a bad % escape"))
                password = try Self.decoded(
                    userInfo[userInfo.index(after: colon)...], fail("the password has a bad % escape"))
            } else {
                user = try Self.decoded(userInfo, fail("the user name has a bad % escape"))
            }
        }
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { throw fail("an IPv6 host lacks its ']'") }
            host = String(rest[rest.index(after: rest.startIndex)..<close])
            let after = rest[rest.index(after: close)...]
            if after.first == ":" {
                port = try Self.port(after.dropFirst(), fail)
            } else if !after.isEmpty {
                throw fail("text after the IPv6 host")
            }
        } else {
            var hostText = rest
            if let colon = rest.lastIndex(of: ":") {
                port = try Self.port(rest[rest.index(after: colon)...], fail)
                hostText = rest[..<colon]
            }
            if !hostText.isEmpty { host = try Self.decoded(hostText, fail("the host has a bad % escape")) }
        }
        if let path, !path.isEmpty {
            database = try Self.decoded(path, fail("the database name has a bad % escape"))
        }
        for pair in query.split(separator: "&") where !pair.isEmpty {
            let key = pair.prefix { $0 != "=" }
            let value = try Self.decoded(pair.dropFirst(key.count + 1), fail("a parameter has a bad % escape"))
            switch key {
            case "sslmode": sslMode = try PostgresSSLMode(parsing: value, from: "database URL")
            case "application_name": applicationName = value
            case "user": user = value
            case "password": password = value
            case "host": host = value
            case "port": port = try Self.port(Substring(value), fail)
            case "dbname": database = value
            default:
                throw fail("unknown parameter '\(key)' (known: sslmode, application_name, user, host, port, dbname)")
            }
        }
    }

    private static func port(_ text: Substring, _ fail: (String) -> PostgresLoadError) throws -> Int? {
        if text.isEmpty { return nil }
        guard text.allSatisfy(\.isASCII), let value = Int(text), (1...65535).contains(value) else {
            throw fail("the port is not a number from 1 to 65535")
        }
        return value
    }

    /// Percent-decoding as URLs do; nil on a broken escape or bytes that are not UTF-8.
    private static func decoded(_ text: Substring, _ error: @autoclosure () -> PostgresLoadError) throws -> String {
        guard text.contains("%") else { return String(text) }
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        func hex(_ byte: UInt8?) -> UInt8? {
            switch byte {
            case .some(let b) where b >= 0x30 && b <= 0x39: return b - 0x30
            case .some(let b) where b >= 0x41 && b <= 0x46: return b - 0x41 + 10
            case .some(let b) where b >= 0x61 && b <= 0x66: return b - 0x61 + 10
            default: return nil
            }
        }
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%") {
                guard let high = hex(iterator.next()), let low = hex(iterator.next()) else { throw error() }
                bytes.append(high << 4 | low)
            } else {
                bytes.append(byte)
            }
        }
        guard let string = String(validating: bytes, as: UTF8.self) else { throw error() }
        return string
    }
}

/// Where and how to connect: `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=…]`
/// (SPEC.md §11), with libpq's environment variables filling what the URL leaves out.
///
/// ```
/// --load URL ─┐
/// MICS_DATABASE_URL ─┴─▶ URL parts ──▶ + PGHOST PGPORT PGUSER PGPASSWORD PGDATABASE PGSSLMODE ──▶ settings
/// ```
///
/// The password is kept, but never shown: `description` and every error print the URL without it.
public struct PostgresSettings: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String
    public var sslMode: PostgresSSLMode
    /// `application_name`, shown in `pg_stat_activity`.
    public var applicationName: String

    public init(
        host: String = "localhost", port: Int = 5432, user: String, password: String? = nil,
        database: String? = nil, sslMode: PostgresSSLMode = .prefer, applicationName: String = "mics-export"
    ) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.database = database ?? user
        self.sslMode = sslMode
        self.applicationName = applicationName
    }

    /// The URL without its password: safe for messages and logs.
    public var description: String {
        let hostPart = host.contains(":") ? "[\(host)]" : host
        return "postgres://\(Self.percentEncoded(user))@\(hostPart):\(port)/\(Self.percentEncoded(database))"
            + "?sslmode=\(sslMode.rawValue)"
    }

    /// Settings from `--load URL` (or `MICS_DATABASE_URL` when `url` is nil), libpq's variables filling gaps.
    ///
    /// Defaults as libpq's: host `localhost`, port 5432, user `$USER`, database = user, sslmode `prefer`.
    public static func resolve(url: String?, environment: [String: String]) throws -> PostgresSettings {
        let text = url ?? environment["MICS_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
        let parts = try text.map(PostgresURL.init(parsing:)) ?? PostgresURL()
        func env(_ name: String) -> String? {
            guard let value = environment[name], !value.isEmpty else { return nil }
            return value
        }
        guard let user = parts.user ?? env("PGUSER") ?? env("USER") else {
            throw PostgresLoadError(.settings, "no database user: put it in the URL (postgres://USER@HOST/DB) or set PGUSER")
        }
        var port = 5432
        if let parsed = parts.port {
            port = parsed
        } else if let text = env("PGPORT") {
            guard let value = Int(text), (1...65535).contains(value) else {
                throw PostgresLoadError(.settings, "PGPORT '\(text)' is not a port number (1…65535)")
            }
            port = value
        }
        var sslMode = PostgresSSLMode.prefer
        if let mode = parts.sslMode {
            sslMode = mode
        } else if let text = env("PGSSLMODE") {
            sslMode = try PostgresSSLMode(parsing: text, from: "PGSSLMODE")
        }
        return PostgresSettings(
            host: parts.host ?? env("PGHOST") ?? "localhost",
            port: port,
            user: user,
            password: parts.password ?? env("PGPASSWORD"),
            database: parts.database ?? env("PGDATABASE") ?? user,
            sslMode: sslMode,
            applicationName: parts.applicationName ?? "mics-export"
        )
    }

    /// Checks a URL's shape only (no environment, no connection): for `validate`. The error
    /// names the part that is wrong, never the URL's text.
    package static func checkURL(_ text: String) throws {
        _ = try PostgresURL(parsing: text)
    }

    static func percentEncoded(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".utf8)
                out += "%" + String(decoding: [hex[Int(byte >> 4)], hex[Int(byte & 15)]], as: UTF8.self)
            }
        }
        return out
    }
}

/// libpq's `sslmode`, the ones that make sense without client certificates.
public enum PostgresSSLMode: String, Sendable, CaseIterable {
    /// Plain TCP only.
    case disable
    /// TLS when the server offers it, else plain (libpq's default).
    case prefer
    /// TLS or nothing; the certificate is not checked (libpq's `require` without a root certificate).
    case require
    /// TLS, the certificate checked against the system's trust roots and the host name.
    case verifyFull = "verify-full"

    init(parsing text: String, from source: String) throws {
        guard let mode = PostgresSSLMode(rawValue: text) else {
            let known = PostgresSSLMode.allCases.map(\.rawValue).joined(separator: ", ")
            throw PostgresLoadError(.settings, "\(source): sslmode '\(text)' is not one of \(known)")
        }
        self = mode
    }
}

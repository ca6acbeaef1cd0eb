import MicsVocabulary
import MicsAPI
import Hummingbird

/// A small JSON value for the sandbox's answers: keys keep their order and `null`s are
/// written, so answers look like the reference's examples.
package enum SandboxJSON: Sendable {
    case string(String)
    case int(Int64)
    case bool(Bool)
    case null
    case array([SandboxJSON])
    case object([(String, SandboxJSON)])

    package static func string(_ value: String?) -> SandboxJSON { value.map { .string($0) } ?? .null }
    package static func int(_ value: Int64?) -> SandboxJSON { value.map { .int($0) } ?? .null }

    package func write(into out: inout [UInt8]) {
        switch self {
        case .string(let s): Self.writeString(s, into: &out)
        case .int(let i): out += Array(String(i).utf8)
        case .bool(let b): out += Array((b ? "true" : "false").utf8)
        case .null: out += Array("null".utf8)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (n, item) in items.enumerated() {
                if n > 0 { out.append(UInt8(ascii: ",")) }
                item.write(into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let fields):
            out.append(UInt8(ascii: "{"))
            for (n, (key, value)) in fields.enumerated() {
                if n > 0 { out.append(UInt8(ascii: ",")) }
                Self.writeString(key, into: &out)
                out.append(UInt8(ascii: ":"))
                value.write(into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    package var bytes: [UInt8] {
        var out: [UInt8] = []
        write(into: &out)
        return out
    }

    package static func writeString(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in s.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case UInt8(ascii: "\n"): out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case 0..<0x20:
                out += Array("\\u00".utf8) + Array(String(byte, radix: 16).leftPadded(to: 2).utf8)
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}

/// The platform's envelopes.
package enum SandboxEnvelope {
    package static func ok(_ data: SandboxJSON) -> Response {
        response(.ok, .object([("status", .string("ok")), ("data", data)]))
    }

    package static func page(_ items: [SandboxJSON], total: Int, first: Int, max: Int) -> Response {
        response(
            .ok,
            .object([
                ("status", .string("ok")), ("data", .array(items)), ("count", .int(Int64(items.count))),
                ("total", .int(Int64(total))), ("first_result", .int(Int64(first))),
                ("max_result", .int(Int64(max))), ("max_results", .int(Int64(max))),
            ])
        )
    }

    package static func error(_ status: HTTPResponse.Status, _ message: String, headers: HTTPFields = [:]) -> Response {
        let body = SandboxJSON.object([
            ("status", .string("error")), ("error", .string(message)),
            ("error_id", .string(UUIDText.random())),
        ])
        var response = response(status, body)
        response.headers.append(contentsOf: headers)
        return response
    }

    package static func response(_ status: HTTPResponse.Status, _ body: SandboxJSON) -> Response {
        Response(
            status: status,
            headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: body.bytes))
        )
    }
}

/// A random id shaped like the platform's `error_id` (a UUID), without Foundation.
package enum UUIDText {
    package static func random() -> String {
        var g = SystemRandomNumberGenerator()
        let hex = (0..<32).map { _ in String(Int.random(in: 0..<16, using: &g), radix: 16) }.joined()
        let c = Array(hex)
        return [c[0..<8], c[8..<12], c[12..<16], c[16..<20], c[20..<32]].map { String($0) }.joined(separator: "-")
    }
}

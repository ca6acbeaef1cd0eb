import MicsVocabulary
import MicsProject
import MicsExport
/// The platform wraps every JSON answer: `{"status":"ok","data":…}` on success,
/// `{"status":"error","error":"Resource Not Found","error_id":"9eed…"}` on failure.
/// Lists add paging fields, decoded loosely because the platform is not consistent
/// about them (`max_result` vs `max_results`, `total` sometimes missing).
package struct APIEnvelope<Payload: Decodable>: Decodable {
    package var status: String?
    package var data: Payload?
    package var error: APIMessage?
    package var errorID: String?
    package var count: Int?
    package var total: Int?
    package var firstResult: Int?
    package var maxResults: Int?

    package enum CodingKeys: String, CodingKey {
        case status, data, error, count, total
        case errorID = "error_id"
        case firstResult = "first_result"
        case maxResult = "max_result"
        case maxResults = "max_results"
    }

    package init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        status = try? c.decodeIfPresent(String.self, forKey: .status)
        data = try c.decodeIfPresent(Payload.self, forKey: .data)
        error = try? c.decodeIfPresent(APIMessage.self, forKey: .error)
        errorID = (try? c.decodeIfPresent(LooseString.self, forKey: .errorID))?.value
        count = (try? c.decodeIfPresent(LooseInt.self, forKey: .count))?.value
        total = (try? c.decodeIfPresent(LooseInt.self, forKey: .total))?.value
        firstResult = (try? c.decodeIfPresent(LooseInt.self, forKey: .firstResult))?.value
        maxResults =
            (try? c.decodeIfPresent(LooseInt.self, forKey: .maxResults))?.value
            ?? (try? c.decodeIfPresent(LooseInt.self, forKey: .maxResult))?.value
    }
}

/// Only the error half of the envelope, for answers whose `data` we do not care about
/// (or that are not JSON at all).
package struct APIErrorEnvelope: Decodable {
    package var error: APIMessage?
    package var errorID: String?

    package enum CodingKeys: String, CodingKey {
        case error
        case errorID = "error_id"
    }

    package init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        error = try? c.decodeIfPresent(APIMessage.self, forKey: .error)
        errorID = (try? c.decodeIfPresent(LooseString.self, forKey: .errorID))?.value
    }

    /// `Resource Not Found (error_id 9eed…)`, or nil when the body said nothing useful.
    package var summary: String? {
        guard let text = error?.text, !text.isEmpty else { return nil }
        return errorID.map { "\(text) (error_id \($0))" } ?? text
    }
}

/// `error` fields come as a string or as `{"message": …}`.
public struct APIMessage: Codable, Sendable, Hashable {
    public var text: String

    public init(_ text: String) { self.text = text }

    public init(from decoder: Decoder) throws {
        if let s = try? decoder.singleValueContainer().decode(String.self) {
            text = s
            return
        }
        struct Object: Decodable { var message: String? }
        text = (try decoder.singleValueContainer().decode(Object.self)).message ?? ""
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(text)
    }
}

/// An integer that may arrive as a number or a numeric string.
package struct LooseInt: Decodable {
    package var value: Int?

    package init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let i = try? c.decode(Int.self) {
            value = i
        } else if let s = try? c.decode(String.self) {
            value = Int(s)
        } else {
            value = nil
        }
    }
}

/// An id that should be a string (`"id": "9879"`) but might arrive as a number.
/// Integers are read as Int64 so big ids are never rounded through Double.
package struct LooseString: Codable, Sendable, Hashable {
    package var value: String

    package init(_ value: String) { self.value = value }

    package init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let s = try? c.decode(String.self) {
            value = s
        } else if let i = try? c.decode(Int64.self) {
            value = String(i)
        } else if let u = try? c.decode(UInt64.self) {
            value = String(u)
        } else {
            value = String(try c.decode(Double.self))
        }
    }

    package func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(value)
    }
}

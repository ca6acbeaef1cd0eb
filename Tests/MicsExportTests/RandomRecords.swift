/// A deterministic generator of ragged records: nested objects and arrays, strings with
/// escapes and multi-byte text, numbers kept as text, nulls, missing keys, type changes,
/// white space between tokens. Keys come from a small set so that column paths hit often.
struct RandomRecords {
    var rng: SplitMix

    /// (the key as written in JSON, the key it decodes to). `k\u0065` decodes to `ke`.
    static let keys: [(json: String, name: String)] = [
        ("a", "a"), ("b", "b"), ("c", "c"), ("id", "id"), ("é", "é"), ("k\\u0065", "ke"), ("x y", "x y"),
    ]

    static let strings = [
        #""""#, #""plain""#, #""with \"quotes\"""#, #""tab\there""#, #""line\nbreak\r\n""#,
        #""\u00e9t\u00e9""#, #""\ud83d\ude00 smile""#, #""chloé""#, #""a,b;c|d""#, #""=1+2""#,
        #""\\back\/slash""#, #""a rather long string of plain ascii, longer than eight bytes""#,
        #""😀 emoji and ünïcödé""#, #""-negative""#, #""@user""#, #""null""#, #""\u0000\u001f""#,
    ]

    static let numbers = [
        "0", "-0", "12", "1.50", "1e5", "1E+5", "-3.25e-7", "12345678901234567890123",
        "9007199254740993", "-1", "0.0", "2.5E-10",
    ]

    /// Objects sometimes repeat a key (the last one wins).
    var duplicateKeys = false

    init(seed: UInt64, duplicateKeys: Bool = false) {
        rng = SplitMix(state: seed)
        self.duplicateKeys = duplicateKeys
    }

    mutating func space() -> String {
        switch rng.below(8) {
        case 0: return " "
        case 1: return "\t "
        case 2: return "  \r "
        default: return ""
        }
    }

    /// One record: always an object at the top.
    mutating func record() -> String {
        space() + object(depth: 0) + space()
    }

    mutating func object(depth: Int) -> String {
        var names = Set<String>()
        var members: [String] = []
        for _ in 0..<rng.below(depth == 0 ? 7 : 4) {
            let key = rng.pick(Self.keys)
            // One key per object, unless duplicates are asked for.
            guard names.insert(key.name).inserted || (duplicateKeys && rng.oneIn(2)) else { continue }
            members.append("\"\(key.json)\"" + space() + ":" + space() + value(depth: depth + 1))
        }
        return "{" + space() + members.joined(separator: space() + "," + space()) + space() + "}"
    }

    mutating func array(depth: Int) -> String {
        var elements: [String] = []
        for _ in 0..<rng.below(4) { elements.append(value(depth: depth + 1)) }
        return "[" + space() + elements.joined(separator: space() + "," + space()) + space() + "]"
    }

    mutating func value(depth: Int) -> String {
        let roll = depth >= 5 ? 4 + rng.below(8) : rng.below(12)
        switch roll {
        case 0, 1, 2: return object(depth: depth)
        case 3: return array(depth: depth)
        case 4, 5: return rng.pick(Self.strings)
        case 6, 7: return rng.pick(Self.numbers)
        case 8: return "true"
        case 9: return "false"
        default: return "null"
        }
    }

    /// 1 to 6 column paths of 1 to 3 keys (a path and its prefix may both appear, and now and
    /// then the same path twice).
    mutating func paths() -> [String] {
        var result: [String] = []
        for _ in 0..<(1 + rng.below(6)) {
            let path = (0...rng.below(3)).map { _ in rng.pick(Self.keys).name }.joined(separator: ".")
            if !result.contains(path) || rng.oneIn(4) { result.append(path) }
        }
        return result
    }
}

import Testing

@testable import MicsDecode
@testable import MicsVocabulary

/// The skip of unselected values (`skipValue`: CByteScan's one-loop check, falling back to
/// `validateValue`) against `validateValue` alone, one value at a time: the same end on
/// every valid value, the same error (reason and offset) on every invalid one. Values are
/// random records, cut and mutated byte by byte, inside arrays and objects so that the
/// loop, not the scalar shortcut, reads them.
@Suite("JSON line scanner: the fast skip agrees with the validating walk")
struct JSONLineScannerSkipTests {
    /// Where the value ends, or the error it raises.
    enum Outcome: Equatable {
        case end(Int)
        case error(ScanError)
    }

    static func outcome(_ bytes: [UInt8], depth: Int, rejectsNul: Bool, fast: Bool) -> Outcome {
        var scanner = JSONLineScanner(columns: [])
        scanner.rejectsNul = rejectsNul
        return bytes.withUnsafeBufferPointer { line in
            scanner.p = line.baseAddress ?? UnsafePointer(bitPattern: 1)!
            scanner.end = line.count
            scanner.i = 0
            do throws(ScanError) {
                if fast { try scanner.skipValue(depth: depth) } else { try scanner.validateValue(depth: depth) }
                return .end(scanner.i)
            } catch {
                return .error(error)
            }
        }
    }

    static func expectSame(_ bytes: [UInt8], depth: Int = 1, rejectsNul: Bool = false) {
        let fast = outcome(bytes, depth: depth, rejectsNul: rejectsNul, fast: true)
        let slow = outcome(bytes, depth: depth, rejectsNul: rejectsNul, fast: false)
        #expect(fast == slow, "\(String(decoding: bytes, as: UTF8.self).debugDescription) at depth \(depth)")
    }

    /// Bytes a mutation puts in: structure, quotes, escapes, controls, UTF-8 pieces.
    static let noise: [UInt8] =
        Array(#"{}[]:,"\ u0aeE+-.9tfn"#.utf8)
        + [0x00, 0x09, 0x0A, 0x1F, 0x7F, 0x80, 0xBF, 0xC3, 0xE2, 0xED, 0xF0, 0xF4, 0xFF]

    @Test("random values, whole and mutated, inside containers")
    func randomValues() {
        var records = RandomRecords(seed: 12)
        var rng = SplitMix(state: 34)
        for round in 0..<3000 {
            let value = Array(records.value(depth: 0).utf8)
            let (open, close) = round % 2 == 0 ? ("[", "]") : (#"{"k":"#, "}")
            let wrapped = Array(open.utf8) + value + Array(close.utf8)
            Self.expectSame(wrapped)
            var mutated = wrapped
            for _ in 0..<(1 + rng.below(3)) where !mutated.isEmpty {
                let at = rng.below(mutated.count)
                switch rng.below(3) {
                case 0: mutated.remove(at: at)
                case 1: mutated.insert(rng.pick(Self.noise), at: at)
                default: mutated[at] = rng.pick(Self.noise)
                }
            }
            Self.expectSame(mutated, rejectsNul: round % 3 == 0)
            Self.expectSame(Array(mutated.prefix(rng.below(mutated.count + 1))))  // cut anywhere
        }
    }

    @Test(
        "nesting: the depth limit at its edge, and past the loop's 64 levels",
        arguments: [1, 63, 64, 65, 200, 447, 448, 449, 511, 512, 513])
    func nesting(levels: Int) {
        let arrays = Array((String(repeating: "[", count: levels) + String(repeating: "]", count: levels)).utf8)
        let objects = Array(
            (String(repeating: #"{"a":"#, count: levels) + "1" + String(repeating: "}", count: levels)).utf8)
        for depth in [0, 1, 64, 448, 511, 512] {
            Self.expectSame(arrays, depth: depth)
            Self.expectSame(objects, depth: depth)
        }
    }

    @Test("edge cases: spaces, empty containers, strings at the line's end, escapes and surrogates")
    func edgeCases() {
        let values = [
            "[]", "{}", "[ ]", "{ }", "[ 1 , 2 ]", #"{ "a" : 1 , "b" : [ ] }"#, "[1,]", #"{"a":1,}"#, "[,1]",
            #"{"a" 1}"#, #"{"a":}"#, #"{1:2}"#, "[1 2]", "[1}", #"{"a":1]"#, "[tru]", "[true,false,null]",
            "[nul]", "[-]", "[01]", "[1.]", "[1e]", "[1e+]", "[-0.5e-3]", "[1.5E+30]", #"["\u0000"]"#,
            #"["\ud800"]"#, #"["\ud800\udc00"]"#, #"["\udc00"]"#, #"["\ud800\u0041"]"#, #"["\x"]"#,
            #"["abcdefghijklmnopqrstuvwxyz\"0123456789"]"#, #"["é😀"]"#, "[\"\t\"]", #"["abc"#, "[",
            #"[" "]"#, "\u{20}[1]", "[1] ", "[\n1\r]",
        ]
        for value in values {
            Self.expectSame(Array(value.utf8))
            Self.expectSame(Array(value.utf8), rejectsNul: true)
        }
        // Strings that end within sixteen bytes of the line's end, each length.
        for length in 0..<40 {
            Self.expectSame(Array(("[\"" + String(repeating: "x", count: length) + "\"]").utf8))
            Self.expectSame(Array(("[\"" + String(repeating: "x", count: length)).utf8))
            Self.expectSame(Array(("[" + String(repeating: "7", count: length + 1) + "]").utf8))
        }
    }
}

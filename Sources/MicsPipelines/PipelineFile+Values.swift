import MicsExport
import MicsAPI
import Yams

/// The typed reads of `PipelineFile.Reader`: each reports what it expected, where, and
/// returns nil so reading goes on.
extension PipelineFile.Reader {
    /// A section's keys, each checked against the section's list; unknown ones are reported
    /// with the nearest valid key (or the section they belong to) and left out.
    package func entries(of node: Node, section: String) -> [(key: String, keyMark: PipelinePosition, value: Node)] {
        let valid = PipelineFile.keys[section] ?? []
        let place = section.isEmpty ? "at the top level" : "in \(section)"
        guard let mapping = node.mapping else {
            let what = section.isEmpty ? "the file" : "'\(section)'"
            report(
                node.mark,
                "\(what) must be a mapping of keys (\(valid.joined(separator: ", "))), not \(Self.kind(of: node))")
            return []
        }
        var result: [(key: String, keyMark: PipelinePosition, value: Node)] = []
        for (keyNode, value) in mapping {
            guard let key = keyNode.scalar?.string else {
                report(keyNode.mark, "a key \(place) must be a plain name, not \(Self.kind(of: keyNode))")
                continue
            }
            guard valid.contains(key) else {
                report(
                    keyNode.mark,
                    "unknown key '\(key)' \(place)" + Self.suggestion(for: key, section: section, valid: valid))
                continue
            }
            result.append((key, PipelinePosition(keyNode.mark), value))
        }
        return result
    }

    package static func suggestion(for key: String, section: String, valid: [String]) -> String {
        if let near = PipelineDiagnostic.nearest(to: key, in: valid) { return "; did you mean '\(near)'?" }
        if let home = PipelineFile.keys.first(where: { $0.key != section && $0.value.contains(key) })?.key {
            return home.isEmpty ? "; '\(key)' belongs at the top level" : "; '\(key)' belongs under \(home):"
        }
        return "; expected one of: \(valid.joined(separator: ", "))"
    }

    package static func kind(of node: Node) -> String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .scalar: return "a single value"
        case .alias: return "an alias"
        }
    }

    /// A scalar, `${…}` substituted. A plain `~`/`null`/empty value is reported unless
    /// `emptyAllowed` (then it is the text itself: `null-value: NULL` means the text NULL).
    package func text(_ node: Node, _ key: String, emptyAllowed: Bool = false) -> String? {
        guard let scalar = node.scalar else {
            report(node.mark, "'\(key)' expects a single value, not \(Self.kind(of: node))")
            return nil
        }
        if !emptyAllowed && scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string) {
            report(node.mark, "'\(key)' has no value")
            return nil
        }
        switch substitution.apply(scalar.string) {
        case .success(let value):
            return value
        case .failure(let failure):
            let quoted = scalar.style == .singleQuoted || scalar.style == .doubleQuoted
            let oneLine = !scalar.string.contains("\n") && scalar.style != .literal && scalar.style != .folded
            let start = PipelinePosition(node.mark)
            let at = start.shifted(by: failure.offset + (quoted ? 1 : 0))
            // A plain or quoted value folded from several lines has no "\n" left: the `${` may
            // lie on a later line, and the value's start is the best place (found by fuzzing).
            let onItsLine = start.line <= lines.count && at.column <= lines[start.line - 1].count + 1
            report(oneLine && onItsLine ? at : start, failure.message)
            return nil
        }
    }

    /// One value, or a list of values (`columns`, `files`, `explode`); each item's position
    /// is kept as `markKey.N` (1-based).
    package func textList(_ node: Node, _ key: String, markKey: String) -> [String]? {
        if node.scalar != nil {
            marks[markKey + ".1"] = PipelinePosition(node.mark)
            return text(node, key).map { [$0] }
        }
        guard let items = node.sequence else {
            report(node.mark, "'\(key)' expects a value or a list of values, not \(Self.kind(of: node))")
            return nil
        }
        var values: [String] = []
        for (offset, item) in items.enumerated() {
            marks["\(markKey).\(offset + 1)"] = PipelinePosition(item.mark)
            if let value = text(item, key) { values.append(value) }
        }
        if values.isEmpty && items.isEmpty { report(node.mark, "'\(key)' is an empty list") }
        return values.count == items.count && !values.isEmpty ? values : nil
    }

    package func bool(_ node: Node, _ key: String) -> Bool? {
        guard let value = text(node, key) else { return nil }
        switch value.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            report(node.mark, "'\(key)' expects true or false, not '\(value)'")
            return nil
        }
    }

    package func integer(_ node: Node, _ key: String, minimum: Int, maximum: Int? = nil) -> Int? {
        guard let value = text(node, key) else { return nil }
        let range = maximum.map { "\(minimum)…\($0)" } ?? "at least \(minimum)"
        guard let number = Int(value.replacingOccurrences(of: "_", with: "")), number >= minimum,
            number <= (maximum ?? .max)
        else {
            report(node.mark, "'\(key)' expects a whole number \(range), not '\(value)'")
            return nil
        }
        return number
    }

    package func choice<Choice: RawRepresentable & CaseIterable>(_ node: Node, _ key: String) -> Choice?
    where Choice.RawValue == String {
        guard let value = text(node, key) else { return nil }
        if let choice = Choice(rawValue: value.lowercased()) { return choice }
        let valid = Choice.allCases.map(\.rawValue)
        let near = PipelineDiagnostic.nearest(to: value, in: valid).map { "; did you mean '\($0)'?" } ?? ""
        report(node.mark, "unknown \(key) '\(value)': expected \(valid.joined(separator: ", "))" + near)
        return nil
    }

    /// `5000` or `5%` (YAML may read a bare number as a number; the text is what counts).
    func erroneousTasksLimit(_ node: Node, _ key: String) -> ErroneousTasksLimit? {
        guard let value = text(node, key) else { return nil }
        guard let limit = ErroneousTasksLimit(value) else {
            report(node.mark, "'\(key)' " + ErroneousTasksLimit.problem(with: value))
            return nil
        }
        return limit
    }

    /// An id of the platform: digits as written (YAML may read them as a number; we keep text).
    package func identifier(_ node: Node, _ key: String) -> String? {
        guard let value = text(node, key) else { return nil }
        guard !value.isEmpty, value.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            report(node.mark, "'\(key)' expects a numeric id such as 9879, not '\(value)'")
            return nil
        }
        return value
    }
}

/// Column names as written in the header: as given (`path`), or `snake` for warehouses
/// that want `[A-Za-z_][A-Za-z0-9_]*`, unique (a collision gets `_2`, `_3`…), stable.
enum HeaderNames {
    static func make(_ columns: [ColumnSpec], style: HeaderStyle) -> [String] {
        switch style {
        case .path: return columns.map(\.name)
        case .snake: return snake(columns.map(\.name))
        }
    }

    static func snake(_ names: [String]) -> [String] {
        var used = Set<String>()
        var result: [String] = []
        for name in names {
            var base = ""
            var lastWasUnderscore = false
            for scalar in name.unicodeScalars {
                let ok = scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar))
                if ok {
                    base.unicodeScalars.append(scalar)
                    lastWasUnderscore = false
                } else if !lastWasUnderscore {
                    base += "_"
                    lastWasUnderscore = true
                }
            }
            if base.isEmpty { base = "column" }
            if let first = base.unicodeScalars.first, ("0"..."9").contains(first) { base = "_" + base }
            var candidate = base
            var suffix = 2
            while used.contains(candidate.lowercased()) {
                candidate = "\(base)_\(suffix)"
                suffix += 1
            }
            used.insert(candidate.lowercased())
            result.append(candidate)
        }
        return result
    }
}

/// A plain RFC 4180 reader for checking what the CSV writer and the parts produce: fields
/// quoted or not, `""` inside quotes, CRLF or LF. A field is `nil` when it was empty and
/// unquoted (how mics-export writes NULL by default), `""` when it was quoted empty.
enum CSVTestReader {
    static func rows(_ text: String, delimiter: Character = ",") -> [[String?]] {
        var rows: [[String?]] = []
        var row: [String?] = []
        var field = ""
        var quoted = false
        var inQuotes = false
        var chars = Array(text)
        if chars.first == "\u{FEFF}" { chars.removeFirst() }
        var index = 0
        func endField() {
            row.append(field.isEmpty && !quoted ? nil : field)
            field = ""
            quoted = false
        }
        while index < chars.count {
            let c = chars[index]
            if inQuotes {
                if c == "\"" {
                    if index + 1 < chars.count && chars[index + 1] == "\"" {
                        field.append("\"")
                        index += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    field.append(c)
                }
            } else if c == "\"" && field.isEmpty {
                inQuotes = true
                quoted = true
            } else if c == delimiter {
                endField()
            } else if c == "\n" || c == "\r\n" || c == "\r" {
                endField()
                rows.append(row)
                row = []
            } else {
                field.append(c)
            }
            index += 1
        }
        if !field.isEmpty || quoted || !row.isEmpty {
            endField()
            rows.append(row)
        }
        return rows
    }
}

import MicsVocabulary
import MicsDecode
import MicsProject
import MicsSink
import Foundation

extension ConvertSettings {
    /// The resolved options: defaults applied, names checked, the output format and gzip
    /// taken from the output's extension when not said.
    public func resolve() throws -> ConvertOptions {
        if let target {
            // The preset fills what was not said; what was said wins.
            var said = self
            said.target = nil
            var options = try target.settings(output: output).overridden(by: said).resolve()
            options.target = target
            return options
        }
        var options = ConvertOptions()
        let sources = [columns != nil, query != nil, queryFile != nil].filter { $0 }.count
        guard sources <= 1 else {
            throw ExportError(.usage, "give one of --columns, --query and --query-file, not several")
        }
        if let columns { options.columns = try ColumnList.parse(columns) }
        if let query { options.columns = try OTQLParser.parse(query).columns }
        if let queryFile {
            guard let text = try? String(contentsOfFile: queryFile, encoding: .utf8) else {
                throw ExportError(.usage, "cannot read the query file", at: queryFile)
            }
            do {
                options.columns = try OTQLParser.parse(text).columns
            } catch var error as ExportError {
                error.location = queryFile
                throw error
            }
        }
        if let inferRows {
            guard inferRows > 0 else { throw ExportError(.usage, "--infer-rows must be at least 1") }
            options.inferRows = inferRows
        }
        options.arrays = arrays ?? .join
        options.arraySeparator = arraySeparator ?? "|"
        options.nullValue = nullValue ?? ""
        options.explode = try Self.explodePaths(explode ?? [])
        options.explodeDropEmpty = explodeDropEmpty ?? false

        options.outputPath = (output == "-") ? nil : output
        let named = OutputName(output)
        options.format = format ?? named.format ?? .csv
        options.gzip = gzip ?? named.gzip
        options.gzipLevel = level ?? 6
        guard (1...9).contains(options.gzipLevel) else {
            throw ExportError(.usage, "--level must be 1…9, not \(options.gzipLevel)")
        }
        options.delimiter = try Self.delimiterByte(delimiter ?? (named.tab ? "tab" : ","))
        options.crlf = crlf ?? false
        options.header = header ?? true
        options.bom = bom ?? false
        options.excelSafe = excelSafe ?? false
        options.headerStyle = headerStyle ?? .path
        if let splitRows {
            guard splitRows > 0 else { throw ExportError(.usage, "--split-rows must be at least 1") }
            options.splitRows = splitRows
        }
        if let splitBytes { options.splitBytes = try ByteSize.parse(splitBytes, option: "--split-bytes") }
        options.manifest = manifest ?? false
        if options.outputPath == nil, options.splitRows != nil || options.splitBytes != nil || options.manifest {
            throw ExportError(.usage, "--split-rows, --split-bytes and --manifest need an output file",
                              hint: "add -o NAME.csv.gz: parts are written as NAME-00001.csv.gz, NAME-00002.csv.gz, …")
        }
        options.onError = onError ?? .fail
        options.rejectsPath = rejects
        if let maxErrors, maxErrors < 0 { throw ExportError(.usage, "--max-errors must be 0 or more, not \(maxErrors)") }
        options.maxErrors = maxErrors
        options.maxLineBytes = maxLineBytes ?? (64 << 20)
        // Offsets inside a line are 32-bit (ValueRef): a line stays well below 2 GiB.
        guard (1...Self.maxLineBytesLimit).contains(options.maxLineBytes) else {
            throw ExportError(.usage, "--max-line-bytes must be 1…\(Self.maxLineBytesLimit) (1 GiB), not \(options.maxLineBytes)")
        }
        options.strict = strict ?? false
        options.tables = tables ?? false
        options.schema = (schema ?? false) || options.tables
        if options.tables {
            guard options.explode.isEmpty else {
                throw ExportError(.usage, "--tables and --explode are exclusive: --tables writes each array level as a table",
                                  hint: "drop --explode (the child tables hold one row per element)")
            }
            guard options.format != .raw else {
                throw ExportError(.usage, "--tables writes csv or ndjson tables, not raw records")
            }
        }
        if options.outputPath == nil, options.tables || options.schema {
            throw ExportError(.usage, "\(options.tables ? "--tables" : "--schema") needs an output file (-o)",
                              hint: "add -o out/NAME.csv: the tables are NAME.csv, NAME__emails.csv…, and NAME.schema.json")
        }
        return options
    }

    /// The largest `--max-line-bytes`: offsets in a line are 32-bit.
    package static let maxLineBytesLimit = 1 << 30

    /// Explode paths, outermost first; they must nest (`a`, `a.b`): siblings would
    /// multiply each other's rows.
    package static func explodePaths(_ texts: [String]) throws -> [[String]] {
        let paths = texts.map { $0.split(separator: ".", omittingEmptySubsequences: false).map(String.init) }
            .sorted { $0.count < $1.count }
        for path in paths where path.contains("") {
            throw ExportError(.usage, "--explode '\(path.joined(separator: "."))' has an empty path segment")
        }
        for (outer, inner) in zip(paths, paths.dropFirst()) where !inner.starts(with: outer) || inner == outer {
            let a = outer.joined(separator: "."), b = inner.joined(separator: ".")
            throw ExportError(.usage, "--explode '\(a)' and '\(b)' are \(inner == outer ? "the same path" : "siblings"): their rows would multiply",
                              hint: "explode nested paths only (activities, then activities.events), or run twice")
        }
        return paths
    }

    package static func delimiterByte(_ text: String) throws -> UInt8 {
        switch text {
        case "tab", "\\t", "\t": return 0x09
        default:
            let bytes = Array(text.utf8)
            guard bytes.count == 1, bytes[0] != UInt8(ascii: "\""), bytes[0] != 0x0A, bytes[0] != 0x0D else {
                throw ExportError(.usage, "--delimiter must be one ASCII character or 'tab', not '\(text)'")
            }
            return bytes[0]
        }
    }
}

/// What an output file name says: `x.csv.gz` is gzip CSV, `x.tsv` tab-separated…
package struct OutputName {
    package var format: OutputFormat?
    package var gzip = false
    package var tab = false

    package init(_ path: String?) {
        guard var name = path?.lowercased() else { return }
        if name.hasSuffix(".gz") {
            gzip = true
            name.removeLast(3)
        }
        if name.hasSuffix(".csv") {
            format = .csv
        } else if name.hasSuffix(".tsv") {
            format = .csv
            tab = true
        } else if name.hasSuffix(".ndjson") || name.hasSuffix(".jsonl") {
            format = .ndjson
        }
    }
}

/// `256MB`, `1GiB`, `5000000`: decimal units are powers of 1000, binary ones of 1024.
package enum ByteSize {
    package static func parse(_ text: String, option: String) throws -> Int64 {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let digits = trimmed.prefix { $0.isNumber }
        let unit = trimmed.dropFirst(digits.count).trimmingCharacters(in: .whitespaces).lowercased()
        let factors: [String: Int64] = ["": 1, "b": 1, "k": 1000, "kb": 1000, "kib": 1 << 10, "m": 1_000_000,
                                        "mb": 1_000_000, "mib": 1 << 20, "g": 1_000_000_000, "gb": 1_000_000_000, "gib": 1 << 30]
        guard digits.allSatisfy(\.isASCII), let factor = factors[unit], !digits.isEmpty else {
            throw ExportError(.usage, "\(option) takes a size like 256MB or 1GiB, not '\(text)'")
        }
        // Too many digits for Int64, or a product past the largest size: a usage error, not a crash.
        guard let value = Int64(digits), value > 0 else {
            throw ExportError(.usage, "\(option) must be between 1 byte and 1PiB, not '\(text)'")
        }
        let (bytes, overflow) = value.multipliedReportingOverflow(by: factor)
        guard !overflow, bytes <= maxBytes else {
            throw ExportError(.usage, "\(option) must be between 1 byte and 1PiB, not '\(text)'")
        }
        return bytes
    }

    /// The largest size an option takes (1 PiB): sums of part sizes stay far from overflow.
    package static let maxBytes: Int64 = 1 << 50
}

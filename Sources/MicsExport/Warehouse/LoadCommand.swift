import MicsVocabulary
import MicsDecode
import MicsProject
import MicsSink
import Foundation

/// The command that loads the files `convert` writes with these options into `table`.
///
/// Placeholders in capitals (`BUCKET`, `PREFIX`, `DATASET`, the IAM role) are for the
/// user to fill in; file names, header, null text, delimiter, gzip and parts come from
/// the options, so the command matches the files.
package enum LoadCommand {
    package static func render(_ target: WarehouseTarget, table: String, options: ConvertOptions) -> String? {
        let files = Files(options)
        let null = options.nullValue
        let delimiter = options.delimiter == 0x09 ? "\\t" : String(UnicodeScalar(options.delimiter))
        let name = identifier(table, for: target)
        switch target {
        case .bigquery:
            var flags = [
                "--source_format=CSV", "--skip_leading_rows=\(options.header ? 1 : 0)", "--allow_quoted_newlines",
            ]
            if delimiter != "," {
                flags.append("--field_delimiter=\(delimiter == "\\t" ? "tab" : shellQuoted(delimiter))")
            }
            if !null.isEmpty { flags.append("--null_marker=\(shellQuoted(null))") }
            return "bq load " + flags.joined(separator: " ") + " " + shellWord("DATASET." + table) + " "
                + shellQuoted("gs://BUCKET/PREFIX/" + files.pattern) + " " + shellWord(table + ".bigquery.json") + "\n"
        case .redshift:
            var lines = ["COPY \(name)"]
            if options.manifest {
                lines.append("FROM '\(sqlEscaped("s3://BUCKET/PREFIX/" + files.manifest))' MANIFEST")
            } else {
                lines.append("FROM '\(sqlEscaped("s3://BUCKET/PREFIX/" + files.prefix))'")
            }
            lines.append("IAM_ROLE 'arn:aws:iam::ACCOUNT:role/ROLE'")
            var format = "FORMAT AS CSV" + (delimiter != "," ? " DELIMITER '\(sqlEscaped(delimiter))'" : "")
            if options.gzip { format += " GZIP" }
            if options.header { format += " IGNOREHEADER 1" }
            format += null.isEmpty ? " EMPTYASNULL" : " NULL AS '\(sqlEscaped(null))'"
            lines.append(format + ";")
            var text = lines.joined(separator: "\n") + "\n"
            if options.manifest {
                // The manifest lists file names; Redshift wants s3:// URLs.
                text =
                    "-- upload the parts, then make the manifest's urls s3:// URLs:\n"
                    + "--   sed -i 's#\"url\":\"#\"url\":\"s3://BUCKET/PREFIX/#' \(shellWord(files.manifestPath))\n" + text
            }
            return text
        case .snowflake:
            // Snowflake string literals take backslash escapes: both \\ and ' are escaped.
            func literal(_ text: String) -> String {
                "'" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
            }
            var format = "TYPE = CSV FIELD_DELIMITER = \(literal(delimiter == "\\t" ? "\t" : delimiter))"
            format += " SKIP_HEADER = \(options.header ? 1 : 0)"
            format += " FIELD_OPTIONALLY_ENCLOSED_BY = '\"'"
            format += null.isEmpty ? " NULL_IF = () EMPTY_FIELD_AS_NULL = TRUE" : " NULL_IF = (\(literal(null))) EMPTY_FIELD_AS_NULL = FALSE"
            format += options.gzip ? " COMPRESSION = GZIP" : " COMPRESSION = NONE"
            return "PUT \(literal("file://" + files.localPattern)) @%\(name) AUTO_COMPRESS = FALSE;\n"
                + "COPY INTO \(name) FROM @%\(name)\n"
                + "  FILE_FORMAT = (\(format))\n"
                + "  PATTERN = \(literal(files.regex));\n"
        case .postgres:
            var with = "FORMAT csv, HEADER \(options.header)"
            if delimiter != "," { with += delimiter == "\\t" ? ", DELIMITER E'\\t'" : ", DELIMITER '\(sqlEscaped(delimiter))'" }
            if !null.isEmpty { with += ", NULL '\(sqlEscaped(null))'" }
            guard files.parted else {
                // \copy's file name is an SQL literal; PROGRAM's is a shell command inside one.
                let one = options.gzip
                    ? "PROGRAM '\(sqlEscaped("gzip -dc " + shellWord(files.localPattern)))'" : "'\(sqlEscaped(files.localPattern))'"
                return "\\copy \(name) FROM \(one) WITH (\(with))\n"
            }
            // psql's pstdin: the data comes from the shell loop, part after part. The psql
            // command is one single-quoted shell word: nothing in it is expanded.
            let read = options.gzip ? "gzip -dc \"$f\"" : "cat \"$f\""
            let copy = "\\copy \(name) FROM pstdin WITH (\(with))"
            return "for f in \(files.localGlob); do \(read) | psql -c \(shellQuoted(copy)); done\n"
        case .clickhouse:
            var settings: [String] = []
            if null != "\\N" { settings.append("--format_csv_null_representation=\(shellQuoted(null))") }
            if delimiter != "," {
                settings.append("--format_csv_delimiter=\(delimiter == "\\t" ? "$'\\t'" : shellQuoted(delimiter))")
            }
            let compression = options.gzip ? " COMPRESSION 'gzip'" : ""
            // ClickHouse literals take backslash escapes; the query is one single-quoted shell
            // word, so no `$(…)` or backquote in a name is ever run by the shell.
            let path = files.localPattern.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'")
            let query =
                "INSERT INTO \(name) FROM INFILE '\(path)'\(compression) FORMAT \(options.header ? "CSVWithNames" : "CSV")"
            return (["clickhouse-client"] + settings + ["--query", shellQuoted(query)]).joined(separator: " ") + "\n"
        case .excel:
            return nil
        }
    }

    /// A table name as each dialect quotes it (the same as `TableDefinition`'s CREATE TABLE).
    package static func identifier(_ table: String, for target: WarehouseTarget) -> String {
        switch target {
        case .postgres, .redshift: return TableDefinition.quoted(table)
        case .snowflake: return TableDefinition.snowflakeName(table)
        case .clickhouse:
            return "`" + table.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "`", with: "\\`") + "`"
        case .bigquery, .excel: return table
        }
    }

    /// The names of the files written: one, or parts matched by a glob / a regex.
    package struct Files {
        package var parted: Bool
        package var pattern: String
        package var localPattern: String
        package var localGlob: String
        package var regex: String
        package var prefix: String
        package var manifest: String
        package var manifestPath: String

        package init(_ options: ConvertOptions) {
            let path = options.outputPath ?? "out.csv"
            parted = options.splitRows != nil || options.splitBytes != nil
            let names = PartNames(path: path, parted: parted)
            let stem = PartNames.fileName(names.stem)
            let name = PartNames.fileName(path)
            pattern = parted ? stem + "-*" + names.extensions : name
            localPattern = parted ? names.stem + "-*" + names.extensions : path
            // For a shell: the glob's star stays bare, the rest is quoted when it needs to be.
            localGlob = parted ? LoadCommand.shellWord(names.stem + "-") + "*" + LoadCommand.shellWord(names.extensions)
                : LoadCommand.shellWord(path)
            regex = parted ? ".*" + Self.regexEscaped(stem) + "-[0-9]+" + Self.regexEscaped(names.extensions)
                : ".*" + Self.regexEscaped(name)
            prefix = parted ? stem + "-" : name
            manifest = PartNames.fileName(names.manifest)
            manifestPath = names.manifest
        }

        /// Every regex metacharacter as a literal: `.` as `[.]`, the others behind a backslash.
        static func regexEscaped(_ text: String) -> String {
            var out = ""
            for c in text {
                if c == "." { out += "[.]" } else if "\\^$|?*+()[]{}".contains(c) { out += "\\" + String(c) } else { out.append(c) }
            }
            return out
        }
    }

    /// A word for a shell: as it is when it holds nothing a shell reads specially, quoted otherwise.
    package static func shellWord(_ text: String) -> String {
        let plain = !text.isEmpty && text.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "._-/=:@%+,".unicodeScalars.contains($0)
        }
        return plain ? text : shellQuoted(text)
    }

    package static func shellQuoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    package static func sqlEscaped(_ text: String) -> String {
        text.replacingOccurrences(of: "'", with: "''")
    }
}

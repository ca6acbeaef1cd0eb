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
        switch target {
        case .bigquery:
            var flags = [
                "--source_format=CSV", "--skip_leading_rows=\(options.header ? 1 : 0)", "--allow_quoted_newlines",
            ]
            if delimiter != "," {
                flags.append("--field_delimiter=\(delimiter == "\\t" ? "tab" : shellQuoted(delimiter))")
            }
            if !null.isEmpty { flags.append("--null_marker=\(shellQuoted(null))") }
            return "bq load " + flags.joined(separator: " ") + " DATASET.\(table) "
                + shellQuoted("gs://BUCKET/PREFIX/" + files.pattern) + " \(table).bigquery.json\n"
        case .redshift:
            var lines = ["COPY \(table)"]
            if options.manifest {
                lines.append("FROM 's3://BUCKET/PREFIX/\(files.manifest)' MANIFEST")
            } else {
                lines.append("FROM 's3://BUCKET/PREFIX/\(files.prefix)'")
            }
            lines.append("IAM_ROLE 'arn:aws:iam::ACCOUNT:role/ROLE'")
            var format = "FORMAT AS CSV" + (delimiter != "," ? " DELIMITER '\(delimiter)'" : "")
            if options.gzip { format += " GZIP" }
            if options.header { format += " IGNOREHEADER 1" }
            format += null.isEmpty ? " EMPTYASNULL" : " NULL AS '\(sqlEscaped(null))'"
            lines.append(format + ";")
            var text = lines.joined(separator: "\n") + "\n"
            if options.manifest {
                // The manifest lists file names; Redshift wants s3:// URLs.
                text =
                    "-- upload the parts, then make the manifest's urls s3:// URLs:\n"
                    + "--   sed -i 's#\"url\":\"#\"url\":\"s3://BUCKET/PREFIX/#' \(files.manifestPath)\n" + text
            }
            return text
        case .snowflake:
            var format = "TYPE = CSV FIELD_DELIMITER = '\(delimiter)' SKIP_HEADER = \(options.header ? 1 : 0)"
            format += " FIELD_OPTIONALLY_ENCLOSED_BY = '\"'"
            format +=
                null.isEmpty
                ? " NULL_IF = () EMPTY_FIELD_AS_NULL = TRUE"
                : " NULL_IF = ('\(sqlEscaped(null))') EMPTY_FIELD_AS_NULL = FALSE"
            format += options.gzip ? " COMPRESSION = GZIP" : " COMPRESSION = NONE"
            return "PUT 'file://\(files.localPattern)' @%\(table) AUTO_COMPRESS = FALSE;\n"
                + "COPY INTO \(table) FROM @%\(table)\n"
                + "  FILE_FORMAT = (\(format))\n"
                + "  PATTERN = '\(files.regex)';\n"
        case .postgres:
            var with = "FORMAT csv, HEADER \(options.header)"
            if delimiter != "," { with += ", DELIMITER E'\(delimiter)'" }
            if !null.isEmpty { with += ", NULL '\(sqlEscaped(null))'" }
            guard files.parted else {
                let one = options.gzip ? "PROGRAM 'gzip -dc \(files.localPattern)'" : "'\(files.localPattern)'"
                return "\\copy \(table) FROM \(one) WITH (\(with))\n"
            }
            // psql's pstdin: the data comes from the shell loop, part after part.
            let read = options.gzip ? "gzip -dc \"$f\"" : "cat \"$f\""
            return
                "for f in \(files.localPattern); do \(read) | psql -c \"\\\\copy \(table) FROM pstdin WITH (\(with))\"; done\n"
        case .clickhouse:
            var settings: [String] = []
            if null != "\\N" { settings.append("--format_csv_null_representation=\(shellQuoted(null))") }
            if delimiter != "," {
                settings.append("--format_csv_delimiter=\(delimiter == "\\t" ? "$'\\t'" : shellQuoted(delimiter))")
            }
            let compression = options.gzip ? " COMPRESSION 'gzip'" : ""
            let query =
                "INSERT INTO \(table) FROM INFILE '\(files.localPattern)'\(compression) FORMAT \(options.header ? "CSVWithNames" : "CSV")"
            return (["clickhouse-client"] + settings + ["--query", "\"\(query)\""]).joined(separator: " ") + "\n"
        case .excel:
            return nil
        }
    }

    /// The names of the files written: one, or parts matched by a glob / a regex.
    package struct Files {
        package var parted: Bool
        package var pattern: String
        package var localPattern: String
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
            let escapedExtension = names.extensions.replacingOccurrences(of: ".", with: "[.]")
            regex =
                parted
                ? ".*" + stem + "-[0-9]+" + escapedExtension : ".*" + name.replacingOccurrences(of: ".", with: "[.]")
            prefix = parted ? stem + "-" : name
            manifest = PartNames.fileName(names.manifest)
            manifestPath = names.manifest
        }
    }

    package static func shellQuoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    package static func sqlEscaped(_ text: String) -> String {
        text.replacingOccurrences(of: "'", with: "''")
    }
}

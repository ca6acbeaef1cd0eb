import MicsVocabulary
import MicsDecode
import MicsProject
import MicsSink
extension WarehouseTarget {
    /// The preset's settings. Parts, the manifest and gzip only apply when writing to a
    /// file (stdout cannot be cut, and stays text unless `--gzip` says otherwise), and gzip
    /// only when the file's name does not already say (`users.csv` stays plain,
    /// `users.csv.gz` is gzip whatever the preset).
    public func settings(output: String?) -> ConvertSettings {
        var s = ConvertSettings()
        // Not the format nor the delimiter: the output's name (`.tsv`, `.ndjson`) says those.
        s.nullValue = ""
        s.headerStyle = .snake
        s.header = true
        s.bom = false
        s.crlf = false
        s.excelSafe = false
        let toFile = output != nil && output != "-"
        let nameSaysGzip = OutputName(output).format != nil || OutputName(output).gzip
        var gzip = true
        switch self {
        case .bigquery:
            if toFile { s.splitBytes = "1GB" }
        case .snowflake:
            if toFile { s.splitBytes = "250MB" }
        case .redshift:
            if toFile {
                s.splitBytes = "256MB"
                s.manifest = true
            }
        case .postgres:
            gzip = false
        case .clickhouse:
            s.nullValue = "\\N"
        case .excel:
            gzip = false
            s.headerStyle = .path
            s.bom = true
            s.crlf = true
            s.excelSafe = true
        }
        if toFile, !nameSaysGzip { s.gzip = gzip }
        return s
    }

    /// The file extension the preset's files get, for the names `columns` suggests.
    public var suggestedExtension: String {
        switch self {
        case .postgres, .excel: return ".csv"
        default: return ".csv.gz"
        }
    }
}

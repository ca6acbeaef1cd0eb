import ArgumentParser
import MicsAPI
import MicsExport
import MicsPipelines
import MicsSandbox

/// Where the columns come from (SPEC 2), shared by `convert`, `pull`, `run` and `columns`.
struct ColumnSourceOptions: ParsableArguments {
    @Option(help: "Columns as dot paths, optionally named: id,email=emails.email.")
    var columns: String?
    @Option(help: "The export's OTQL query; its SELECT gives the columns.")
    var query: String?
    @Option(help: "A file holding the OTQL query.")
    var queryFile: String?
    @Option(help: "Records read from stdin to infer the columns (default 10000).")
    var inferRows: Int?

    func apply(to settings: inout ConvertSettings) {
        settings.columns = columns
        settings.query = query
        settings.queryFile = queryFile
        settings.inferRows = inferRows
    }
}

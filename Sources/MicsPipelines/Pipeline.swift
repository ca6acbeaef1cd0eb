import MicsExport
import MicsAPI
import MicsPostgres
/// A pipeline ready to run: the file resolved, command-line flags applied. Its settings
/// still go through `ConvertSettings.resolve()` (the one place defaults live) when it runs,
/// after the export's query may have given the columns.
public struct Pipeline: Sendable {
    /// The label of its progress and summary lines.
    public var name: String
    /// The file it came from.
    public var path: String
    public var source: PipelineSource
    public var settings: ConvertSettings
    /// Take the columns from the export's OTQL query (no columns/query was given).
    public var columnsFromExport: Bool
    /// Refuse an execution with more erroneous tasks than this (`source.max-erroneous-tasks`,
    /// or `--max-erroneous-tasks`, which wins); `limitGivenAs` names the one used, for messages.
    public var maxErroneousTasks: ErroneousTasksLimit? = nil
    public var limitGivenAs = "source.max-erroneous-tasks"
    /// Into PostgreSQL instead of a file (`sink.load`/`table`/`if-exists`, or the flags); the
    /// settings are then a load's (`PostgresOutput.prepare`).
    package var load: PostgresLoadRequest? = nil

    public init(name: String, path: String, source: PipelineSource, settings: ConvertSettings, columnsFromExport: Bool)
    {
        self.name = name
        self.path = path
        self.source = source
        self.settings = settings
        self.columnsFromExport = columnsFromExport
    }
}

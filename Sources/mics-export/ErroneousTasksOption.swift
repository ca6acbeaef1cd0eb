import ArgumentParser
import MicsExport

/// `--max-erroneous-tasks N|N%`, shared by `pull` and `run` (where it wins over every file's
/// `source.max-erroneous-tasks`).
struct ErroneousTasksOption: ParsableArguments {
    @Option(
        name: .customLong("max-erroneous-tasks"),
        help: ArgumentHelp(
            "Refuse (exit 70, nothing written) an execution with more erroneous tasks than N, or than N% of its tasks.",
            valueName: "N|N%"),
        transform: { text in
            guard let limit = ErroneousTasksLimit(text) else {
                throw ValidationError("--max-erroneous-tasks " + ErroneousTasksLimit.problem(with: text))
            }
            return limit
        }
    )
    var maxErroneousTasks: ErroneousTasksLimit?
}

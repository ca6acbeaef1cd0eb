import Foundation

/// The tasks of a `SUCCEEDED` execution that failed: its result lacks their users.
///
/// The platform's own example: `"num_tasks": 299808, "completed_tasks": 277105,
/// "erroneous_tasks": 22703` — 7.6 % of the work is missing from a file that looks complete.
/// `pull` and `run` say so before downloading and again in the summary, and
/// `--max-erroneous-tasks` refuses such an execution.
public struct ErroneousTasks: Sendable, Hashable {
    public var erroneous: Int64
    /// `num_tasks`; nil when the platform did not count (older executions).
    public var total: Int64?

    /// nil when nothing failed (or the platform did not say).
    public init?(erroneous: Int64?, total: Int64?) {
        guard let erroneous, erroneous > 0 else { return nil }
        self.erroneous = erroneous
        self.total = total
    }

    /// `22,703 of 299,808 tasks erroneous (7.6 %)`, or `22,703 tasks erroneous` with no total.
    public var counted: String {
        let count = Self.grouped(erroneous)
        guard let total, total > 0 else { return "\(count) tasks erroneous" }
        return "\(count) of \(Self.grouped(total)) tasks erroneous (\(Self.percent(erroneous, of: total)))"
    }

    /// `execution 7897897: 22,703 of 299,808 tasks erroneous (7.6 %): the result may be incomplete`
    public func warning(executionID: String) -> String {
        "execution \(executionID): \(counted): the result may be incomplete"
    }

    /// `22,703`: thousands grouped with commas, whatever the locale.
    static func grouped(_ n: Int64) -> String {
        let digits = String(n.magnitude)
        var out = n < 0 ? "-" : ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out += "," }
            out.append(digit)
        }
        return out
    }

    /// `7.6 %`, one decimal; a share too small to show is `< 0.1 %`, never `0.0 %`.
    static func percent(_ part: Int64, of total: Int64) -> String {
        let tenths = (Double(part) * 1000 / Double(total)).rounded()
        if tenths == 0 && part > 0 { return "< 0.1 %" }
        return "\(Int64(tenths) / 10).\(Int64(tenths) % 10) %"
    }
}

/// `--max-erroneous-tasks N` or `N%` (pipeline files: `source: { max-erroneous-tasks: … }`):
/// the most erroneous tasks an execution may have and still be read. More is refused with
/// exit 70, before anything is downloaded or written.
public enum ErroneousTasksLimit: Sendable, Hashable, CustomStringConvertible {
    /// At most this many tasks (0: none at all).
    case count(Int64)
    /// At most this share of `num_tasks`, in percent (0…100).
    case percent(Double)

    /// `5000`, `5%`, `0.5 %`; nil for anything else (see `problem(with:)`).
    public init?(_ text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.hasSuffix("%") {
            let number = trimmed.dropLast().trimmingCharacters(in: .whitespaces)
            // Digits and at most one dot: Double() alone would take "nan", "inf" and "1e3".
            guard !number.isEmpty, number.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
                number.filter({ $0 == "." }).count <= 1, number != ".",
                let value = Double(number), value >= 0, value <= 100
            else { return nil }
            self = .percent(value)
        } else {
            guard !trimmed.isEmpty, trimmed.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int64(trimmed)
            else { return nil }
            self = .count(value)
        }
    }

    /// Why `text` is not a limit, to follow the option's name: `expects a number of tasks…`.
    public static func problem(with text: String) -> String {
        let expected = "expects a number of tasks (0 or more) or a share of them (0%…100%, such as 5%)"
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.hasSuffix("%"), let value = Double(trimmed.dropLast()), value > 100 {
            return "\(expected); a share is at most 100%, not '\(text)'"
        }
        if !trimmed.isEmpty, trimmed.allSatisfy({ $0.isASCII && $0.isNumber }) {
            return "\(expected); '\(text)' is too large (at most \(Int64.max))"
        }
        return "\(expected), not '\(text)'"
    }

    public var description: String {
        switch self {
        case .count(let n): return String(n)
        case .percent(let p):
            return p == p.rounded() ? "\(Int64(p))%" : "\(p)%"
        }
    }

    /// True when `tasks` are more than this limit allows. A share with no `num_tasks` to
    /// divide by cannot be shown to be within the limit, so it is refused.
    public func refuses(_ tasks: ErroneousTasks) -> Bool {
        switch self {
        case .count(let n):
            return tasks.erroneous > n
        case .percent(let p):
            guard let total = tasks.total, total > 0 else { return true }
            return Double(tasks.erroneous) * 100 > p * Double(total)
        }
    }

    /// The error that refuses an execution over the limit, or nil when it may be read.
    /// - Parameters:
    ///   - latest: the execution was picked as the export's latest (the message says so).
    ///   - option: how the user gave the limit: `--max-erroneous-tasks` or `source.max-erroneous-tasks`.
    public func refusal(
        of tasks: ErroneousTasks?, executionID: String, exportID: String, latest: Bool, option: String
    ) -> ExportError? {
        guard let tasks, refuses(tasks) else { return nil }
        // The location names the export: `export 9893: the latest execution, 700000006, SUCCEEDED with …`.
        let which = latest ? "the latest execution, \(executionID)," : "execution \(executionID)"
        return ExportError(
            .executionFailed,
            "\(which) SUCCEEDED with \(tasks.counted), more than \(option) \(self) allows: "
                + "refused, nothing was written",
            at: "export \(exportID)",
            hint: "start a new execution with --execution new, or raise \(option) to read this incomplete result")
    }
}

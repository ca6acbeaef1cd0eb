import MicsVocabulary
import MicsProject
import MicsExport
/// An execution's status. Kept as the platform's string, so a status this tool has never
/// heard of is shown as sent (and treated as "not finished yet") instead of failing.
public struct ExecutionStatus: Codable, Sendable, Hashable, CustomStringConvertible {
    public var rawValue: String

    public init(_ rawValue: String) { self.rawValue = rawValue }

    public static let pending = ExecutionStatus("PENDING")
    public static let running = ExecutionStatus("RUNNING")
    public static let succeeded = ExecutionStatus("SUCCEEDED")
    public static let failed = ExecutionStatus("FAILED")
    public static let waitingDependentJob = ExecutionStatus("WAITING_DEPENDENT_JOB")
    public static let scheduled = ExecutionStatus("SCHEDULED")
    public static let executorNotResponding = ExecutionStatus("EXECUTOR_NOT_RESPONDING")
    public static let lost = ExecutionStatus("LOST")
    public static let canceled = ExecutionStatus("CANCELED")

    /// Ended, one way or another: waiting longer will not change it.
    public var isFinished: Bool {
        self == .succeeded || endedWithoutResult
    }

    /// Ended with files to download.
    public var hasResult: Bool { self == .succeeded }

    /// Ended with no result: the error file (if any) says why.
    public var endedWithoutResult: Bool {
        [.failed, .executorNotResponding, .lost, .canceled].contains(self)
    }

    public var description: String { rawValue }

    public init(from decoder: Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self).uppercased()
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }
}

import MicsVocabulary
import MicsAPI
/// How a sandbox behaves: its token, how fast executions move, and page sizes.
public struct SandboxOptions: Sendable {
    /// nil: a random token, printed at start.
    public var token: String?
    /// A new execution stays PENDING this long, then RUNNING for `runFor`, then ends.
    public var pendingFor: Duration
    public var runFor: Duration
    /// Each execution is reported in every phase (PENDING, RUNNING, then its end) at least
    /// once, however late the polls come: for tests, where a busy machine may delay a poll by
    /// seconds. Off: the phase is the execution's age alone, as on the platform.
    public var reportsEveryPhase: Bool
    public var numTasks: Int64
    /// `max_results` when a list request gives none (the platform's default is 50).
    public var defaultPageSize: Int

    public init(
        token: String? = nil,
        pendingFor: Duration = .seconds(1),
        runFor: Duration = .seconds(4),
        reportsEveryPhase: Bool = false,
        numTasks: Int64 = 120,
        defaultPageSize: Int = 50
    ) {
        self.token = token
        self.pendingFor = pendingFor
        self.runFor = runFor
        self.reportsEveryPhase = reportsEveryPhase
        self.numTasks = numTasks
        self.defaultPageSize = defaultPageSize
    }
}

/// Failures the sandbox injects on purpose, for tests of the client's resilience. Set them on
/// a running server with `SandboxServer.setFaults(_:)`; each counter goes down as it fires.
///
/// - `dropAfterBytes` / `dropTimes`: the next `dropTimes` file downloads (resumes included)
///   close the connection after sending that many body bytes (Content-Length promised more).
/// - `tooManyRequests`: the next K API requests answer 429 with `Retry-After: retryAfterSeconds`.
/// - `unavailable`: the next K API requests answer 503.
/// - `ignoreRange`: downloads answer 200 with the whole file even to a `Range` request.
/// - `validators`: what downloads say of the file's version (a strong ETag by default).
/// - `changeOnDrop`: when a download drops, the file it was serving becomes these bytes
///   (a new ETag and Last-Modified): the resume meets a changed file. Fires once.
public struct SandboxFaults: Sendable {
    /// The validators of downloads (RFC 9110 §8.8), which `If-Range` is checked against.
    public enum Validators: Sendable {
        /// `ETag: "…"` (of the content) and `Last-Modified`.
        case strongETag
        /// `ETag: W/"…"` and `Last-Modified`: the weak tag cannot serve `If-Range`.
        case weakETag
        /// `Last-Modified` alone.
        case lastModified
        /// Neither: resumes cannot be checked (the server of old).
        case none
    }

    public var dropAfterBytes: Int
    public var dropTimes: Int
    public var tooManyRequests: Int
    public var retryAfterSeconds: Int
    public var unavailable: Int
    public var ignoreRange: Bool
    public var validators: Validators
    public var changeOnDrop: [UInt8]?

    public init(
        dropAfterBytes: Int = 0,
        dropTimes: Int = 0,
        tooManyRequests: Int = 0,
        retryAfterSeconds: Int = 1,
        unavailable: Int = 0,
        ignoreRange: Bool = false,
        validators: Validators = .strongETag,
        changeOnDrop: [UInt8]? = nil
    ) {
        self.dropAfterBytes = dropAfterBytes
        self.dropTimes = dropTimes
        self.tooManyRequests = tooManyRequests
        self.retryAfterSeconds = retryAfterSeconds
        self.unavailable = unavailable
        self.ignoreRange = ignoreRange
        self.validators = validators
        self.changeOnDrop = changeOnDrop
    }
}

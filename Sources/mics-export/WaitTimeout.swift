import ArgumentParser

/// `--timeout 90s|30m|2h|45` (plain numbers are seconds).
struct WaitTimeout: ExpressibleByArgument {
    var duration: Duration

    init?(argument: String) {
        let text = argument.lowercased()
        let units: [(String, Int64)] = [("ms", 0), ("s", 1), ("m", 60), ("h", 3600)]
        for (suffix, seconds) in units where text.hasSuffix(suffix) {
            guard let n = Int64(text.dropLast(suffix.count)), n >= 0 else { return nil }
            duration = seconds == 0 ? .milliseconds(n) : .seconds(n * seconds)
            return
        }
        guard let n = Int64(text), n >= 0 else { return nil }
        duration = .seconds(n)
    }
}

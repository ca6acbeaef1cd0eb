// Shared by every fuzz target: a finding is reported on stderr, then the process aborts, so
// libFuzzer saves the input (fuzz/.work/crashes/TARGET-crash-…).
#if canImport(Glibc)
import Glibc
#endif

func report(_ finding: String) -> Never {
    let text = "MISMATCH: " + finding + "\n"
    _ = text.utf8CString.withUnsafeBufferPointer { write(2, $0.baseAddress, $0.count - 1) }
    abort()
}

import CMicsSupport

/// glibc returns large freed blocks to the kernel and maps fresh ones, so every new
/// 1 MiB block was paid for again in page faults (≈8% of a run, measured with perf).
/// Raising the mmap and trim thresholds keeps freed blocks for reuse; the peak memory
/// stays what the pipeline holds at once.
package enum MallocTuning {
    /// glibc ignores an mmap threshold above 32 MiB on 64-bit (`DEFAULT_MMAP_THRESHOLD_MAX`).
    static let mmapThreshold: Int32 = 32 << 20
    static let trimThreshold: Int32 = 128 << 20

    /// 1: applied; 0: refused by the C library; -1: not available on this platform.
    package static let applied: Int32 = mics_tune_malloc(mmapThreshold, trimThreshold)
}

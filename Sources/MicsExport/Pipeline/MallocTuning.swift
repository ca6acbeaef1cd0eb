/// glibc returns large freed blocks to the kernel and maps fresh ones, so every new
/// 1 MiB block was paid for again in page faults (≈8% of a run, measured with perf).
/// Raising the mmap and trim thresholds keeps freed blocks for reuse; the peak memory
/// stays what the pipeline holds at once.
enum MallocTuning {
    static let applied: Bool = {
        #if os(Linux)
        // <malloc.h> is not in the Glibc module: its values are fixed by glibc's ABI.
        let mTrimThreshold: Int32 = -1
        let mMmapThreshold: Int32 = -3
        _ = glibcMallopt(mMmapThreshold, 64 << 20)
        _ = glibcMallopt(mTrimThreshold, 128 << 20)
        #endif
        return true
    }()
}

#if os(Linux)
@_silgen_name("mallopt")
private func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32
#endif

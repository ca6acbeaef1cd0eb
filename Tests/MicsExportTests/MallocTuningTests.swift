import Testing

@testable import MicsExport

@Suite("malloc tuning")
struct MallocTuningTests {
    /// The shim once compiled to "no mallopt here" (it tested `__GLIBC__` before including a
    /// libc header) and the pipeline ran with glibc's defaults: ten times the page faults.
    @Test("mallopt takes the settings on glibc")
    func mallocSettingsAreTaken() {
        #if canImport(Glibc)
        #expect(MallocTuning.apply() == 1)
        #else
        #expect(MallocTuning.apply() != 0)
        #endif
    }
}

#ifndef MICS_SUPPORT_H
#define MICS_SUPPORT_H

/// Keeps freed blocks up to `mmap_threshold` bytes in the heap for reuse instead of
/// unmapping them (glibc `mallopt` M_MMAP_THRESHOLD, M_TRIM_THRESHOLD). Returns 1 when
/// both settings were taken, 0 when the C library refused one (glibc caps the mmap
/// threshold at 32 MiB on 64-bit), -1 where there is no mallopt (macOS, musl).
int mics_tune_malloc(int mmap_threshold, int trim_threshold);

#endif

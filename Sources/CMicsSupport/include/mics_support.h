#ifndef MICS_SUPPORT_H
#define MICS_SUPPORT_H

/// glibc's `mallopt` M_MMAP_THRESHOLD and M_TRIM_THRESHOLD (0 leaves a setting as it is).
/// Returns 1 when every setting asked for was taken, 0 when the C library refused one (glibc
/// caps the mmap threshold at 32 MiB on 64-bit), -1 where there is no mallopt (macOS, musl).
int mics_tune_malloc(int mmap_threshold, int trim_threshold);

#endif

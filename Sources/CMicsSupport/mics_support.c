#include "mics_support.h"

#if defined(__GLIBC__)
#include <malloc.h>

int mics_tune_malloc(int mmap_threshold, int trim_threshold) {
    int mmap_ok = mallopt(M_MMAP_THRESHOLD, mmap_threshold);
    int trim_ok = mallopt(M_TRIM_THRESHOLD, trim_threshold);
    return (mmap_ok == 1 && trim_ok == 1) ? 1 : 0;
}
#else
int mics_tune_malloc(int mmap_threshold, int trim_threshold) {
    (void)mmap_threshold;
    (void)trim_threshold;
    return -1;
}
#endif

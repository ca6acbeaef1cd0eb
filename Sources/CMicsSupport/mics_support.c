#include "mics_support.h"

#include <stdlib.h>  // defines __GLIBC__ on glibc systems (via features.h)

#if defined(__GLIBC__)
#include <malloc.h>

int mics_tune_malloc(int mmap_threshold, int trim_threshold) {
    int ok = 1;
    // 0 leaves glibc's dynamic mmap threshold alone: it rises to the size of the largest
    // freed mapped block, so the pipeline's 1 MiB blocks come from the heap after the first.
    if (mmap_threshold > 0 && mallopt(M_MMAP_THRESHOLD, mmap_threshold) != 1) ok = 0;
    if (trim_threshold > 0 && mallopt(M_TRIM_THRESHOLD, trim_threshold) != 1) ok = 0;
    return ok;
}
#else
int mics_tune_malloc(int mmap_threshold, int trim_threshold) {
    (void)mmap_threshold;
    (void)trim_threshold;
    return -1;
}
#endif

#ifndef MICS_CLIBDEFLATE_SHIM_H
#define MICS_CLIBDEFLATE_SHIM_H
// libdeflate (Debian: libdeflate-dev): whole-buffer deflate, used to compress independent
// blocks as gzip members. No macros to wrap: Swift imports the API as it is.
#include <libdeflate.h>
#endif

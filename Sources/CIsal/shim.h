#ifndef MICS_CISAL_SHIM_H
#define MICS_CISAL_SHIM_H
// ISA-L's inflate and CRC-32 (Intel's igzip, Debian: libisal-dev): gzip input, streaming.
#include <isa-l/igzip_lib.h>
#include <isa-l/crc.h>
#endif

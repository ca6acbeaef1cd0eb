// Header-only (include/byte_scan.h): SwiftPM wants a source file in every C target.
#include "byte_scan.h"

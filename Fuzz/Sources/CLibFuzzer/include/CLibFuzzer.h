// libFuzzer's driver entry point (compiler-rt, FuzzerDriver.cpp). SwiftPM links every executable
// with its own `main`, so the fuzz targets start libFuzzer from there instead of using its main.
#ifndef CLIBFUZZER_H
#define CLIBFUZZER_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif

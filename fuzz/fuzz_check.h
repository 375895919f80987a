// FUZZ_CHECK: the property checks of the fuzz targets. A failed check prints what broke
// and the input's size, then aborts, which libFuzzer reports as a crash and saves the
// input as crash-<sha1> (docs/fuzzing.md says how to replay it).
#pragma once

#include <cstdio>
#include <cstdlib>
#include <exception>

#define FUZZ_CHECK(cond, what)                                                                        \
  do {                                                                                                \
    if (!(cond)) {                                                                                    \
      std::fprintf(stderr, "FUZZ_CHECK failed at %s:%d: %s (%s)\n", __FILE__, __LINE__, what, #cond); \
      std::abort();                                                                                   \
    }                                                                                                 \
  } while (0)

// Runs `body` and aborts with a message when it throws: every function fuzzed here
// promises to report a bad input through its return value, never by throwing.
#define FUZZ_NO_THROW(...)                                                                             \
  do {                                                                                                 \
    try {                                                                                              \
      __VA_ARGS__;                                                                                     \
    } catch (const std::exception& e) {                                                                \
      std::fprintf(stderr, "FUZZ_NO_THROW failed at %s:%d: threw %s\n", __FILE__, __LINE__, e.what()); \
      std::abort();                                                                                    \
    }                                                                                                  \
  } while (0)

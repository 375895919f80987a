# Sanitizer and fuzzer builds (scripts/sanitizer-tests.sh runs them; docs/fuzzing.md).
#
#   -DRKD_SANITIZE=address,undefined   ASan + UBSan (gcc 12 or clang)
#   -DRKD_SANITIZE=thread              TSan (gcc 12: its runtime copes with Debian's
#                                      uninstrumented libstdc++, sqlite and curl)
#   -DRKD_FUZZ=ON                      libFuzzer targets in fuzz/ (clang only), everything
#                                      built with -fsanitize=fuzzer-no-link,address,undefined
#
# The flags apply to every target, so rkd_core, the server, the binary and the tests all
# carry the same instrumentation. -fno-sanitize-recover=all makes a UBSan report fatal:
# a run with a report fails instead of printing and passing.
set(RKD_SANITIZE "" CACHE STRING "Sanitizers for every target: address,undefined or thread (empty: none)")
option(RKD_FUZZ "Build the libFuzzer targets in fuzz/ (needs clang)" OFF)

if(RKD_SANITIZE)
  add_compile_options(-fsanitize=${RKD_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${RKD_SANITIZE} -fno-sanitize-recover=all)
  # UBSan's null and alignment checks go on every member access and reference binding:
  # with gcc they more than double the ASan+UBSan build (one file: 11.6 s with them, 6.9 s
  # without), which is most of the CI's time. ASan reports a null dereference as a SEGV
  # with its stack anyway, and x86-64 has no alignment faults; the fuzz build keeps both.
  if(RKD_SANITIZE MATCHES "undefined" AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    add_compile_options(-fno-sanitize=null,alignment)
  endif()
endif()

if(RKD_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "RKD_FUZZ needs clang (libFuzzer): configure with -DCMAKE_CXX_COMPILER=clang++")
  endif()
  if(RKD_SANITIZE)
    message(FATAL_ERROR "RKD_FUZZ brings its own sanitizers (address,undefined); leave RKD_SANITIZE empty")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=address,undefined -fno-sanitize-recover=all)
endif()

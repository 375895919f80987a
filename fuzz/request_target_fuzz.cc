// Fuzzes NormalizeTarget (http/request_target.h): the one form of a request target
// that the access check, the router and the static-file handler decide on. Properties of
// an accepted target:
//   - the path starts with exactly one "/" and is "/" + the segments joined by "/";
//   - no segment is empty, "." or "..", or holds "/", "\" or a control character;
//   - no query name or value holds a control character;
//   - normalising again the target written back (each segment and parameter
//     percent-encoded) gives the same path, segments and query;
//   - PathIsUnder(path, "/api") holds exactly when the first segment is "api", so the
//     access check and the router cannot disagree about what is under /api.
// A rejected target names a field ("target", or the query parameter at fault). Nothing throws.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "http/request_target.h"

namespace {

bool HasControl(std::string_view s) {
  for (unsigned char c : s)
    if (c < 0x20 || c == 0x7f) return true;
  return false;
}

std::string PercentEncode(std::string_view s) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string WriteBack(const rkd::RequestTarget& t) {
  std::string out;
  for (const auto& s : t.segments) out += "/" + PercentEncode(s);
  if (out.empty()) out = "/";
  char sep = '?';
  for (const auto& [name, value] : t.query) {
    out += sep + PercentEncode(name) + "=" + PercentEncode(value);
    sep = '&';
  }
  return out;
}

void Check(std::string_view raw) {
  auto t = rkd::NormalizeTarget(raw);
  if (!t.ok()) {
    FUZZ_CHECK(!t.status().field().empty(), "a rejected target names a field (target, or the query's)");
    return;
  }
  const std::string& path = t->path;
  FUZZ_CHECK(!path.empty() && path[0] == '/', "the path starts with /");
  FUZZ_CHECK(path == "/" || path[1] != '/', "the path starts with exactly one /");
  std::string joined;
  for (const auto& s : t->segments) {
    FUZZ_CHECK(!s.empty() && s != "." && s != "..", "no empty or dot segment");
    FUZZ_CHECK(s.find('/') == std::string::npos && s.find('\\') == std::string::npos, "no slash or backslash");
    FUZZ_CHECK(!HasControl(s), "no control character in a segment");
    joined += "/" + s;
  }
  FUZZ_CHECK(path == (joined.empty() ? "/" : joined), "the path is / and the segments joined by /");
  for (const auto& [name, value] : t->query)
    FUZZ_CHECK(!HasControl(name) && !HasControl(value), "no control character in the query");

  const bool under_api = rkd::PathIsUnder(path, "/api");
  FUZZ_CHECK(under_api == (!t->segments.empty() && t->segments[0] == "api"),
             "PathIsUnder(path, /api) agrees with the first segment");

  auto again = rkd::NormalizeTarget(WriteBack(*t));
  FUZZ_CHECK(again.ok(), "the written-back target normalises");
  FUZZ_CHECK(again->path == path && again->segments == t->segments, "the path is a fixed point");
  FUZZ_CHECK(again->query == t->query, "the query is a fixed point");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FUZZ_NO_THROW(Check(std::string_view(reinterpret_cast<const char*>(data), size)));
  return 0;
}

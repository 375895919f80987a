// The one form of a request target that every decision about a request is made on.
//
// A hostile client sends targets a browser never would (`//etc/passwd`, `/%2fapi/users`,
// `Xapi/users`, `/api/./users`, `/a/%2e%2e/b`, overlong UTF-8, NULs in a query value).
// Each decision (the API-key check, the router, the static-file handler) used to read the
// raw target its own way, and where they disagreed an attacker walked between them. Now
// the server normalises the target once, before anything else looks at it, and refuses
// every target that has no single unambiguous meaning:
//
//   - origin form only: exactly one leading "/" (no "*", no absolute URL, no "//");
//   - the raw target is printable ASCII (anything else must be percent-encoded);
//   - no empty segment (one trailing "/" is dropped: "/api/users/" is "/api/users");
//   - each segment is percent-decoded exactly once and must then be valid UTF-8 (no
//     overlong forms) without "/", "\", control characters, and must not be "." or "..";
//   - query parameters are decoded once ("+" is a space), must be valid UTF-8 without
//     control characters, and a name may appear only once.
//
// The normal path is "/" followed by the decoded segments joined by "/"; since a decoded
// segment can hold no "/", splitting it again gives back the same segments.
//
// Pure and thread-safe.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace rkd {

struct RequestTarget {
  std::string path;                          // normalised: "/", "/api/users", "/api/users/a b"
  std::vector<std::string> segments;         // the decoded segments of path
  std::map<std::string, std::string> query;  // decoded parameters
};

// The normal form of `raw` (a request line's target), or InvalidArgument saying why it
// has none (field "target", or "query" for a bad query parameter).
Result<RequestTarget> NormalizeTarget(std::string_view raw);

// True when `path` (a normal path) is `prefix` or lies under it ("/api" and "/api/x" are
// under "/api"; "/apix" is not).
bool PathIsUnder(std::string_view path, std::string_view prefix);

}  // namespace rkd

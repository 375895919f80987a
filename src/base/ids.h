// Random identifiers. Thread-safe.
#pragma once

#include <string>

namespace rkd {

// A random (version 4) UUID, lowercase: "3f0c…-4…".
std::string NewUuid();

// A deterministic id for `key`: prefix + 32 hex digits of two FNV-1a hashes. The same
// key always gives the same id (an email's id derives from its user and trigger).
std::string StableId(const std::string& prefix, const std::string& key);

}  // namespace rkd

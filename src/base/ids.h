// Random identifiers. Thread-safe.
#pragma once

#include <string>

namespace rkd {

// A random (version 4) UUID, lowercase: "3f0c…-4…".
std::string NewUuid();

// A time-ordered (version 7, RFC 9562) UUID: the milliseconds since the epoch first,
// then a counter, so the ids one thread makes sort in the order it made them. Rows keyed
// by them append to their tables' B-trees instead of landing at random pages: an
// import's clients and orders (bench/README.md, issue 10).
std::string NewOrderedUuid();

// A deterministic id for `key`: prefix + 32 hex digits of two FNV-1a hashes. The same
// key always gives the same id (an email's id derives from its user and trigger).
std::string StableId(const std::string& prefix, const std::string& key);

}  // namespace rkd

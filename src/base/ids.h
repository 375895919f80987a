// Random identifiers. Thread-safe.
#pragma once

#include <string>

namespace rkd {

// A random (version 4) UUID, lowercase: "3f0c…-4…".
std::string NewUuid();

}  // namespace rkd

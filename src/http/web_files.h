// The dashboard's built files (web/dist), compiled into the binary, keyed by their path
// relative to web/dist ("index.html", "assets/index-1a2b3c.js"). Empty when the binary
// was built before the dashboard. Generated at build time by cmake/embed_web.cmake.
#pragma once

#include <map>
#include <string_view>

namespace rkd {

const std::map<std::string_view, std::string_view>& WebFiles();

}  // namespace rkd

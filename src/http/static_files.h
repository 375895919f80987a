// Serves the dashboard at "/": the files built into the binary (http/web_files.h), or
// those under a folder (RKD_WEB_DIR, for development). Hashed assets under /assets/ are
// cached for a year, index.html never; the dashboard's own client-side routes
// (/clients/…, /emails/…, /effectiveness) are answered with index.html; anything else
// that is not a file is a 404. Decides on the request's normalised path only, and from a
// folder serves only regular files that resolve (symlinks followed) inside it, never a
// dot-file. Thread-safe (reads files only).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "http/http_types.h"

namespace rkd {

class StaticFiles {
 public:
  // The dashboard built into the binary.
  StaticFiles();
  // The files under `root` instead (edits show without a rebuild).
  explicit StaticFiles(const std::string& root);

  HttpResponse Serve(const HttpRequest& request) const;

 private:
  // The bytes of `relative` ("index.html", "assets/x.js"), or nullopt.
  std::optional<std::string> Read(const std::string& relative) const;

  const std::map<std::string_view, std::string_view>* embedded_ = nullptr;
  std::string root_;  // canonical; used when embedded_ is null
};

}  // namespace rkd

// Serves the dashboard's built files (web/dist) at "/": hashed assets under /assets/
// cached for a year, index.html never cached, and client-side routes (any other path
// without a file extension) answered with index.html. Thread-safe (reads files only).
#pragma once

#include <string>

#include "http/http_types.h"

namespace rkd {

class StaticFiles {
 public:
  explicit StaticFiles(std::string root) : root_(std::move(root)) {}
  HttpResponse Serve(const HttpRequest& request) const;

 private:
  std::string root_;
};

}  // namespace rkd

// Routes "METHOD /path/:param" patterns to handlers. Unknown path → 404; a known path
// with another method → 405 with an Allow header. Built once at start-up, then
// read-only: Dispatch is thread-safe.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "http/http_types.h"

namespace rkd {

using Handler = std::function<HttpResponse(HttpRequest&)>;

class Router {
 public:
  // `pattern` is a path whose segments may be ":name" (one segment, any value).
  void Add(const std::string& method, const std::string& pattern, Handler handler);
  // Answers GET and HEAD requests that match no route and lie outside /api (the
  // dashboard's files).
  void SetFallback(Handler handler) { fallback_ = std::move(handler); }
  HttpResponse Dispatch(HttpRequest& request) const;

 private:
  struct Route {
    std::string method;
    std::vector<std::string> segments;
    Handler handler;
  };
  std::vector<Route> routes_;
  Handler fallback_;
};

}  // namespace rkd

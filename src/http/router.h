// Routes "METHOD /path/:param" patterns to handlers, on the request's normalised
// segments (http/request_target.h). Unknown path → 404; a known path with another
// method → 405 with an Allow header; a write whose body is not of a media type the route
// accepts → 415. Built once at start-up, then read-only: Dispatch is thread-safe.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "http/http_types.h"

namespace rkd {

using Handler = std::function<HttpResponse(HttpRequest&)>;

struct RouteOptions {
  // The media types (lowercase, without parameters) a POST, PUT or PATCH body may have;
  // empty means application/json. A browser sends a cross-site form or a no-cors fetch
  // only as text/plain, form-urlencoded or multipart: insisting on JSON makes every
  // JSON write need a CORS preflight, which RKD_CORS_ORIGINS then answers.
  std::vector<std::string> accepts;
};

class Router {
 public:
  // `pattern` is a path whose segments may be ":name" (one segment, any value).
  void Add(const std::string& method, const std::string& pattern, Handler handler, RouteOptions options = {});
  // Answers GET and HEAD requests that match no route and lie outside /api (the
  // dashboard's files).
  void SetFallback(Handler handler) { fallback_ = std::move(handler); }
  HttpResponse Dispatch(HttpRequest& request) const;

 private:
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<std::string> segments;
    std::vector<std::string> accepts;  // for writes; empty for GET, HEAD, DELETE
    Handler handler;
  };
  std::vector<Route> routes_;
  Handler fallback_;
};

// The media type of a Content-Type header value: lowercased, parameters and spaces
// removed ("Application/JSON; charset=utf-8" → "application/json").
std::string MediaType(const std::string& content_type);

}  // namespace rkd

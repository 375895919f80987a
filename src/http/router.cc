#include "http/router.h"

#include <algorithm>

#include "http/envelope.h"
#include "http/request_target.h"

namespace rkd {
namespace {

std::vector<std::string> SplitPattern(const std::string& pattern) {
  std::vector<std::string> out;
  size_t start = 1;
  while (start <= pattern.size()) {
    size_t end = pattern.find('/', start);
    if (end == std::string::npos) end = pattern.size();
    if (end > start) out.push_back(pattern.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

bool Match(const std::vector<std::string>& pattern, const std::vector<std::string>& path,
           std::map<std::string, std::string>* params) {
  if (pattern.size() != path.size()) return false;
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (!pattern[i].empty() && pattern[i][0] == ':') {
      if (params) (*params)[pattern[i].substr(1)] = path[i];
    } else if (pattern[i] != path[i]) {
      return false;
    }
  }
  return true;
}

bool IsWrite(const std::string& method) { return method == "POST" || method == "PUT" || method == "PATCH"; }

}  // namespace

std::string MediaType(const std::string& content_type) {
  std::string out;
  for (char c : content_type.substr(0, content_type.find(';'))) {
    if (c == ' ' || c == '\t') continue;
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

void Router::Add(const std::string& method, const std::string& pattern, Handler handler, RouteOptions options) {
  std::vector<std::string> accepts;
  if (IsWrite(method))
    accepts = options.accepts.empty() ? std::vector<std::string>{"application/json"} : options.accepts;
  routes_.push_back(Route{method, pattern, SplitPattern(pattern), std::move(accepts), std::move(handler)});
}

HttpResponse Router::Dispatch(HttpRequest& request) const {
  std::string allow;
  for (const Route& r : routes_) {
    if (!Match(r.segments, request.segments, nullptr)) continue;
    if (r.method == request.method || (request.method == "HEAD" && r.method == "GET")) {
      request.route = r.pattern;
      if (!r.accepts.empty()) {
        const std::string type = MediaType(request.Header("content-type"));
        if (std::find(r.accepts.begin(), r.accepts.end(), type) == r.accepts.end()) {
          std::string list;
          for (const std::string& a : r.accepts) list += (list.empty() ? "" : ", ") + a;
          HttpResponse resp = ErrorResponse(
              415, "unsupported_media_type",
              (type.empty() ? std::string("a Content-Type is required") : "Content-Type " + type + " is not accepted") +
                  " on " + request.method + " " + r.pattern + "; send " + list,
              "Content-Type");
          resp.headers.emplace_back("Accept", list);
          return resp;
        }
      }
      Match(r.segments, request.segments, &request.params);
      return r.handler(request);
    }
    if (allow.find(r.method) == std::string::npos) allow += (allow.empty() ? "" : ", ") + r.method;
  }
  if (!allow.empty()) {
    HttpResponse resp =
        ErrorResponse(405, "method_not_allowed",
                      "method " + request.method + " is not allowed on " + request.path + "; allowed: " + allow);
    resp.headers.emplace_back("Allow", allow);
    return resp;
  }
  if (fallback_ && !PathIsUnder(request.path, "/api") && (request.method == "GET" || request.method == "HEAD"))
    return fallback_(request);
  return ErrorResponse(404, "not_found", "no route for " + request.method + " " + request.path);
}

}  // namespace rkd

#include "http/router.h"

#include "api/envelope.h"

namespace rkd {
namespace {

std::vector<std::string> SplitPath(const std::string& path) {
  std::vector<std::string> out;
  size_t start = 1;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    if (end > start) out.push_back(path.substr(start, end - start));
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

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool PercentDecode(std::string_view in, bool plus_is_space, std::string* out) {
  out->clear();
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '%') {
      if (i + 2 >= in.size()) return false;
      const int hi = HexValue(in[i + 1]), lo = HexValue(in[i + 2]);
      if (hi < 0 || lo < 0) return false;
      *out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (plus_is_space && in[i] == '+') {
      *out += ' ';
    } else {
      *out += in[i];
    }
  }
  return true;
}

}  // namespace

bool ParseTarget(const std::string& target, std::string* path, std::map<std::string, std::string>* query) {
  const size_t q = target.find('?');
  if (!PercentDecode(std::string_view(target).substr(0, q), false, path)) return false;
  if (q == std::string::npos) return true;
  std::string_view rest = std::string_view(target).substr(q + 1);
  while (!rest.empty()) {
    size_t amp = rest.find('&');
    std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    std::string key, value;
    if (!PercentDecode(pair.substr(0, eq), true, &key)) return false;
    if (eq != std::string_view::npos && !PercentDecode(pair.substr(eq + 1), true, &value)) return false;
    (*query)[key] = value;
  }
  return true;
}

void Router::Add(const std::string& method, const std::string& pattern, Handler handler) {
  routes_.push_back(Route{method, SplitPath(pattern), std::move(handler)});
}

HttpResponse Router::Dispatch(HttpRequest& request) const {
  const auto path = SplitPath(request.path);
  std::string allow;
  for (const Route& r : routes_) {
    if (!Match(r.segments, path, nullptr)) continue;
    if (r.method == request.method || (request.method == "HEAD" && r.method == "GET")) {
      Match(r.segments, path, &request.params);
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
  const bool api = request.path == "/api" || request.path.rfind("/api/", 0) == 0;
  if (fallback_ && !api && (request.method == "GET" || request.method == "HEAD")) return fallback_(request);
  return ErrorResponse(404, "not_found", "no route for " + request.method + " " + request.path);
}

}  // namespace rkd

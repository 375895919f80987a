// The HTTP request and response as the application sees them: plain values, free of
// Boost.Beast, so that only http/server.cc pays for Beast's headers.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace rkd {

struct HttpRequest {
  std::string method;                          // "GET", "POST", …
  std::string target;                          // as received: path and query
  std::string path;                            // decoded path, without the query
  std::map<std::string, std::string> query;    // decoded query parameters
  std::map<std::string, std::string> headers;  // names lowercased
  std::string body;
  std::map<std::string, std::string> params;  // route parameters (":userId" → value)
  std::string request_id;
  std::string route;  // the pattern of the route that matched ("/api/users/:userId"), "" when none did

  const std::string& Header(const std::string& lowercase_name) const {
    static const std::string kEmpty;
    auto it = headers.find(lowercase_name);
    return it == headers.end() ? kEmpty : it->second;
  }
  const std::string& Param(const std::string& name) const { return params.at(name); }
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

// Splits a request target into a decoded path and decoded query parameters. Returns
// false when the target's percent-encoding is broken.
bool ParseTarget(const std::string& target, std::string* path, std::map<std::string, std::string>* query);

}  // namespace rkd

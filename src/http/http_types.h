// The HTTP request and response as the application sees them: plain values, free of
// Boost.Beast, so that only http/server.cc pays for Beast's headers.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace rkd {

struct HttpRequest {
  std::string method;     // "GET", "POST", …
  unsigned version = 11;  // 10 for HTTP/1.0, 11 for HTTP/1.1
  std::string target;     // as received: path and query (never decide anything on it)
  // The target's one normal form (http/request_target.h), set by the server before any
  // handler runs: every decision is made on these.
  std::string path;                            // normalised path, without the query
  std::vector<std::string> segments;           // its decoded segments
  std::map<std::string, std::string> query;    // decoded query parameters
  std::map<std::string, std::string> headers;  // names lowercased
  std::string body;
  std::map<std::string, std::string> params;  // route parameters (":userId" → value)
  std::string request_id;
  std::string route;  // the pattern of the route that matched ("/api/users/:userId"), "" when none did
  // Who sent it, for the request's log line: the client's address (the TCP peer, or what
  // a trusted proxy forwarded: http/client_address.h) and the name of the API key it
  // carried ("" without a valid key). Set by the server and the access policy.
  std::string client_address;
  std::string key_name;

  const std::string& Header(const std::string& lowercase_name) const {
    static const std::string kEmpty;
    auto it = headers.find(lowercase_name);
    return it == headers.end() ? kEmpty : it->second;
  }
  const std::string& Param(const std::string& name) const { return params.at(name); }
};

struct HttpResponse {
  int status = 200;
  // The status line's reason phrase; empty: the standard one ("Bad Request"). An error's
  // carries its message, for clients that show only the status text (the seed's
  // dashboard). Printable ASCII only (ReasonPhrase): it is written into the status line.
  std::string reason;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

}  // namespace rkd

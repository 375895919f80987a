// Who may call the API: the Host a request names (RKD_ALLOWED_HOSTS, against DNS
// rebinding), bearer API keys (RKD_API_KEYS) and browser origins (RKD_CORS_ORIGINS,
// with preflight). Decides on the request's normalised path only. Immutable after
// construction; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "http/router.h"

namespace rkd {

struct AccessConfig {
  std::vector<std::string> api_keys;      // empty: the API is open
  std::vector<std::string> cors_origins;  // exact origins, or "*" for any
  // Host names (lowercase, without port) a request may name in its Host header; "*"
  // accepts any; empty accepts any (unit tests). A page on an attacker's domain that
  // resolves to 127.0.0.1 (DNS rebinding) names the attacker's domain here.
  std::vector<std::string> allowed_hosts;
  std::vector<std::string> api_key_names;  // api_keys[i]'s name, logged instead of the key (else key-<i+1>)
};

// The host part of a Host header value, lowercased: "Example.COM:8080" → "example.com",
// "[::1]:80" → "[::1]". Empty when the value is malformed.
std::string HostName(const std::string& host_header);

class AccessPolicy {
 public:
  explicit AccessPolicy(AccessConfig config) : config_(std::move(config)) {}

  // A response for requests that must not reach the router (a CORS preflight, a
  // missing or wrong key on /api), or nullopt to go on.
  // Sets request.key_name when it carries a valid key.
  std::optional<HttpResponse> Screen(HttpRequest& request) const;
  // Adds the CORS headers a browser needs when the request's origin is allowed.
  void Decorate(const HttpRequest& request, HttpResponse* response) const;

 private:
  bool HostAllowed(const HttpRequest& request) const;
  bool OriginAllowed(const std::string& origin) const;
  // The index of the key `authorization` carries ("Bearer KEY"), or -1.
  int AcceptedKey(const std::string& authorization) const;
  std::string KeyName(int index) const;
  AccessConfig config_;
};

// The whole application handler: access screening, then the router, then CORS headers.
Handler WithAccess(const AccessPolicy& policy, const Router& router);

}  // namespace rkd

// The HTTP/1.1 server (Boost.Beast over Asio, kept out of this header): keep-alive,
// a body limit (413 beyond it), one JSON log line per request with its id, method,
// path, status, duration, the client's address and the name of the API key it carried. Handlers run on the server's
// threads and may block.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "http/client_address.h"
#include "http/router.h"

namespace rkd {

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;  // 0: any free port (see HttpServer::port)
  int threads = 2;
  size_t body_limit = 1 << 20;
  std::chrono::milliseconds drain_timeout{10'000};  // Stop waits this long for requests in progress
  // Proxies whose X-Forwarded-For names the client (RKD_TRUSTED_PROXIES); empty: the peer
  // is the client. Each request's client_address and log line follow it.
  std::vector<Cidr> trusted_proxies;
  // Requests that may send up to large_body_limit (an import's upload): asked once the
  // headers are read and before the body is, with the method, the normalised path and
  // the headers (no body). Null: none may.
  std::function<bool(const HttpRequest& head)> allows_large_body;
  size_t large_body_limit = 0;
};

class HttpServer {
 public:
  HttpServer(ServerOptions options, Handler handler);
  ~HttpServer();

  // Binds and listens (connections wait in the backlog until Start), so the port is
  // known before the handler's dependencies are built.
  Status Bind();
  // Starts accepting and serving on background threads (binds first if needed).
  Status Start();
  uint16_t port() const;
  // Stops accepting, closes connections, joins the threads. Idempotent.
  void Stop();

  struct Impl;  // opaque: Beast stays in server.cc

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace rkd

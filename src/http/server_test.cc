// HttpServer::Stop drains: a request being handled when the process is told to stop
// still gets its answer; no new connection is accepted.
#include "http/server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <thread>

namespace rkd {
namespace {

int Connect(uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval timeout{5, 0};  // a server that never answers fails the test instead of hanging it
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// Sends one request and reads until the server closes the connection.
std::string Exchange(int fd) {
  const std::string request = "GET /slow HTTP/1.1\r\nHost: test\r\n\r\n";
  if (::write(fd, request.data(), request.size()) != static_cast<ssize_t>(request.size())) return "";
  std::string response;
  char buf[4096];
  for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;) response.append(buf, static_cast<size_t>(n));
  return response;
}

TEST(HttpServerTest, StopLetsARequestInProgressFinishAndClosesTheConnection) {
  std::atomic<bool> handling{false};
  ServerOptions options;
  options.port = 0;
  HttpServer server(options, [&](HttpRequest&) {
    handling = true;
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    HttpResponse r;
    r.status = 200;
    r.content_type = "text/plain";
    r.body = "done";
    return r;
  });
  ASSERT_TRUE(server.Start().ok());
  const uint16_t port = server.port();
  const int fd = Connect(port);
  ASSERT_GE(fd, 0);
  std::string response;
  std::thread client([&] { response = Exchange(fd); });
  while (!handling) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  server.Stop();  // while the handler sleeps
  client.join();
  ::close(fd);
  EXPECT_EQ(response.rfind("HTTP/1.1 200", 0), 0u) << response;
  EXPECT_NE(response.find("Connection: close"), std::string::npos) << response;
  EXPECT_EQ(response.substr(response.size() - 4), "done");
  EXPECT_EQ(Connect(port), -1);  // the listener is gone
}

}  // namespace
}  // namespace rkd

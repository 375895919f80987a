#include "http/server.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <thread>
#include <vector>

#include "base/log.h"
#include "base/time.h"
#include "http/envelope.h"
#include "http/request_target.h"

namespace rkd {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

constexpr auto kIdleTimeout = std::chrono::seconds(60);
// After an error answer (413, 400) the client may still be sending: the connection reads
// and discards for a while before closing, so that the client reads the answer instead
// of a reset (nginx's lingering close).
constexpr auto kLingerTime = std::chrono::seconds(2);
constexpr size_t kLingerBytes = 4 << 20;

// Request ids: a per-process random prefix and a counter, unique enough to find a
// request's log line and cheap on the hot path.
std::string NextRequestId() {
  static const unsigned prefix = std::random_device{}();
  static std::atomic<uint64_t> counter{0};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%08x-%06llx", prefix, static_cast<unsigned long long>(++counter));
  return buf;
}

// The per-request log line, formatted directly: building a json object per request
// would cost as much as serving it.
void LogRequest(const HttpRequest& req, unsigned status, double ms) {
  if (!LogEnabled(spdlog::level::info)) return;
  LogRaw(
      spdlog::level::info,
      fmt::format(
          R"({{"ts":"{}","level":"info","msg":"request","requestId":"{}","method":{},"path":{},"status":{},"durationMs":{:.3f},"client":"{}"{}}})",
          FormatRfc3339(SystemClock().Now()), req.request_id,
          nlohmann::json(req.method).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
          // A refused target has no normal path: log what was sent, escaped.
          nlohmann::json(req.path.empty() ? req.target : req.path)
              .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
          status, ms, req.client_address,
          // Key names are letters, digits, . _ - (app/config.cc): nothing to escape.
          req.key_name.empty() ? std::string() : fmt::format(R"(,"key":"{}")", req.key_name)));
}

}  // namespace

struct HttpServer::Impl {
  ServerOptions options;
  Handler handler;
  asio::io_context ioc;
  tcp::acceptor acceptor{ioc};
  std::vector<std::thread> threads;
  std::once_flag stopped;
  // Graceful stop: requests being handled or answered finish; connections then close.
  std::atomic<int> in_flight{0};
  std::atomic<bool> draining{false};

  void Accept();
  void Serve(const HttpRequest& req, HttpResponse resp, http::response<http::string_body>* out, bool keep_alive,
             unsigned version);
};

namespace {

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, HttpServer::Impl* server) : stream_(std::move(socket)), server_(server) {
    beast::error_code ec;
    const auto remote = stream_.socket().remote_endpoint(ec);
    // An address the logs can print as is (asio's form: no characters to escape).
    if (!ec)
      peer_ = remote.address().is_v6() && remote.address().to_v6().is_v4_mapped()
                  ? asio::ip::make_address_v4(asio::ip::v4_mapped, remote.address().to_v6()).to_string()
                  : remote.address().to_string();
  }

  void Start() {
    asio::dispatch(stream_.get_executor(), beast::bind_front_handler(&Session::Read, shared_from_this()));
  }

 private:
  void Read() {
    parser_.emplace();
    parser_->body_limit(server_->options.body_limit);
    parser_->header_limit(64 * 1024);
    stream_.expires_after(kIdleTimeout);
    if (!server_->options.allows_large_body) {
      http::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&Session::OnRead, shared_from_this()));
      return;
    }
    // Beast checks a declared Content-Length against the limit as the headers end: the
    // larger limit stands until OnHeader knows whether this request may use it.
    parser_->body_limit(std::max(server_->options.body_limit, server_->options.large_body_limit));
    http::async_read_header(stream_, buffer_, *parser_,
                            beast::bind_front_handler(&Session::OnHeader, shared_from_this()));
  }

  // The headers are in: a request the handler lets upload more keeps the larger limit;
  // any other is held to the usual one before its body is read
  // (ServerOptions::allows_large_body).
  void OnHeader(beast::error_code ec, std::size_t n) {
    if (ec) return OnRead(ec, n);
    const auto& r = parser_->get();
    HttpRequest head;
    head.method = std::string(r.method_string());
    auto target = NormalizeTarget(std::string_view(r.target().data(), r.target().size()));
    bool large = false;
    if (target.ok()) {
      head.path = target->path;
      for (const auto& f : r) {
        std::string name(f.name_string());
        for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        head.headers[std::move(name)] = std::string(f.value());
      }
      large = server_->options.allows_large_body(head);
    }
    if (!large) {
      const size_t limit = server_->options.body_limit;
      // A declared length was checked against the larger limit: check it again here.
      if (parser_->content_length() && *parser_->content_length() > limit) return OnRead(http::error::body_limit, n);
      parser_->body_limit(limit);  // a chunked body counts against it as it comes
    }
    http::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&Session::OnRead, shared_from_this()));
  }

  void OnRead(beast::error_code ec, std::size_t) {
    const auto started = std::chrono::steady_clock::now();
    if (ec == http::error::end_of_stream || ec == asio::error::operation_aborted || ec == beast::error::timeout ||
        ec == asio::error::connection_reset || ec == asio::error::eof)
      return Close();
    ++server_->in_flight;  // until its response is written (OnWrite)
    HttpRequest req;
    req.request_id = NextRequestId();
    req.client_address = peer_;
    HttpResponse resp;
    bool keep_alive = false;
    bool refused = true;  // answered with an error before reading the whole request
    unsigned version = 11;
    if (ec == http::error::body_limit) {
      resp = ErrorResponse(413, "payload_too_large",
                           "request body is larger than " + std::to_string(server_->options.body_limit) + " bytes");
    } else if (ec == http::error::header_limit) {
      resp = ErrorResponse(431, "headers_too_large", "request headers are larger than 64 KiB");
    } else if (ec) {
      if (ec.category() != http::make_error_code(http::error::bad_target).category()) {
        --server_->in_flight;
        return Close();
      }
      resp = ErrorResponse(400, "bad_request", "malformed HTTP request: " + ec.message());
    } else {
      auto& r = parser_->get();
      version = r.version();
      req.version = version;
      req.method = std::string(r.method_string());
      req.target = std::string(r.target());
      std::string repeated;
      for (const auto& f : r) {
        std::string name(f.name_string());
        for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        // Two values of a header that decides something (two Hosts, two keys) leave it to
        // each reader to pick one: refuse, as for a target with two meanings.
        if (req.headers.count(name) &&
            (name == "host" || name == "authorization" || name == "content-type" || name == "content-length" ||
             name == "transfer-encoding" || name == "idempotency-key" || name == "origin"))
          repeated = name;
        // Hops of X-Forwarded-For split over several headers form one list, in order.
        if (name == "x-forwarded-for" && req.headers.count(name))
          req.headers[name] += ", " + std::string(f.value());
        else
          req.headers[std::move(name)] = std::string(f.value());
      }
      req.body = std::move(r.body());
      if (!server_->options.trusted_proxies.empty())
        req.client_address = ClientAddress(peer_, req.Header("x-forwarded-for"), server_->options.trusted_proxies);
      auto target = NormalizeTarget(req.target);
      if (!repeated.empty()) {
        resp = ErrorResponse(400, "bad_request", "header " + repeated + " is given more than once", repeated);
      } else if (req.headers.count("transfer-encoding") && MediaType(req.Header("transfer-encoding")) != "chunked") {
        // RFC 9112 §6.1: a request whose final coding is not chunked has no knowable end;
        // what follows it could be read as a second, smuggled request.
        resp = ErrorResponse(400, "bad_request", "Transfer-Encoding must be chunked", "Transfer-Encoding");
      } else if (!target.ok()) {
        resp = ErrorResponse(target.status());
      } else {
        req.path = std::move(target->path);
        req.segments = std::move(target->segments);
        req.query = std::move(target->query);
        refused = false;
        keep_alive = r.keep_alive();
        try {
          resp = server_->handler(req);
        } catch (const std::exception& e) {
          LogError("handler threw", {{"requestId", req.request_id}, {"error", e.what()}});
          resp = ErrorResponse(500, "internal", "internal error");
        }
      }
    }
    if (server_->draining) keep_alive = false;
    server_->Serve(req, std::move(resp), &res_, keep_alive, version);
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    LogRequest(req, res_.result_int(), ms);
    http::async_write(stream_, res_,
                      beast::bind_front_handler(&Session::OnWrite, shared_from_this(), keep_alive, refused));
  }

  void OnWrite(bool keep_alive, bool refused, beast::error_code ec, std::size_t) {
    --server_->in_flight;
    if (!ec && refused) return Linger();
    if (ec || !keep_alive || server_->draining) return Close();
    Read();
  }

  void Close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
  }

  // Half-closes, then reads and discards what the client is still sending until it
  // closes, kLingerBytes have come or kLingerTime has passed; then the socket closes.
  void Linger() {
    Close();
    linger_left_ = kLingerBytes;
    stream_.expires_after(kLingerTime);
    Discard();
  }
  void Discard() {
    stream_.async_read_some(asio::buffer(discard_), [self = shared_from_this()](beast::error_code ec, size_t n) {
      if (ec || n >= self->linger_left_) return;  // the session ends; its socket closes
      self->linger_left_ -= n;
      self->Discard();
    });
  }

  std::string peer_;  // the TCP peer's address
  std::array<char, 16 * 1024> discard_;
  size_t linger_left_ = 0;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  http::response<http::string_body> res_;
  HttpServer::Impl* server_;
};

}  // namespace

void HttpServer::Impl::Serve(const HttpRequest& req, HttpResponse resp, http::response<http::string_body>* out,
                             bool keep_alive, unsigned version) {
  *out = {};
  out->version(version);
  out->result(static_cast<http::status>(resp.status));
  if (!resp.reason.empty()) out->reason(resp.reason);
  out->set(http::field::server, "rekindle");
  if (!resp.content_type.empty()) out->set(http::field::content_type, resp.content_type);
  if (!req.request_id.empty()) out->set("X-Request-Id", req.request_id);
  for (auto& [name, value] : resp.headers) out->insert(name, value);
  out->keep_alive(keep_alive);
  const size_t size = resp.body.size();
  if (req.method != "HEAD") out->body() = std::move(resp.body);
  out->content_length(size);
}

void HttpServer::Impl::Accept() {
  acceptor.async_accept(asio::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted) return;
    if (!ec) {
      socket.set_option(tcp::no_delay(true), ec);
      std::make_shared<Session>(std::move(socket), this)->Start();
    }
    Accept();
  });
}

HttpServer::HttpServer(ServerOptions options, Handler handler) : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
  impl_->handler = std::move(handler);
}

HttpServer::~HttpServer() { Stop(); }

Status HttpServer::Bind() {
  if (impl_->acceptor.is_open()) return Status::Ok();
  beast::error_code ec;
  auto address = asio::ip::make_address(impl_->options.host, ec);
  if (ec) return Status::InvalidArgument("RKD_HTTP_ADDR host is not an IP address: " + impl_->options.host);
  tcp::endpoint endpoint(address, impl_->options.port);
  auto& acc = impl_->acceptor;
  acc.open(endpoint.protocol(), ec);
  if (!ec) acc.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acc.bind(endpoint, ec);
  if (!ec) acc.listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    return Status::Unavailable("cannot listen on " + impl_->options.host + ":" + std::to_string(impl_->options.port) +
                               ": " + ec.message());
  return Status::Ok();
}

Status HttpServer::Start() {
  RKD_RETURN_IF_ERROR(Bind());
  impl_->Accept();
  for (int i = 0; i < std::max(1, impl_->options.threads); ++i)
    impl_->threads.emplace_back([this] { impl_->ioc.run(); });
  return Status::Ok();
}

uint16_t HttpServer::port() const {
  beast::error_code ec;
  return impl_->acceptor.local_endpoint(ec).port();
}

void HttpServer::Stop() {
  std::call_once(impl_->stopped, [this] {
    asio::post(impl_->ioc, [this] {
      beast::error_code ec;
      impl_->acceptor.close(ec);
    });
    // Let requests in progress finish (up to a bound), then drop idle connections.
    impl_->draining = true;
    const auto deadline = std::chrono::steady_clock::now() + impl_->options.drain_timeout;
    while (impl_->in_flight > 0 && !impl_->threads.empty() && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    impl_->ioc.stop();
    for (auto& t : impl_->threads)
      if (t.joinable()) t.join();
  });
}

}  // namespace rkd

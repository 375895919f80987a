#include "compose/openai_client.h"

#include <curl/curl.h>
#include <sys/socket.h>

#include <algorithm>
#include <cctype>

#include "base/curl_global.h"
#include "base/internal_address.h"

namespace rkd {
namespace {

using Steady = std::chrono::steady_clock;

std::string Trim(std::string s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

}  // namespace

struct OpenAiClient::Job {
  HttpCall call;
  std::promise<HttpReply> promise;
  HttpReply reply;
  CURL* easy = nullptr;
  curl_slist* headers = nullptr;
  char error[CURL_ERROR_SIZE] = {};
  bool refused_internal = false;  // public_only, and the host resolved to an internal address

  ~Job() {
    if (headers) curl_slist_free_all(headers);
    if (easy) curl_easy_cleanup(easy);
  }

  // curl's socket opener for a public_only call: the address is checked after the name
  // was resolved, so a host name that resolves inside is refused too.
  static curl_socket_t OpenPublicSocket(void* self, curlsocktype purpose, curl_sockaddr* address) {
    if (purpose == CURLSOCKTYPE_IPCXN && IsInternalAddress(&address->addr)) {
      static_cast<Job*>(self)->refused_internal = true;
      return CURL_SOCKET_BAD;
    }
    return socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
  }

  static size_t OnBody(char* data, size_t size, size_t n, void* self) {
    auto* job = static_cast<Job*>(self);
    const size_t room = job->call.max_body - std::min(job->call.max_body, job->reply.body.size());
    job->reply.body.append(data, std::min(room, size * n));  // the rest is read and dropped
    return size * n;
  }
  static size_t OnHeader(char* data, size_t size, size_t n, void* self) {
    auto* job = static_cast<Job*>(self);
    std::string line(data, size * n);
    if (line.rfind("HTTP/", 0) == 0) {
      job->reply.headers.clear();  // a new response (after 100 Continue)
    } else if (size_t colon = line.find(':'); colon != std::string::npos) {
      std::string name = line.substr(0, colon);
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      job->reply.headers[name] = Trim(line.substr(colon + 1));
    }
    return size * n;
  }
};

OpenAiClient::OpenAiClient(Options options)
    : options_(options), limiter_(options.requests_per_minute, options.tokens_per_minute, std::chrono::seconds(1)) {
  InitCurlOnce();
  multi_ = curl_multi_init();
  curl_multi_setopt(multi_, CURLMOPT_MAXCONNECTS, static_cast<long>(std::max(8, options_.max_in_flight)));
  thread_ = std::thread([this] { Loop(); });
}

OpenAiClient::~OpenAiClient() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  curl_multi_wakeup(multi_);
  thread_.join();
  curl_multi_cleanup(multi_);
}

std::future<HttpReply> OpenAiClient::Post(HttpCall call) {
  auto job = std::make_unique<Job>();
  job->call = std::move(call);
  std::future<HttpReply> f = job->promise.get_future();
  {
    std::lock_guard lock(mu_);
    if (stop_) {
      job->reply.error = "shutting down";
      job->promise.set_value(std::move(job->reply));
      return f;
    }
    incoming_.push_back(std::move(job));
    ++stats_.queued;
  }
  curl_multi_wakeup(multi_);
  return f;
}

void OpenAiClient::Settle(uint64_t ticket, int64_t tokens) {
  std::lock_guard lock(mu_);
  limiter_.Settle(ticket, tokens);
}

void OpenAiClient::PauseUntil(Steady::time_point until) {
  std::lock_guard lock(mu_);
  limiter_.PauseUntil(until);
}

OpenAiClient::Stats OpenAiClient::stats() {
  std::lock_guard lock(mu_);
  return stats_;
}

void OpenAiClient::StartJob(std::unique_ptr<Job> job) {
  CURL* e = curl_easy_init();
  job->easy = e;
  const HttpCall& c = job->call;
  job->headers = curl_slist_append(job->headers, "Content-Type: application/json");
  job->headers = curl_slist_append(job->headers, "Accept: application/json");
  job->headers = curl_slist_append(job->headers, "Expect:");  // no 100-continue round trip
  for (const std::string& h : c.headers) job->headers = curl_slist_append(job->headers, h.c_str());
  curl_easy_setopt(e, CURLOPT_URL, c.url.c_str());
  curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");  // no file://, gopher:// and the like
  if (c.get) {
    curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
  } else {
    curl_easy_setopt(e, CURLOPT_POST, 1L);
    curl_easy_setopt(e, CURLOPT_POSTFIELDS, c.body.c_str());
    curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(c.body.size()));
  }
  curl_easy_setopt(e, CURLOPT_HTTPHEADER, job->headers);
  curl_easy_setopt(e, CURLOPT_USERAGENT, "rekindle/0.1 (libcurl)");
  curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.connect_timeout.count()));
  curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, static_cast<long>(std::max<int64_t>(1, c.timeout.count())));
  curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");  // gzip if the server offers it
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &Job::OnBody);
  curl_easy_setopt(e, CURLOPT_WRITEDATA, job.get());
  curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, &Job::OnHeader);
  curl_easy_setopt(e, CURLOPT_HEADERDATA, job.get());
  curl_easy_setopt(e, CURLOPT_ERRORBUFFER, job->error);
  curl_easy_setopt(e, CURLOPT_PRIVATE, job.get());
  if (c.public_only) {
    curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, &Job::OpenPublicSocket);
    curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, job.get());
  }
  curl_multi_add_handle(multi_, e);
  running_.push_back(std::move(job));
}

void OpenAiClient::FinishJob(void* easy, int code) {
  auto it = std::find_if(running_.begin(), running_.end(), [&](const auto& j) { return j->easy == easy; });
  if (it == running_.end()) return;
  std::unique_ptr<Job> job = std::move(*it);
  running_.erase(it);
  curl_multi_remove_handle(multi_, job->easy);
  if (code == CURLE_OK) {
    long status = 0;
    curl_easy_getinfo(job->easy, CURLINFO_RESPONSE_CODE, &status);
    job->reply.status = static_cast<int>(status);
  } else {
    job->reply.status = 0;
    job->reply.timed_out = code == CURLE_OPERATION_TIMEDOUT;
    job->reply.error = job->error[0] ? job->error : curl_easy_strerror(static_cast<CURLcode>(code));
    if (job->refused_internal)
      job->reply.error = "refused: the host resolves to a loopback, private or link-local address";
  }
  job->promise.set_value(std::move(job->reply));
}

void OpenAiClient::Loop() {
  while (true) {
    std::chrono::milliseconds wait{200};
    {
      std::lock_guard lock(mu_);
      if (stop_) break;
      while (!incoming_.empty()) {
        pending_.push_back(std::move(incoming_.front()));
        incoming_.pop_front();
      }
      // Calls the limits held too long fail without being sent.
      const auto now = Steady::now();
      for (auto it = pending_.begin(); it != pending_.end();) {
        if ((*it)->call.start_by <= now) {
          (*it)->reply.not_started = true;
          (*it)->reply.error = "held by the client-side rate limits past its start-by time";
          (*it)->promise.set_value(std::move((*it)->reply));
          it = pending_.erase(it);
          --stats_.queued;
        } else {
          ++it;
        }
      }
      while (static_cast<int>(running_.size()) < options_.max_in_flight && !pending_.empty()) {
        Job& head = *pending_.front();
        uint64_t ticket = 0;
        auto hold = limiter_.TryAcquire(now, head.call.tokens, &ticket);
        if (hold > Steady::duration::zero()) {
          auto until_start_by = head.call.start_by - now;
          wait = std::clamp(std::chrono::ceil<std::chrono::milliseconds>(std::min(hold, until_start_by)),
                            std::chrono::milliseconds(1), wait);
          break;
        }
        head.reply.ticket = ticket;
        StartJob(std::move(pending_.front()));
        pending_.pop_front();
        --stats_.queued;
        ++stats_.started;
      }
      stats_.in_flight = static_cast<int>(running_.size());
      stats_.max_in_flight_seen = std::max(stats_.max_in_flight_seen, stats_.in_flight);
    }
    int still_running = 0;
    curl_multi_perform(multi_, &still_running);
    int left = 0;
    bool finished = false;
    while (CURLMsg* msg = curl_multi_info_read(multi_, &left)) {
      if (msg->msg != CURLMSG_DONE) continue;
      FinishJob(msg->easy_handle, msg->data.result);
      finished = true;
    }
    if (finished) {
      std::lock_guard lock(mu_);
      stats_.in_flight = static_cast<int>(running_.size());
      continue;  // a slot is free: start the next call now
    }
    curl_multi_poll(multi_, nullptr, 0, static_cast<int>(wait.count()), nullptr);
  }
  // Shutting down: fail what never started, abort what is in flight.
  std::lock_guard lock(mu_);
  for (auto* q : {&incoming_, &pending_})
    for (auto& job : *q) {
      job->reply.error = "shutting down";
      job->promise.set_value(std::move(job->reply));
    }
  for (auto& job : running_) {
    curl_multi_remove_handle(multi_, job->easy);
    job->reply.status = 0;
    job->reply.error = "shutting down";
    job->promise.set_value(std::move(job->reply));
  }
  running_.clear();
}

}  // namespace rkd

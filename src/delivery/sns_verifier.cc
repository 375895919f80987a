#include "delivery/sns_verifier.h"

#include <curl/curl.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <mutex>
#include <optional>

#include "base/curl_global.h"
#include "base/text_encoding.h"

namespace rkd {
namespace {

constexpr size_t kMaxBody = 256 * 1024;

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::vector<std::string> Labels(const std::string& host) {
  std::vector<std::string> out;
  size_t start = 0;
  for (;;) {
    const size_t dot = host.find('.', start);
    out.push_back(host.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (dot == std::string::npos) return out;
    start = dot + 1;
  }
}

const Clock& SystemClockInstance() {
  static const SystemClock kClock;
  return kClock;
}

bool IsLoopback(const std::string& host) { return host == "localhost" || host.rfind("127.", 0) == 0; }

// Splits "scheme://host[:port]/…" into its lowercased scheme and host; false for
// anything else (userinfo, IPv6 literals, empty host).
bool SplitUrl(const std::string& url, std::string* scheme, std::string* host) {
  const size_t sep = url.find("://");
  if (sep == std::string::npos) return false;
  *scheme = Lower(url.substr(0, sep));
  const size_t start = sep + 3;
  const size_t end = url.find_first_of("/?#", start);
  const std::string authority = url.substr(start, end == std::string::npos ? std::string::npos : end - start);
  if (authority.find_first_of("@[]\\ ") != std::string::npos) return false;
  const size_t colon = authority.find(':');
  *host = Lower(authority.substr(0, colon));
  if (colon != std::string::npos) {
    const std::string port = authority.substr(colon + 1);
    if (port.empty() || port.size() > 5 || !std::all_of(port.begin(), port.end(), ::isdigit)) return false;
  }
  return !host->empty();
}

size_t WriteBody(char* data, size_t size, size_t n, void* user) {
  auto* out = static_cast<std::string*>(user);
  if (out->size() + size * n > kMaxBody) return 0;  // aborts the transfer
  out->append(data, size * n);
  return size * n;
}

}  // namespace

struct SnsVerifier::Key {
  EVP_PKEY* pkey = nullptr;
  ~Key() { EVP_PKEY_free(pkey); }
};

struct SnsVerifier::Flight {
  std::string url, host;
  bool done = false;
  KeyResult result = Status::Unavailable("not fetched yet");
  std::thread thread;
};

Result<std::string> CurlGet(const std::string& url) {
  InitCurlOnce();
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return Status::Internal("curl_easy_init failed");
  std::string body;
  curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl.get(), CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT_MS, static_cast<long>(kFetchTimeoutMs));
  curl_easy_setopt(curl.get(), CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(kFetchConnectTimeoutMs));
  curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, WriteBody);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &body);
  const CURLcode rc = curl_easy_perform(curl.get());
  if (rc != CURLE_OK) return Status::Unavailable("fetching " + url + ": " + curl_easy_strerror(rc));
  long code = 0;
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &code);
  if (code < 200 || code > 299) return Status::Unavailable("fetching " + url + ": HTTP " + std::to_string(code));
  return body;
}

std::string SnsCanonicalString(const SnsMessage& m) {
  std::string out;
  auto add = [&out](const char* key, const std::string& value) {
    out.append(key).append("\n").append(value).append("\n");
  };
  add("Message", m.message);
  add("MessageId", m.message_id);
  if (m.type == "Notification") {
    if (m.subject) add("Subject", *m.subject);
    add("Timestamp", m.timestamp);
  } else {
    add("SubscribeURL", m.subscribe_url);
    add("Timestamp", m.timestamp);
    add("Token", m.token);
  }
  add("TopicArn", m.topic_arn);
  add("Type", m.type);
  return out;
}

bool HostMatches(const std::string& host, const std::string& pattern) {
  const auto h = Labels(Lower(host));
  const auto p = Labels(Lower(pattern));
  if (h.size() != p.size()) return false;
  for (size_t i = 0; i < h.size(); ++i) {
    if (h[i].empty()) return false;
    if (p[i] == "*") {
      if (!std::all_of(h[i].begin(), h[i].end(), [](unsigned char c) { return std::isalnum(c) || c == '-'; }))
        return false;
    } else if (h[i] != p[i]) {
      return false;
    }
  }
  return true;
}

SnsVerifier::SnsVerifier(SnsVerifierOptions options, UrlFetcher fetch, const Clock* clock)
    : options_(std::move(options)), fetch_(std::move(fetch)), clock_(clock ? *clock : SystemClockInstance()) {}

SnsVerifier::~SnsVerifier() {
  std::vector<std::thread> threads;
  {
    std::unique_lock<std::mutex> lock(mu_);
    done_.wait(lock, [this] { return flights_.empty(); });
    threads.swap(finished_);
  }
  for (std::thread& t : threads) t.join();
}

Status SnsVerifier::CheckUrl(const std::string& url) const {
  std::string scheme, host;
  if (!SplitUrl(url, &scheme, &host)) return Status::Unauthenticated("not a usable URL: " + url);
  const bool insecure = options_.allow_insecure_urls;
  if (scheme != "https" && !(insecure && scheme == "http"))
    return Status::Unauthenticated("only https URLs are fetched: " + url);
  if (insecure && IsLoopback(host)) return Status::Ok();
  for (const std::string& pattern : options_.cert_hosts)
    if (HostMatches(host, pattern)) return Status::Ok();
  return Status::Unauthenticated("host " + host + " is not on the SNS allow-list (RKD_SNS_CERT_HOSTS)");
}

int SnsVerifier::fetch_count() const {
  std::lock_guard<std::mutex> lock(mu_);
  return fetches_;
}

SnsVerifier::KeyResult SnsVerifier::Load(const std::string& url) const {
  auto pem = fetch_(url);
  if (!pem.ok()) return Status::Unavailable("SNS signing certificate: " + pem.status().message());
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem->data(), static_cast<int>(pem->size())), BIO_free);
  std::unique_ptr<X509, decltype(&X509_free)> cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr), X509_free);
  if (!cert) ERR_clear_error();
  if (!cert) return Status::Unauthenticated("the SNS signing certificate is not a PEM X.509 certificate");
  if (X509_cmp_current_time(X509_get0_notAfter(cert.get())) < 0 ||
      X509_cmp_current_time(X509_get0_notBefore(cert.get())) > 0)
    return Status::Unauthenticated("the SNS signing certificate is not valid now");
  auto key = std::make_shared<Key>();
  key->pkey = X509_get_pubkey(cert.get());
  if (!key->pkey) return Status::Unauthenticated("the SNS signing certificate has no usable public key");
  return std::shared_ptr<const Key>(std::move(key));
}

void SnsVerifier::Remember(const std::string& url, KeyResult result) {
  const Millis ttl = result.ok() ? options_.success_ttl_ms : options_.failure_ttl_ms;
  if (auto it = cache_.find(url); it != cache_.end()) {
    lru_.erase(it->second.lru);
    cache_.erase(it);
  }
  lru_.push_front(url);
  cache_.emplace(url, Entry{std::move(result), clock_.Now() + ttl, lru_.begin()});
  while (cache_.size() > std::max<size_t>(options_.cache_capacity, 1)) {
    cache_.erase(lru_.back());
    lru_.pop_back();
  }
}

void SnsVerifier::Finish(const std::shared_ptr<Flight>& flight, KeyResult result) {
  std::lock_guard<std::mutex> lock(mu_);
  Remember(flight->url, result);
  flight->result = std::move(result);
  flight->done = true;
  --fetching_;
  if (--fetching_by_host_[flight->host] == 0) fetching_by_host_.erase(flight->host);
  finished_.push_back(std::move(flight->thread));  // joined by the next fetch or the destructor
  flights_.erase(flight->url);
  done_.notify_all();
}

SnsVerifier::KeyResult SnsVerifier::KeyFor(const std::string& url, const std::string& host) {
  std::vector<std::thread> reap;
  std::unique_lock<std::mutex> lock(mu_);
  if (auto it = cache_.find(url); it != cache_.end()) {
    if (it->second.expires_at > clock_.Now()) {
      lru_.splice(lru_.begin(), lru_, it->second.lru);
      return it->second.result;
    }
    lru_.erase(it->second.lru);
    cache_.erase(it);
  }
  auto busy = [](const std::string& why) { return Status::Unavailable("SNS signing certificate not fetched: " + why); };
  // Each waiting caller is an HTTP thread held: past the bound, answer at once instead.
  if (waiting_ >= options_.max_waiting) return busy("too many requests are waiting for certificates");
  std::shared_ptr<Flight> flight;
  if (auto it = flights_.find(url); it != flights_.end()) {
    flight = it->second;  // somebody fetches it already: wait for that fetch
  } else {
    if (fetching_ >= options_.max_fetches) return busy("too many certificate fetches at once");
    if (auto h = fetching_by_host_.find(host);
        h != fetching_by_host_.end() && h->second >= options_.max_fetches_per_host)
      return busy("too many certificate fetches from " + host + " at once");
    flight = std::make_shared<Flight>();
    flight->url = url;
    flight->host = host;
    flights_[url] = flight;
    ++fetching_;
    ++fetching_by_host_[host];
    ++fetches_;
    reap.swap(finished_);
    // Started under mu_, so Finish (which takes mu_) sees flight->thread assigned.
    flight->thread = std::thread([this, flight] { Finish(flight, Load(flight->url)); });
  }
  ++waiting_;
  const bool done = done_.wait_for(lock, std::chrono::milliseconds(options_.wait_ms), [&] { return flight->done; });
  --waiting_;
  KeyResult result = done ? flight->result : busy("no answer from " + host + " in time");
  lock.unlock();
  for (std::thread& t : reap) t.join();  // threads that have finished their fetch: quick
  return result;
}

Status SnsVerifier::Verify(const SnsMessage& m) {
  const EVP_MD* md = m.signature_version == "1" ? EVP_sha1() : m.signature_version == "2" ? EVP_sha256() : nullptr;
  if (!md) return Status::Unauthenticated("SignatureVersion must be 1 or 2");
  if (m.signature.empty() || m.signing_cert_url.empty())
    return Status::Unauthenticated("the message carries no Signature or SigningCertURL");
  RKD_RETURN_IF_ERROR(CheckUrl(m.signing_cert_url));
  const std::optional<std::string> decoded = Base64Decode(m.signature);
  if (!decoded || decoded->empty()) return Status::Unauthenticated("Signature is not base64");
  const std::string& sig = *decoded;
  std::string scheme, host;
  SplitUrl(m.signing_cert_url, &scheme, &host);  // CheckUrl above parsed it already
  auto key = KeyFor(m.signing_cert_url, host);
  if (!key.ok()) return key.status();
  const std::string data = SnsCanonicalString(m);
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, md, nullptr, (*key)->pkey) != 1)
    return Status::Internal("EVP_DigestVerifyInit failed");
  const int ok = EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(sig.data()), sig.size(),
                                  reinterpret_cast<const unsigned char*>(data.data()), data.size());
  if (ok != 1) ERR_clear_error();
  if (ok != 1) return Status::Unauthenticated("the SNS signature does not match the message");
  return Status::Ok();
}

}  // namespace rkd

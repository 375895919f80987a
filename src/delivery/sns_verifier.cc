#include "delivery/sns_verifier.h"

#include <curl/curl.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <algorithm>
#include <cctype>
#include <mutex>

namespace rkd {
namespace {

constexpr size_t kMaxBody = 256 * 1024;
constexpr size_t kMaxCachedCerts = 32;

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

std::string DecodeBase64(std::string in) {
  in.erase(std::remove_if(in.begin(), in.end(), [](unsigned char c) { return std::isspace(c); }), in.end());
  if (in.empty() || in.size() % 4 != 0) return {};
  std::string out(in.size() / 4 * 3, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(in.data()), static_cast<int>(in.size()));
  if (n < 0) return {};
  size_t pad = 0;
  while (pad < 2 && in[in.size() - 1 - pad] == '=') ++pad;
  out.resize(static_cast<size_t>(n) - pad);
  return out;
}

}  // namespace

struct SnsVerifier::Key {
  EVP_PKEY* pkey = nullptr;
  ~Key() { EVP_PKEY_free(pkey); }
};

Result<std::string> CurlGet(const std::string& url) {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return Status::Internal("curl_easy_init failed");
  std::string body;
  curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl.get(), CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT_MS, 10000L);
  curl_easy_setopt(curl.get(), CURLOPT_CONNECTTIMEOUT_MS, 5000L);
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

SnsVerifier::SnsVerifier(SnsVerifierOptions options, UrlFetcher fetch)
    : options_(std::move(options)), fetch_(std::move(fetch)) {}

SnsVerifier::~SnsVerifier() = default;

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

Result<std::shared_ptr<SnsVerifier::Key>> SnsVerifier::KeyFor(const std::string& url) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (auto it = cache_.find(url); it != cache_.end()) return it->second;
    ++fetches_;
  }
  // Fetched outside the lock: a slow certificate host must not stall other requests.
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
  std::lock_guard<std::mutex> lock(mu_);
  if (cache_.size() >= kMaxCachedCerts) cache_.clear();  // SNS rotates rarely; a bound, not an LRU
  cache_[url] = key;
  return key;
}

Status SnsVerifier::Verify(const SnsMessage& m) {
  const EVP_MD* md = m.signature_version == "1" ? EVP_sha1() : m.signature_version == "2" ? EVP_sha256() : nullptr;
  if (!md) return Status::Unauthenticated("SignatureVersion must be 1 or 2");
  if (m.signature.empty() || m.signing_cert_url.empty())
    return Status::Unauthenticated("the message carries no Signature or SigningCertURL");
  RKD_RETURN_IF_ERROR(CheckUrl(m.signing_cert_url));
  const std::string sig = DecodeBase64(m.signature);
  if (sig.empty()) return Status::Unauthenticated("Signature is not base64");
  auto key = KeyFor(m.signing_cert_url);
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

// Authenticity of Amazon SNS messages posted to an HTTPS subscription
// (https://docs.aws.amazon.com/sns/latest/dg/sns-verify-signature-of-message.html):
// SignatureVersion 1 is SHA1withRSA and 2 is SHA256withRSA over the canonical string of
// the message's fields; the public key comes from the X.509 certificate at
// SigningCertURL, which is fetched only over HTTPS from a host on an allow-list (by
// default `sns.*.amazonaws.com`). The HTTPS fetch authenticates the host, so the
// certificate itself is trusted as served; an expired certificate is refused.
//
// Verify runs on the HTTP server's threads, and the certificate URL is chosen by whoever
// posts, so fetching is bounded so that no caller can hold the server: fetches run on
// the verifier's own threads, with at most `max_fetches` at once overall and
// `max_fetches_per_host` per host; concurrent callers for one URL share one fetch; at
// most `max_waiting` callers wait for a fetch at once, each for at most `wait_ms` (the
// fetch timeout). A caller beyond any bound gets Unavailable at once (the hook answers
// 503 with Retry-After; SNS retries). Outcomes are kept in a least-recently-used cache of
// `cache_capacity` URLs: a certificate for `success_ttl_ms`, a failure for
// `failure_ttl_ms`, so one bad URL is not fetched again on every post.
//
// Thread-safe: Verify may be called from many request threads at once. The destructor
// waits for fetches in flight (each ends within the fetcher's own timeout).
#pragma once

#include <condition_variable>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "base/status.h"
#include "base/time.h"
#include "delivery/ses_notification.h"

namespace rkd {

// Fetches a URL's body, or a non-ok Status. Injected so that tests need no network.
using UrlFetcher = std::function<Result<std::string>(const std::string& url)>;

// The default fetcher: libcurl GET, TLS verified, no redirects (a redirect could leave
// the allow-list), 2 s to connect and 5 s in all (kFetchTimeoutMs), a 256 KiB cap on the
// body; non-2xx is Unavailable.
constexpr int64_t kFetchTimeoutMs = 5000;
constexpr int64_t kFetchConnectTimeoutMs = 2000;
Result<std::string> CurlGet(const std::string& url);

// The string SNS signs: "Key\nValue\n" for each field in SNS's documented order.
// Notification: Message, MessageId, Subject (only when present), Timestamp, TopicArn,
// Type. SubscriptionConfirmation and UnsubscribeConfirmation: Message, MessageId,
// SubscribeURL, Timestamp, Token, TopicArn, Type.
std::string SnsCanonicalString(const SnsMessage& m);

// Case-insensitive host match; a pattern label "*" matches exactly one whole label
// ("sns.*.amazonaws.com" matches "sns.eu-west-1.amazonaws.com", not
// "sns.evil.com.amazonaws.com" nor "sns.amazonaws.com").
bool HostMatches(const std::string& host, const std::string& pattern);

struct SnsVerifierOptions {
  std::vector<std::string> cert_hosts = {"sns.*.amazonaws.com"};
  // TEST ONLY: also accepts http:// URLs and loopback hosts (127.0.0.1, localhost), so
  // functional tests can serve their own certificate. Never on in production: anyone
  // able to serve a certificate could then forge notifications.
  bool allow_insecure_urls = false;

  int max_fetches = 4;           // certificate fetches at once, overall
  int max_fetches_per_host = 2;  // … and per host
  int max_waiting = 4;           // callers (HTTP threads) waiting for a fetch at once
  Millis wait_ms = kFetchTimeoutMs;
  size_t cache_capacity = 64;             // URLs remembered, least recently used evicted first
  Millis success_ttl_ms = 24 * 3600'000;  // SNS rotates its certificate now and then
  Millis failure_ttl_ms = 10'000;         // under SNS's first retry delay (20 s by default)
};

class SnsVerifier {
 public:
  // `clock` (the system clock when null) dates cache entries; it must outlive the verifier.
  SnsVerifier(SnsVerifierOptions options, UrlFetcher fetch, const Clock* clock = nullptr);
  ~SnsVerifier();
  SnsVerifier(const SnsVerifier&) = delete;
  SnsVerifier& operator=(const SnsVerifier&) = delete;

  // Ok when `url` may be fetched: https with an allow-listed host (see options).
  // Unauthenticated otherwise. Also used for a SubscriptionConfirmation's SubscribeURL.
  Status CheckUrl(const std::string& url) const;

  // Ok when the message carries a valid signature from an allowed certificate.
  // Unauthenticated for a bad, missing or unsupported signature or a refused URL;
  // Unavailable when the allowed certificate could not be fetched, or not now (too many
  // fetches or callers waiting, or no answer within wait_ms): worth a retry.
  Status Verify(const SnsMessage& m);

  // Certificate fetches started so far (each URL once while its outcome is cached).
  int fetch_count() const;

 private:
  struct Key;
  using KeyResult = Result<std::shared_ptr<const Key>>;
  struct Flight;  // one fetch in progress, shared by the callers that wait for it
  struct Entry {  // a cached outcome
    KeyResult result;
    Millis expires_at;
    std::list<std::string>::iterator lru;  // its place in lru_
  };

  KeyResult KeyFor(const std::string& url, const std::string& host);
  KeyResult Load(const std::string& url) const;  // fetch and parse; on a fetch thread
  void Finish(const std::shared_ptr<Flight>& flight, KeyResult result);
  void Remember(const std::string& url, KeyResult result);  // mu_ held

  const SnsVerifierOptions options_;
  const UrlFetcher fetch_;
  const Clock& clock_;
  mutable std::mutex mu_;
  std::condition_variable done_;                            // a flight finished
  std::unordered_map<std::string, Entry> cache_;            // guarded by mu_
  std::list<std::string> lru_;                              // guarded by mu_; most recent first
  std::map<std::string, std::shared_ptr<Flight>> flights_;  // guarded by mu_; by URL
  std::map<std::string, int> fetching_by_host_;             // guarded by mu_
  int fetching_ = 0;                                        // guarded by mu_
  int waiting_ = 0;                                         // guarded by mu_
  int fetches_ = 0;                                         // guarded by mu_
  std::vector<std::thread> finished_;                       // guarded by mu_; fetch threads to join
};

}  // namespace rkd

// Authenticity of Amazon SNS messages posted to an HTTPS subscription
// (https://docs.aws.amazon.com/sns/latest/dg/sns-verify-signature-of-message.html):
// SignatureVersion 1 is SHA1withRSA and 2 is SHA256withRSA over the canonical string of
// the message's fields; the public key comes from the X.509 certificate at
// SigningCertURL, which is fetched only over HTTPS from a host on an allow-list (by
// default `sns.*.amazonaws.com`). The HTTPS fetch authenticates the host, so the
// certificate itself is trusted as served; an expired certificate is refused.
// Certificates are cached by URL.
//
// Thread-safe: Verify may be called from many request threads at once.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "base/status.h"
#include "delivery/ses_notification.h"

namespace rkd {

// Fetches a URL's body, or a non-ok Status. Injected so that tests need no network.
using UrlFetcher = std::function<Result<std::string>(const std::string& url)>;

// The default fetcher: libcurl GET, TLS verified, no redirects (a redirect could leave
// the allow-list), a 10 s timeout and a 256 KiB cap on the body; non-2xx is Unavailable.
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
};

class SnsVerifier {
 public:
  SnsVerifier(SnsVerifierOptions options, UrlFetcher fetch);
  ~SnsVerifier();
  SnsVerifier(const SnsVerifier&) = delete;
  SnsVerifier& operator=(const SnsVerifier&) = delete;

  // Ok when `url` may be fetched: https with an allow-listed host (see options).
  // Unauthenticated otherwise. Also used for a SubscriptionConfirmation's SubscribeURL.
  Status CheckUrl(const std::string& url) const;

  // Ok when the message carries a valid signature from an allowed certificate.
  // Unauthenticated for a bad, missing or unsupported signature or a refused URL;
  // Unavailable when the allowed certificate could not be fetched (worth a retry).
  Status Verify(const SnsMessage& m);

  // Certificates fetched so far (each URL once, while cached).
  int fetch_count() const;

 private:
  struct Key;
  Result<std::shared_ptr<Key>> KeyFor(const std::string& url);

  const SnsVerifierOptions options_;
  const UrlFetcher fetch_;
  mutable std::mutex mu_;
  std::map<std::string, std::shared_ptr<Key>> cache_;  // guarded by mu_
  int fetches_ = 0;                                    // guarded by mu_
};

}  // namespace rkd

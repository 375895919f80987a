// The SNS verifier against a key pair and self-signed certificate made here, served by
// an in-memory fetcher: no network.
#include "delivery/sns_verifier.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace rkd {
namespace {

// An RSA key and a self-signed certificate for it, valid from an hour ago for a day.
struct TestSigner {
  EVP_PKEY* key = nullptr;
  std::string cert_pem;

  TestSigner() {
    key = EVP_RSA_gen(2048);
    X509* cert = X509_new();
    ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
    X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
    X509_gmtime_adj(X509_getm_notAfter(cert), 86400);
    X509_set_pubkey(cert, key);
    X509_NAME* name = X509_get_subject_name(cert);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("sns.amazonaws.com"),
                               -1, -1, 0);
    X509_set_issuer_name(cert, name);
    X509_sign(cert, key, EVP_sha256());
    BIO* bio = BIO_new(BIO_s_mem());
    PEM_write_bio_X509(bio, cert);
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio, &data);
    cert_pem.assign(data, static_cast<size_t>(n));
    BIO_free(bio);
    X509_free(cert);
  }
  ~TestSigner() { EVP_PKEY_free(key); }

  // Base64 of the signature of `data` with SHA-256 (version "2") or SHA-1 ("1").
  std::string Sign(const std::string& data, const std::string& version) const {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    EVP_DigestSignInit(ctx, nullptr, version == "1" ? EVP_sha1() : EVP_sha256(), nullptr, key);
    size_t len = 0;
    EVP_DigestSign(ctx, nullptr, &len, reinterpret_cast<const unsigned char*>(data.data()), data.size());
    std::string sig(len, '\0');
    EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &len,
                   reinterpret_cast<const unsigned char*>(data.data()), data.size());
    EVP_MD_CTX_free(ctx);
    sig.resize(len);
    std::string b64(4 * ((len + 2) / 3) + 1, '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(b64.data()),
                                  reinterpret_cast<const unsigned char*>(sig.data()), static_cast<int>(len));
    b64.resize(static_cast<size_t>(n));
    return b64;
  }
};

const TestSigner& Signer() {
  static const TestSigner* signer = new TestSigner();  // one 2048-bit key for the suite
  return *signer;
}

constexpr const char* kCertUrl = "https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-abc.pem";

SnsMessage Notification(const std::string& version = "2") {
  SnsMessage m;
  m.type = "Notification";
  m.message_id = "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324";
  m.topic_arn = "arn:aws:sns:eu-west-1:123456789012:ses-bounces";
  m.subject = "Amazon SES Email Event Notification";
  m.message = R"({"notificationType":"Bounce","bounce":{"bounceType":"Permanent","bouncedRecipients":[]}})";
  m.timestamp = "2024-05-01T12:00:00.000Z";
  m.signature_version = version;
  m.signing_cert_url = kCertUrl;
  m.signature = Signer().Sign(SnsCanonicalString(m), version);
  return m;
}

class SnsVerifierTest : public ::testing::Test {
 protected:
  SnsVerifier verifier_{SnsVerifierOptions{}, [this](const std::string& url) -> Result<std::string> {
                          fetched_.push_back(url);
                          return Signer().cert_pem;
                        }};
  std::vector<std::string> fetched_;
};

TEST(SnsCanonicalStringTest, NotificationOrderAndOptionalSubject) {
  SnsMessage m;
  m.type = "Notification";
  m.message_id = "id";
  m.topic_arn = "arn";
  m.message = "hello";
  m.timestamp = "ts";
  EXPECT_EQ(SnsCanonicalString(m), "Message\nhello\nMessageId\nid\nTimestamp\nts\nTopicArn\narn\nType\nNotification\n");
  m.subject = "subj";
  EXPECT_EQ(SnsCanonicalString(m),
            "Message\nhello\nMessageId\nid\nSubject\nsubj\nTimestamp\nts\nTopicArn\narn\nType\nNotification\n");
}

TEST(SnsCanonicalStringTest, ConfirmationOrder) {
  SnsMessage m;
  m.type = "SubscriptionConfirmation";
  m.message_id = "id";
  m.topic_arn = "arn";
  m.message = "confirm";
  m.timestamp = "ts";
  m.token = "tok";
  m.subscribe_url = "https://sns/confirm";
  m.subject = "ignored";  // not part of a confirmation's signed string
  EXPECT_EQ(SnsCanonicalString(m),
            "Message\nconfirm\nMessageId\nid\nSubscribeURL\nhttps://sns/confirm\nTimestamp\nts\nToken\ntok\n"
            "TopicArn\narn\nType\nSubscriptionConfirmation\n");
}

TEST(SnsHostTest, WildcardMatchesOneLabel) {
  EXPECT_TRUE(HostMatches("sns.eu-west-1.amazonaws.com", "sns.*.amazonaws.com"));
  EXPECT_TRUE(HostMatches("SNS.US-EAST-1.AMAZONAWS.COM", "sns.*.amazonaws.com"));
  EXPECT_FALSE(HostMatches("sns.amazonaws.com", "sns.*.amazonaws.com"));
  EXPECT_FALSE(HostMatches("sns.evil.com.amazonaws.com", "sns.*.amazonaws.com"));
  EXPECT_FALSE(HostMatches("sns.eu-west-1.amazonaws.com.evil.com", "sns.*.amazonaws.com"));
  EXPECT_FALSE(HostMatches("evil.eu-west-1.amazonaws.com", "sns.*.amazonaws.com"));
}

TEST_F(SnsVerifierTest, ValidSignaturesVerifyAndTheCertificateIsCached) {
  EXPECT_TRUE(verifier_.Verify(Notification("2")).ok());
  EXPECT_TRUE(verifier_.Verify(Notification("1")).ok());
  SnsMessage confirm = Notification();
  confirm.type = "SubscriptionConfirmation";
  confirm.subject.reset();
  confirm.token = "token";
  confirm.subscribe_url = "https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription&Token=token";
  confirm.signature = Signer().Sign(SnsCanonicalString(confirm), "2");
  EXPECT_TRUE(verifier_.Verify(confirm).ok());
  EXPECT_EQ(fetched_, std::vector<std::string>{kCertUrl});
  EXPECT_EQ(verifier_.fetch_count(), 1);
}

TEST_F(SnsVerifierTest, TamperedMessageIsRejected) {
  SnsMessage m = Notification();
  m.message =
      R"({"notificationType":"Bounce","bounce":{"bounceType":"Permanent","bouncedRecipients":[{"emailAddress":"victim@example.com"}]}})";
  EXPECT_EQ(verifier_.Verify(m).code(), Code::kUnauthenticated);
  m = Notification();
  m.subject.reset();  // dropping a signed field changes the string
  EXPECT_EQ(verifier_.Verify(m).code(), Code::kUnauthenticated);
  m = Notification("2");
  m.signature_version = "1";  // a SHA-256 signature checked as SHA-1
  EXPECT_EQ(verifier_.Verify(m).code(), Code::kUnauthenticated);
  m = Notification();
  m.signature = "not base64!";
  EXPECT_EQ(verifier_.Verify(m).code(), Code::kUnauthenticated);
  m = Notification();
  m.signature_version = "3";
  EXPECT_EQ(verifier_.Verify(m).code(), Code::kUnauthenticated);
}

TEST_F(SnsVerifierTest, CertificateUrlMustBeHttpsOnAnAllowedHost) {
  for (const char* url :
       {"https://sns.eu-west-1.amazonaws.com.evil.example/cert.pem",
        "https://evil.example/sns.eu-west-1.amazonaws.com/cert.pem",
        "https://user@sns.eu-west-1.amazonaws.com/cert.pem", "http://sns.eu-west-1.amazonaws.com/cert.pem",
        "http://127.0.0.1:8000/cert.pem", "file:///etc/ssl/cert.pem", "sns.eu-west-1.amazonaws.com/cert.pem"}) {
    SnsMessage m = Notification();
    m.signing_cert_url = url;
    m.signature = Signer().Sign(SnsCanonicalString(m), "2");
    EXPECT_EQ(verifier_.Verify(m).code(), Code::kUnauthenticated) << url;
  }
  EXPECT_TRUE(fetched_.empty());  // refused URLs are never fetched
}

TEST(SnsVerifierOptionsTest, InsecureTestSwitchAllowsLoopbackHttpOnly) {
  SnsVerifierOptions opts;
  opts.allow_insecure_urls = true;
  SnsVerifier v(opts, [](const std::string&) -> Result<std::string> { return Signer().cert_pem; });
  EXPECT_TRUE(v.CheckUrl("http://127.0.0.1:8123/cert.pem").ok());
  EXPECT_TRUE(v.CheckUrl("http://sns.us-east-1.amazonaws.com/cert.pem").ok());
  EXPECT_FALSE(v.CheckUrl("http://evil.example/cert.pem").ok());
  SnsVerifier strict(SnsVerifierOptions{},
                     [](const std::string&) -> Result<std::string> { return Status::Internal("x"); });
  EXPECT_FALSE(strict.CheckUrl("http://127.0.0.1:8123/cert.pem").ok());
  EXPECT_FALSE(strict.CheckUrl("https://127.0.0.1:8123/cert.pem").ok());
}

TEST(SnsVerifierOptionsTest, UnreachableCertificateIsUnavailableAndAnotherKeyIsRejected) {
  SnsVerifier down(SnsVerifierOptions{},
                   [](const std::string&) -> Result<std::string> { return Status::Unavailable("connection refused"); });
  EXPECT_EQ(down.Verify(Notification()).code(), Code::kUnavailable);

  TestSigner other;
  SnsVerifier wrong_key(SnsVerifierOptions{},
                        [&other](const std::string&) -> Result<std::string> { return other.cert_pem; });
  EXPECT_EQ(wrong_key.Verify(Notification()).code(), Code::kUnauthenticated);
  SnsVerifier garbage(SnsVerifierOptions{},
                      [](const std::string&) -> Result<std::string> { return std::string("nope"); });
  EXPECT_EQ(garbage.Verify(Notification()).code(), Code::kUnauthenticated);
}

// --- Fetch bounds: nobody who posts can hold the server's threads --------------------

// A fetcher that blocks every fetch until Open(), recording which URLs it was asked for.
class Gate {
 public:
  Result<std::string> Fetch(const std::string& url) {
    std::unique_lock<std::mutex> lock(mu_);
    started_.push_back(url);
    cv_.notify_all();
    cv_.wait(lock, [this] { return open_; });
    return Signer().cert_pem;
  }
  UrlFetcher Fetcher() {
    return [this](const std::string& url) { return Fetch(url); };
  }
  // True once `n` fetches have started (within 10 s).
  bool WaitStarted(size_t n) {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, std::chrono::seconds(10), [&] { return started_.size() >= n; });
  }
  std::vector<std::string> started() {
    std::lock_guard<std::mutex> lock(mu_);
    return started_;
  }
  void Open() {
    std::lock_guard<std::mutex> lock(mu_);
    open_ = true;
    cv_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool open_ = false;
  std::vector<std::string> started_;
};

// Opens the gate when it goes out of scope: declared after the verifier, it runs before
// the verifier's destructor, which waits for the fetches in flight.
struct OpenAtExit {
  Gate& gate;
  ~OpenAtExit() { gate.Open(); }
};

SnsMessage SignedFor(const std::string& cert_url) {
  SnsMessage m = Notification();
  m.signing_cert_url = cert_url;  // not part of the signed string
  return m;
}

std::string CertUrl(const std::string& region, int n) {
  return "https://sns." + region + ".amazonaws.com/SimpleNotificationService-" + std::to_string(n) + ".pem";
}

class ManualClock final : public Clock {
 public:
  Millis Now() const override { return now_.load(); }
  void Advance(Millis d) { now_ += d; }

 private:
  std::atomic<Millis> now_{1'700'000'000'000};
};

// How long `f` took, in milliseconds.
template <typename F>
int64_t ElapsedMs(F&& f) {
  const auto start = std::chrono::steady_clock::now();
  f();
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
}

TEST(SnsVerifierFetchTest, FetchesAreBoundedPerHostAndOverallAndTheRestAnswerAtOnce) {
  Gate gate;
  SnsVerifierOptions opts;
  opts.max_fetches = 4;
  opts.max_fetches_per_host = 2;
  opts.max_waiting = 100;  // not the bound under test
  opts.wait_ms = 20'000;
  SnsVerifier v(opts, gate.Fetcher());
  OpenAtExit open{gate};
  std::vector<std::thread> callers;
  std::atomic<int> verified{0};
  auto call = [&](const std::string& url) {
    callers.emplace_back([&v, &verified, url] { verified += v.Verify(SignedFor(url)).ok(); });
  };
  call(CertUrl("eu-west-1", 1));
  call(CertUrl("eu-west-1", 2));
  ASSERT_TRUE(gate.WaitStarted(2));
  // A third URL on the same host: refused at once, nothing fetched.
  Status third;
  EXPECT_LT(ElapsedMs([&] { third = v.Verify(SignedFor(CertUrl("eu-west-1", 3))); }), 1000);
  EXPECT_EQ(third.code(), Code::kUnavailable);
  call(CertUrl("us-east-1", 1));
  call(CertUrl("us-east-1", 2));
  ASSERT_TRUE(gate.WaitStarted(4));
  // A fifth fetch on a fresh host: over the overall bound.
  Status fifth;
  EXPECT_LT(ElapsedMs([&] { fifth = v.Verify(SignedFor(CertUrl("ap-south-1", 1))); }), 1000);
  EXPECT_EQ(fifth.code(), Code::kUnavailable);
  EXPECT_EQ(gate.started().size(), 4u);
  gate.Open();
  for (auto& t : callers) t.join();
  EXPECT_EQ(verified.load(), 4);
  // The bounds are on fetches at once: with the four done, the refused ones go through.
  EXPECT_TRUE(v.Verify(SignedFor(CertUrl("eu-west-1", 3))).ok());
  EXPECT_TRUE(v.Verify(SignedFor(CertUrl("ap-south-1", 1))).ok());
  EXPECT_EQ(v.fetch_count(), 6);
}

TEST(SnsVerifierFetchTest, ConcurrentCallersForOneUrlShareOneFetch) {
  Gate gate;
  SnsVerifierOptions opts;
  opts.max_waiting = 100;
  opts.wait_ms = 20'000;
  SnsVerifier v(opts, gate.Fetcher());
  OpenAtExit open{gate};
  std::atomic<int> verified{0};
  std::vector<std::thread> callers;
  for (int i = 0; i < 8; ++i) callers.emplace_back([&] { verified += v.Verify(Notification()).ok(); });
  ASSERT_TRUE(gate.WaitStarted(1));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // the others join the fetch meanwhile
  gate.Open();
  for (auto& t : callers) t.join();
  EXPECT_EQ(verified.load(), 8);
  EXPECT_EQ(gate.started(), std::vector<std::string>{kCertUrl});
  EXPECT_EQ(v.fetch_count(), 1);
}

TEST(SnsVerifierFetchTest, WaitingCallersAreBoundedAndWaitNoLongerThanTheFetchTimeout) {
  Gate gate;
  SnsVerifierOptions opts;
  opts.max_waiting = 2;
  opts.wait_ms = 300;
  SnsVerifier v(opts, gate.Fetcher());
  OpenAtExit open{gate};
  std::vector<std::thread> callers;
  std::atomic<int> unavailable{0};
  std::atomic<int64_t> longest{0};
  for (int i = 0; i < 2; ++i)
    callers.emplace_back([&] {
      Status st;
      const int64_t ms = ElapsedMs([&] { st = v.Verify(Notification()); });
      unavailable += st.code() == Code::kUnavailable;
      longest = std::max<int64_t>(longest.load(), ms);
    });
  ASSERT_TRUE(gate.WaitStarted(1));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  // Two callers wait already: a third is not held at all.
  Status third;
  EXPECT_LT(ElapsedMs([&] { third = v.Verify(Notification()); }), 100);
  EXPECT_EQ(third.code(), Code::kUnavailable);
  for (auto& t : callers) t.join();
  // The fetch never answered: both gave up after wait_ms, not later.
  EXPECT_EQ(unavailable.load(), 2);
  EXPECT_GE(longest.load(), 250);
  EXPECT_LT(longest.load(), 2000);
  // A fetch that answers late still fills the cache for the retry.
  gate.Open();
  for (int i = 0; i < 100 && !v.Verify(Notification()).ok(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_TRUE(v.Verify(Notification()).ok());
  EXPECT_EQ(v.fetch_count(), 1);
}

TEST(SnsVerifierFetchTest, CacheEvictsTheLeastRecentlyUsed) {
  std::vector<std::string> fetched;
  SnsVerifierOptions opts;
  opts.cache_capacity = 2;
  SnsVerifier v(opts, [&](const std::string& url) -> Result<std::string> {
    fetched.push_back(url);
    return Signer().cert_pem;
  });
  const std::string u1 = CertUrl("eu-west-1", 1), u2 = CertUrl("eu-west-1", 2), u3 = CertUrl("eu-west-1", 3);
  for (const std::string& url : {u1, u2, u1, u3, u1, u2, u3})  // u3 evicts u2 (u1 was used later), …
    EXPECT_TRUE(v.Verify(SignedFor(url)).ok()) << url;
  EXPECT_EQ(fetched, (std::vector<std::string>{u1, u2, u3, u2, u3}));
}

TEST(SnsVerifierFetchTest, FailuresAreRememberedBriefly) {
  ManualClock clock;
  int fetches = 0;
  SnsVerifierOptions opts;
  opts.failure_ttl_ms = 10'000;
  SnsVerifier v(
      opts,
      [&](const std::string& url) -> Result<std::string> {
        ++fetches;
        if (url == kCertUrl) return Status::Unavailable("connection refused");
        return std::string("not a certificate");
      },
      &clock);
  const std::string garbage = CertUrl("us-east-1", 1);
  EXPECT_EQ(v.Verify(Notification()).code(), Code::kUnavailable);
  EXPECT_EQ(v.Verify(SignedFor(garbage)).code(), Code::kUnauthenticated);
  EXPECT_EQ(fetches, 2);
  clock.Advance(9'000);
  EXPECT_EQ(v.Verify(Notification()).code(), Code::kUnavailable);
  EXPECT_EQ(v.Verify(SignedFor(garbage)).code(), Code::kUnauthenticated);
  EXPECT_EQ(fetches, 2);  // not fetched again
  clock.Advance(2'000);
  EXPECT_EQ(v.Verify(Notification()).code(), Code::kUnavailable);
  EXPECT_EQ(v.Verify(SignedFor(garbage)).code(), Code::kUnauthenticated);
  EXPECT_EQ(fetches, 4);  // the failures expired: tried again
}

}  // namespace
}  // namespace rkd

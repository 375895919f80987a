// The SNS verifier against a key pair and self-signed certificate made here, served by
// an in-memory fetcher: no network.
#include "delivery/sns_verifier.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <memory>

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

}  // namespace
}  // namespace rkd

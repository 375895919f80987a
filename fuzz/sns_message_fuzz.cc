// Fuzzes the SES hook's parsing (delivery/ses_notification.h): the SNS envelope and the
// SES notification inside it, both from bytes a caller of /hooks/ses chooses. Properties:
//   - nothing throws, whatever the JSON;
//   - a rejected message names a field whenever the body was an object;
//   - an accepted envelope holds exactly the strings of the body: writing them back into
//     JSON and parsing again gives the same message;
//   - an accepted notification has one of the three types, a known bounce type for a
//     bounce, and bare recipients (BareAddress leaves them as they are).
#include <cstddef>
#include <cstdint>
#include <string>

#include "delivery/ses_notification.h"
#include "fuzz_check.h"

namespace {

using nlohmann::json;

json ToJson(const rkd::SnsMessage& m) {
  json j = {{"Type", m.type},
            {"MessageId", m.message_id},
            {"TopicArn", m.topic_arn},
            {"Message", m.message},
            {"Timestamp", m.timestamp}};
  if (m.type != "Notification") {
    j["Token"] = m.token;
    j["SubscribeURL"] = m.subscribe_url;
  }
  if (m.subject) j["Subject"] = *m.subject;
  if (!m.signature_version.empty()) j["SignatureVersion"] = m.signature_version;
  if (!m.signature.empty()) j["Signature"] = m.signature;
  if (!m.signing_cert_url.empty()) j["SigningCertURL"] = m.signing_cert_url;
  return j;
}

bool Same(const rkd::SnsMessage& a, const rkd::SnsMessage& b) {
  return a.type == b.type && a.message_id == b.message_id && a.topic_arn == b.topic_arn && a.subject == b.subject &&
         a.message == b.message && a.timestamp == b.timestamp && a.token == b.token &&
         a.subscribe_url == b.subscribe_url && a.signature_version == b.signature_version &&
         a.signature == b.signature && a.signing_cert_url == b.signing_cert_url;
}

void CheckNotification(const json& body) {
  auto n = rkd::ParseSesNotification(body);
  if (!n.ok()) {
    FUZZ_CHECK(!body.is_object() || !n.status().field().empty(), "a rejected notification names a field");
    return;
  }
  const std::string& type = n->notification_type;
  FUZZ_CHECK(type == "Bounce" || type == "Complaint" || type == "Delivery", "a known notification type");
  if (type == "Bounce")
    FUZZ_CHECK(n->bounce_type == "Permanent" || n->bounce_type == "Transient" || n->bounce_type == "Undetermined",
               "a known bounce type");
  for (const auto& r : n->recipients) FUZZ_CHECK(rkd::BareAddress(r) == r, "recipients are bare addresses");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  FUZZ_NO_THROW({
    const json body = json::parse(input, nullptr, /*allow_exceptions=*/false);
    if (body.is_discarded()) return 0;
    const bool envelope = rkd::IsSnsEnvelope(body);
    auto m = rkd::ParseSnsMessage(body);
    if (!m.ok()) {
      FUZZ_CHECK(!body.is_object() || !m.status().field().empty(), "a rejected envelope names a field");
    } else {
      FUZZ_CHECK(envelope, "an accepted envelope looks like one");
      auto again = rkd::ParseSnsMessage(ToJson(*m));
      FUZZ_CHECK(again.ok() && Same(*again, *m), "an accepted envelope round-trips");
      if (m->type == "Notification") {
        const json inner = json::parse(m->message, nullptr, /*allow_exceptions=*/false);
        if (!inner.is_discarded()) CheckNotification(inner);
      }
    }
    // The hook also takes a raw SES notification posted directly.
    CheckNotification(body);
  });
  return 0;
}

#include "delivery/ses_notification.h"

namespace rkd {
namespace {

// A required string field; InvalidArgument naming it otherwise.
Status RequireString(const nlohmann::json& body, const char* name, std::string* out) {
  auto it = body.find(name);
  if (it == body.end() || !it->is_string())
    return Status::InvalidArgument(std::string(name) + " must be a string", name);
  *out = it->get<std::string>();
  return Status::Ok();
}

// Appends the bare addresses of `list[].emailAddress`.
Status ReadRecipients(const nlohmann::json& parent, const char* list_name, std::vector<std::string>* out) {
  auto list = parent.find(list_name);
  if (list == parent.end() || !list->is_array())
    return Status::InvalidArgument(std::string(list_name) + " must be an array", list_name);
  for (const auto& r : *list) {
    auto addr = r.is_object() ? r.find("emailAddress") : r.end();
    if (!r.is_object() || addr == r.end() || !addr->is_string())
      return Status::InvalidArgument(std::string(list_name) + "[].emailAddress must be a string", list_name);
    out->push_back(BareAddress(addr->get<std::string>()));
  }
  return Status::Ok();
}

}  // namespace

std::string BareAddress(const std::string& address) {
  const size_t lt = address.rfind('<');
  const size_t gt = address.rfind('>');
  std::string out =
      (lt != std::string::npos && gt != std::string::npos && gt > lt) ? address.substr(lt + 1, gt - lt - 1) : address;
  out.erase(0, out.find_first_not_of(" \t"));
  out.erase(out.find_last_not_of(" \t") + 1);
  return out;
}

bool IsSnsEnvelope(const nlohmann::json& body) {
  auto it = body.find("Type");
  return body.is_object() && it != body.end() && it->is_string();
}

Result<SnsMessage> ParseSnsMessage(const nlohmann::json& body) {
  if (!body.is_object()) return Status::InvalidArgument("the body must be a JSON object");
  SnsMessage m;
  RKD_RETURN_IF_ERROR(RequireString(body, "Type", &m.type));
  const bool confirmation = m.type == "SubscriptionConfirmation" || m.type == "UnsubscribeConfirmation";
  if (m.type != "Notification" && !confirmation)
    return Status::InvalidArgument("Type must be Notification, SubscriptionConfirmation or UnsubscribeConfirmation",
                                   "Type");
  RKD_RETURN_IF_ERROR(RequireString(body, "MessageId", &m.message_id));
  RKD_RETURN_IF_ERROR(RequireString(body, "TopicArn", &m.topic_arn));
  RKD_RETURN_IF_ERROR(RequireString(body, "Message", &m.message));
  RKD_RETURN_IF_ERROR(RequireString(body, "Timestamp", &m.timestamp));
  if (confirmation) {
    RKD_RETURN_IF_ERROR(RequireString(body, "Token", &m.token));
    RKD_RETURN_IF_ERROR(RequireString(body, "SubscribeURL", &m.subscribe_url));
  }
  if (auto s = body.find("Subject"); s != body.end() && s->is_string()) m.subject = s->get<std::string>();
  // The signature fields are optional here: a message posted with the shared secret
  // need not carry them; the verifier rejects a message without them.
  for (auto [name, out] : {std::pair{"SignatureVersion", &m.signature_version}, std::pair{"Signature", &m.signature},
                           std::pair{"SigningCertURL", &m.signing_cert_url}}) {
    if (auto it = body.find(name); it != body.end()) {
      if (!it->is_string()) return Status::InvalidArgument(std::string(name) + " must be a string", name);
      *out = it->get<std::string>();
    }
  }
  return m;
}

Result<SesNotification> ParseSesNotification(const nlohmann::json& body) {
  if (!body.is_object()) return Status::InvalidArgument("the SES notification must be a JSON object");
  SesNotification n;
  if (Status st = RequireString(body, "notificationType", &n.notification_type); !st.ok()) {
    // SES event publishing (configuration sets) names the field eventType.
    if (!RequireString(body, "eventType", &n.notification_type).ok()) return st;
  }
  if (auto mail = body.find("mail"); mail != body.end() && mail->is_object())
    if (auto id = mail->find("messageId"); id != mail->end() && id->is_string()) n.mail_message_id = *id;

  if (n.notification_type == "Bounce") {
    auto bounce = body.find("bounce");
    if (bounce == body.end() || !bounce->is_object())
      return Status::InvalidArgument("bounce must be an object", "bounce");
    RKD_RETURN_IF_ERROR(RequireString(*bounce, "bounceType", &n.bounce_type));
    if (n.bounce_type != "Permanent" && n.bounce_type != "Transient" && n.bounce_type != "Undetermined")
      return Status::InvalidArgument("bounceType must be Permanent, Transient or Undetermined", "bounceType");
    if (auto sub = bounce->find("bounceSubType"); sub != bounce->end() && sub->is_string()) n.bounce_sub_type = *sub;
    RKD_RETURN_IF_ERROR(ReadRecipients(*bounce, "bouncedRecipients", &n.recipients));
  } else if (n.notification_type == "Complaint") {
    auto complaint = body.find("complaint");
    if (complaint == body.end() || !complaint->is_object())
      return Status::InvalidArgument("complaint must be an object", "complaint");
    if (auto ft = complaint->find("complaintFeedbackType"); ft != complaint->end() && ft->is_string())
      n.complaint_feedback_type = *ft;
    RKD_RETURN_IF_ERROR(ReadRecipients(*complaint, "complainedRecipients", &n.recipients));
  } else if (n.notification_type != "Delivery") {
    return Status::InvalidArgument("notificationType must be Bounce, Complaint or Delivery", "notificationType");
  }
  return n;
}

}  // namespace rkd

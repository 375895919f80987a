// Amazon SES bounce and complaint notifications, and the SNS envelope that carries
// them (https://docs.aws.amazon.com/sns/latest/dg/sns-message-and-json-formats.html,
// https://docs.aws.amazon.com/ses/latest/dg/notification-contents.html). Pure parsing:
// no I/O, no signature checks (sns_verifier.h does those). Thread-safe (no state).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"

namespace rkd {

// One SNS message as posted to an HTTPS subscription. Fields that the message's type
// does not carry stay empty; `subject` is optional on a Notification, and whether it
// was present changes the signed string.
struct SnsMessage {
  std::string type;  // "Notification", "SubscriptionConfirmation", "UnsubscribeConfirmation"
  std::string message_id;
  std::string topic_arn;
  std::optional<std::string> subject;
  std::string message;
  std::string timestamp;
  std::string token;          // the two confirmations
  std::string subscribe_url;  // the two confirmations
  std::string signature_version;
  std::string signature;  // base64
  std::string signing_cert_url;
};

// True when `body` looks like an SNS envelope (it has a string "Type"), as opposed to a
// raw SES notification posted directly.
bool IsSnsEnvelope(const nlohmann::json& body);

// InvalidArgument, naming the field, when a field the type requires is missing or is
// not a string, or when the type is not one of the three above.
Result<SnsMessage> ParseSnsMessage(const nlohmann::json& body);

// What SES reports about one sent message.
struct SesNotification {
  std::string notification_type;        // "Bounce", "Complaint" or "Delivery"
  std::string bounce_type;              // Bounce: "Permanent", "Transient", "Undetermined"
  std::string bounce_sub_type;          // Bounce: "General", "NoEmail", "Suppressed", …
  std::string complaint_feedback_type;  // Complaint, when the provider says ("abuse", …)
  std::vector<std::string> recipients;  // bounced or complained addresses, bare (no display name)
  std::string mail_message_id;          // mail.messageId: SES's id for the message sent
};

// Parses an SES notification object (the decoded `Message` of an SNS Notification, or
// the body SES-compatible senders post directly). Accepts "notificationType" and, for
// SES event publishing, "eventType". InvalidArgument for a missing or unknown type or a
// malformed recipient list.
Result<SesNotification> ParseSesNotification(const nlohmann::json& body);

// "Jane <jane@example.com>" → "jane@example.com"; a bare address is returned as is.
std::string BareAddress(const std::string& address);

}  // namespace rkd

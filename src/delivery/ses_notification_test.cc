#include "delivery/ses_notification.h"

#include <gtest/gtest.h>

namespace rkd {
namespace {

using nlohmann::json;

TEST(SesNotificationTest, PermanentBounceListsBareRecipients) {
  auto n = ParseSesNotification(json::parse(R"({
    "notificationType": "Bounce",
    "bounce": {"bounceType": "Permanent", "bounceSubType": "General",
               "bouncedRecipients": [{"emailAddress": "a@example.com"},
                                     {"emailAddress": "Bee <b@example.com>", "status": "5.1.1"}]},
    "mail": {"messageId": "0100-abc"}})"));
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(n->notification_type, "Bounce");
  EXPECT_EQ(n->bounce_type, "Permanent");
  EXPECT_EQ(n->bounce_sub_type, "General");
  EXPECT_EQ(n->recipients, (std::vector<std::string>{"a@example.com", "b@example.com"}));
  EXPECT_EQ(n->mail_message_id, "0100-abc");
}

TEST(SesNotificationTest, ComplaintAndEventPublishingField) {
  auto n = ParseSesNotification(json::parse(R"({"eventType": "Complaint",
    "complaint": {"complaintFeedbackType": "abuse", "complainedRecipients": [{"emailAddress": "c@example.com"}]}})"));
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(n->notification_type, "Complaint");
  EXPECT_EQ(n->complaint_feedback_type, "abuse");
  EXPECT_EQ(n->recipients, std::vector<std::string>{"c@example.com"});
}

TEST(SesNotificationTest, RejectsUnknownTypesAndMalformedLists) {
  EXPECT_EQ(ParseSesNotification(json::parse(R"({"notificationType": "Spam"})")).status().field(), "notificationType");
  EXPECT_EQ(ParseSesNotification(json::parse(R"({})")).status().field(), "notificationType");
  EXPECT_EQ(ParseSesNotification(json::parse(R"({"notificationType": "Bounce", "bounce": {"bounceType": "Soft",
    "bouncedRecipients": []}})"))
                .status()
                .field(),
            "bounceType");
  EXPECT_FALSE(ParseSesNotification(json::parse(R"({"notificationType": "Complaint",
    "complaint": {"complainedRecipients": [{"emailAddress": 5}]}})"))
                   .ok());
  EXPECT_TRUE(ParseSesNotification(json::parse(R"({"notificationType": "Delivery"})")).ok());
}

TEST(SesNotificationTest, SnsEnvelopeFieldsByType) {
  json body = {{"Type", "Notification"},
               {"MessageId", "m1"},
               {"TopicArn", "arn:t"},
               {"Message", "{}"},
               {"Timestamp", "2024-01-01T00:00:00.000Z"},
               {"SignatureVersion", "1"},
               {"Signature", "c2ln"},
               {"SigningCertURL", "https://sns.us-east-1.amazonaws.com/x.pem"}};
  EXPECT_TRUE(IsSnsEnvelope(body));
  auto m = ParseSnsMessage(body);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_FALSE(m->subject.has_value());
  body["Subject"] = "";
  EXPECT_EQ(ParseSnsMessage(body)->subject, std::optional<std::string>(""));

  body["Type"] = "SubscriptionConfirmation";
  EXPECT_EQ(ParseSnsMessage(body).status().field(), "Token");
  body["Token"] = "tok";
  body["SubscribeURL"] = "https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription";
  EXPECT_TRUE(ParseSnsMessage(body).ok());
  body["Type"] = "Other";
  EXPECT_EQ(ParseSnsMessage(body).status().field(), "Type");
  EXPECT_FALSE(IsSnsEnvelope(json::parse(R"({"notificationType": "Bounce"})")));
}

}  // namespace
}  // namespace rkd

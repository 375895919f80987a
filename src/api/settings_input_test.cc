// PUT /api/settings' validation (api/settings_input.h): every field named on bad input.
#include "api/settings_input.h"

#include <gtest/gtest.h>

namespace rkd {
namespace {

using nlohmann::json;

std::string FieldOf(const json& body) {
  auto r = ParseSettingsPatch(body);
  EXPECT_FALSE(r.ok()) << body.dump();
  return r.ok() ? "" : r.status().field();
}

TEST(SettingsInputTest, TakesValidSettingsAndNormalisesThem) {
  auto r = ParseSettingsPatch(json{{"senderName", "Ada's Shop"},
                                   {"senderEmail", "hello@shop.example"},
                                   {"publicUrl", "https://rekindle.shop.example/"},
                                   {"timeZone", "Europe/Berlin"},
                                   {"quietHours", {{"start", "21:00"}, {"end", "08:00"}}},
                                   {"dailyCap", 500},
                                   {"hourlyRate", nullptr},
                                   {"replyTo", ""}});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  std::map<std::string, std::string> got(r->begin(), r->end());
  EXPECT_EQ(got["publicUrl"], "\"https://rekindle.shop.example\"");
  EXPECT_EQ(got["quietHours"], R"({"end":"08:00","start":"21:00"})");
  EXPECT_EQ(got["dailyCap"], "500");
  EXPECT_EQ(got["hourlyRate"], "null");
  EXPECT_EQ(got["replyTo"], "null");  // "" clears
}

TEST(SettingsInputTest, NamesTheFieldOfEveryBadValue) {
  EXPECT_EQ(FieldOf({{"senderEmail", "not-an-address"}}), "senderEmail");
  EXPECT_EQ(FieldOf({{"replyTo", "a@b"}}), "replyTo");
  EXPECT_EQ(FieldOf({{"senderName", "Ada\r\nBcc: x@evil.example"}}), "senderName");
  EXPECT_EQ(FieldOf({{"senderName", 7}}), "senderName");
  EXPECT_EQ(FieldOf({{"shopName", std::string(201, 'a')}}), "shopName");
  EXPECT_EQ(FieldOf({{"publicUrl", "javascript:alert(1)"}}), "publicUrl");
  EXPECT_EQ(FieldOf({{"publicUrl", "/relative"}}), "publicUrl");
  EXPECT_EQ(FieldOf({{"shopUrl", "https://"}}), "shopUrl");
  EXPECT_EQ(FieldOf({{"shopUrl", "https://user@shop.example"}}), "shopUrl");
  EXPECT_EQ(FieldOf({{"shopUrl", "https://shop.example/a b"}}), "shopUrl");
  EXPECT_EQ(FieldOf({{"timeZone", "Mars/Base"}}), "timeZone");
  EXPECT_EQ(FieldOf({{"timeZone", "+02:00"}}), "timeZone");
  EXPECT_EQ(FieldOf({{"quietHours", "21:00-08:00"}}), "quietHours");
  EXPECT_EQ(FieldOf({{"quietHours", {{"start", "25:00"}, {"end", "08:00"}}}}), "quietHours.start");
  EXPECT_EQ(FieldOf({{"quietHours", {{"start", "21:00"}}}}), "quietHours.end");
  EXPECT_EQ(FieldOf({{"quietHours", {{"start", "21:00"}, {"end", "21:00"}}}}), "quietHours.end");
  EXPECT_EQ(FieldOf({{"quietHours", {{"start", "21:00"}, {"end", "08:00"}, {"tz", "x"}}}}), "quietHours.tz");
  EXPECT_EQ(FieldOf({{"dailyCap", 0}}), "dailyCap");
  EXPECT_EQ(FieldOf({{"dailyCap", -5}}), "dailyCap");
  EXPECT_EQ(FieldOf({{"hourlyRate", 1.5}}), "hourlyRate");
  EXPECT_EQ(FieldOf({{"hourlyRate", "10"}}), "hourlyRate");
  EXPECT_EQ(FieldOf({{"missing", json::array()}}), "missing");
  EXPECT_EQ(FieldOf({{"isAdmin", true}}), "isAdmin");
  EXPECT_FALSE(ParseSettingsPatch(json::object()).ok());
}

TEST(SettingsInputTest, AbsoluteHttpUrls) {
  EXPECT_TRUE(IsAbsoluteHttpUrl("http://127.0.0.1:8080"));
  EXPECT_TRUE(IsAbsoluteHttpUrl("https://shop.example/path?q=1"));
  for (const char* bad : {"ftp://x.example", "http:/x", "https://:80", "https://a\"b.example", "data:text/html,x"})
    EXPECT_FALSE(IsAbsoluteHttpUrl(bad)) << bad;
}

TEST(SettingsInputTest, TakesTheBrandAndNamesWhatIsWrongWithIt) {
  auto r = ParseSettingsPatch(
      json{{"logoUrl", "https://cdn.shop.example/logo.png"}, {"currency", "EUR"}, {"signOff", "The Acme team"}});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  std::map<std::string, std::string> got(r->begin(), r->end());
  EXPECT_EQ(got["currency"], "\"EUR\"");
  EXPECT_EQ(got["signOff"], "\"The Acme team\"");
  EXPECT_EQ(FieldOf(json{{"logoUrl", "http://cdn.shop.example/logo.png"}}), "logoUrl");  // not https
  EXPECT_EQ(FieldOf(json{{"logoUrl", "javascript:alert(1)"}}), "logoUrl");
  EXPECT_EQ(FieldOf(json{{"logoUrl", "https://user:pw@cdn.example/logo.png"}}), "logoUrl");
  EXPECT_EQ(FieldOf(json{{"currency", "eur"}}), "currency");
  EXPECT_EQ(FieldOf(json{{"currency", "XBT"}}), "currency");
  EXPECT_EQ(FieldOf(json{{"currency", 978}}), "currency");
  EXPECT_EQ(FieldOf(json{{"signOff", "The team\nP.S. click"}}), "signOff");  // one line
  EXPECT_EQ(FieldOf(json{{"signOff", std::string(101, 'x')}}), "signOff");
  std::string accented;
  for (int i = 0; i < 100; ++i) accented += "é";  // 100 characters, 200 bytes: the dashboard's count
  EXPECT_TRUE(ParseSettingsPatch(json{{"signOff", accented}}).ok());
  EXPECT_EQ(FieldOf(json{{"signOff", accented + "é"}}), "signOff");
  auto cleared = ParseSettingsPatch(json{{"currency", ""}, {"logoUrl", nullptr}});
  ASSERT_TRUE(cleared.ok());
  EXPECT_EQ((*cleared)[0].second, "null");
}

}  // namespace
}  // namespace rkd

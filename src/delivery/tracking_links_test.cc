#include "delivery/tracking_links.h"

#include <gtest/gtest.h>

#include <string>

#include "delivery/signed_token.h"

namespace rkd {
namespace {

const std::string kPublic = "https://rekindle.test";
const std::string kSecret = "tracking-secret-for-tests";

const std::string kEmail =
    "<!doctype html><html><body><p>Hi <b>Ada</b></p>"
    "<a href=\"https://shop.test/new?c=knit&amp;utm=x\" style=\"color:#8a3b12\">New in Knitwear</a> "
    "<a href='https://shop.test/'>Shop</a> "
    "<a href=\"mailto:help@shop.test\">Write to us</a> "
    "<a href=\"https://rekindle.test/u/abc.def\">Unsubscribe</a>"
    "<img src=\"https://shop.test/logo.png\" alt=\"Shop\"></body></html>";

int Count(const std::string& s, const std::string& needle) {
  int n = 0;
  for (size_t pos = 0; (pos = s.find(needle, pos)) != std::string::npos; pos += needle.size()) ++n;
  return n;
}

TEST(TrackingLinks, AddTrackingRoutesWebLinksAndAddsThePixel) {
  const std::string tracked = AddTracking(kEmail, kPublic, kSecret, "e-1");
  EXPECT_EQ(Count(tracked, kPublic + "/t/c/"), 2);
  EXPECT_EQ(Count(tracked, kPublic + "/t/o/"), 1);
  EXPECT_NE(tracked.find("mailto:help@shop.test"), std::string::npos);
  EXPECT_NE(tracked.find(kPublic + "/u/abc.def"), std::string::npos);
}

TEST(TrackingLinks, RemoveTrackingGivesBackTheEmailAsWritten) {
  const std::string tracked = AddTracking(kEmail, kPublic, kSecret, "e-1");
  ASSERT_NE(tracked, kEmail);
  EXPECT_EQ(RemoveTracking(tracked, kPublic, kSecret), kEmail);
}

TEST(TrackingLinks, RemoveTrackingLeavesNoTrackingUrl) {
  const std::string preview = RemoveTracking(AddTracking(kEmail, kPublic, kSecret, "e-1"), kPublic, kSecret);
  EXPECT_EQ(preview.find("/t/c/"), std::string::npos) << preview;
  EXPECT_EQ(preview.find("/t/o/"), std::string::npos) << preview;
  EXPECT_NE(preview.find("href=\"https://shop.test/new?c=knit&amp;utm=x\""), std::string::npos) << preview;
  EXPECT_NE(preview.find("<img src=\"https://shop.test/logo.png\" alt=\"Shop\">"), std::string::npos) << preview;
}

TEST(TrackingLinks, RemoveTrackingRecognisesTokensSentFromAnotherBaseUrl) {
  // The email was sent while Rekindle answered at another address (another port, say).
  const std::string tracked = AddTracking(kEmail, "http://127.0.0.1:41234", kSecret, "e-1");
  const std::string preview = RemoveTracking(tracked, kPublic, kSecret);
  EXPECT_EQ(preview, kEmail);
}

TEST(TrackingLinks, RemoveTrackingNeutralisesWhatItCannotVerify) {
  // Signed under another secret (rotated since), or altered: not restorable, and not left
  // pointing at a tracking route either.
  const std::string other = AddTracking(kEmail, kPublic, "an-older-secret", "e-1");
  const std::string preview = RemoveTracking(other, kPublic, kSecret);
  EXPECT_EQ(preview.find("/t/"), std::string::npos) << preview;
  EXPECT_EQ(Count(preview, "href=\"#\""), 1) << preview;
  EXPECT_EQ(Count(preview, "href='#'"), 1) << preview;
  EXPECT_EQ(Count(preview, "<img"), 1) << preview;  // the shop's logo only

  const std::string click = SignToken(kSecret, "click", "e-1\nhttps://shop.test/");
  const std::string tampered = "<a href=\"" + kPublic + "/t/c/" + click + "x\">x</a>";
  EXPECT_EQ(RemoveTracking(tampered, kPublic, kSecret), "<a href=\"#\">x</a>");
}

TEST(TrackingLinks, RemoveTrackingKeepsForeignUrlsThatOnlyLookLikeTracking) {
  // Not ours (no valid signature, another host): an ordinary link, kept as it is.
  const std::string html = "<a href=\"https://shop.test/t/c/sale\">Sale</a><img src=\"https://cdn.test/t/o/x.gif\">";
  EXPECT_EQ(RemoveTracking(html, kPublic, kSecret), html);
}

TEST(TrackingLinks, RemoveTrackingEscapesTheRestoredUrl) {
  // A token's URL is restored into an attribute: quotes and angle brackets in it cannot
  // end the attribute or the tag.
  const std::string url = "https://shop.test/?q=\"><script>alert(1)</script>'";
  const std::string html = "<a href='" + kPublic + "/t/c/" + SignToken(kSecret, "click", "e-1\n" + url) + "'>x</a>";
  const std::string preview = RemoveTracking(html, kPublic, kSecret);
  EXPECT_EQ(preview.find("<script>"), std::string::npos) << preview;
  EXPECT_EQ(preview.find("\">"), std::string::npos) << preview;
  EXPECT_EQ(Count(preview, "'"), 2) << preview;
  EXPECT_NE(preview.find("https://shop.test/?q=&quot;&gt;&lt;script&gt;"), std::string::npos) << preview;
}

TEST(TrackingLinks, RemoveTrackingRefusesAClickTokenForAnotherPurposeOrScheme) {
  // An open token where a click token belongs, and a click token whose URL is not http(s).
  const std::string open = SignToken(kSecret, "open", "e-1");
  const std::string js = SignToken(kSecret, "click", "e-1\njavascript:alert(1)");
  const std::string html =
      "<a href=\"" + kPublic + "/t/c/" + open + "\">a</a><a href=\"" + kPublic + "/t/c/" + js + "\">b</a>";
  EXPECT_EQ(RemoveTracking(html, kPublic, kSecret), "<a href=\"#\">a</a><a href=\"#\">b</a>");
}

TEST(TrackingLinks, RemoveTrackingHandlesTruncatedHtml) {
  EXPECT_EQ(RemoveTracking("", kPublic, kSecret), "");
  EXPECT_EQ(RemoveTracking("<a href=", kPublic, kSecret), "<a href=");
  EXPECT_EQ(RemoveTracking("<a href=\"https://x", kPublic, kSecret), "<a href=\"https://x");
  EXPECT_EQ(RemoveTracking("<img src=\"" + kPublic + "/t/o/x.gif\"", kPublic, kSecret),
            "<img src=\"" + kPublic + "/t/o/x.gif\"");
}

}  // namespace
}  // namespace rkd

#include "delivery/tracking_links.h"

#include <cctype>
#include <optional>
#include <string_view>

#include "base/text_encoding.h"
#include "delivery/signed_token.h"

namespace rkd {
namespace {

constexpr std::string_view kClickRoute = "/t/c/";
constexpr std::string_view kOpenRoute = "/t/o/";

std::string DecodeAmp(std::string s) {
  for (size_t pos = 0; (pos = s.find("&amp;", pos)) != std::string::npos; ++pos) s.replace(pos, 5, "&");
  return s;
}

bool StartsWith(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

bool IsWebUrl(std::string_view url) { return StartsWith(url, "http://") || StartsWith(url, "https://"); }

// The payload of `url` when it is an http(s) URL ending in `route` + a token signed for
// `purpose` (`suffix`, such as ".gif", removed first).
std::optional<std::string> TrackingPayload(std::string_view url, std::string_view route, std::string_view suffix,
                                           const std::string& secret, const std::string& purpose) {
  if (!IsWebUrl(url)) return std::nullopt;
  const size_t at = url.rfind(route);
  if (at == std::string_view::npos) return std::nullopt;
  std::string_view token = url.substr(at + route.size());
  if (!suffix.empty()) {
    if (token.size() < suffix.size() || token.substr(token.size() - suffix.size()) != suffix) return std::nullopt;
    token.remove_suffix(suffix.size());
  }
  return VerifyToken(secret, purpose, std::string(token));
}

// The quoted value of attribute `name` in the tag `tag` (which starts with '<' and ends
// at its '>'), with &amp; decoded; nullopt when it has none.
std::optional<std::string> QuotedAttribute(std::string_view tag, std::string_view name) {
  for (size_t pos = 0; (pos = tag.find(name, pos)) != std::string_view::npos; pos += name.size()) {
    // A whole attribute name: preceded by whitespace, followed by '=' and a quote.
    if (pos == 0 || !std::isspace(static_cast<unsigned char>(tag[pos - 1]))) continue;
    const size_t eq = pos + name.size();
    if (eq + 1 >= tag.size() || tag[eq] != '=') continue;
    const char quote = tag[eq + 1];
    if (quote != '"' && quote != '\'') continue;
    const size_t end = tag.find(quote, eq + 2);
    if (end == std::string_view::npos) return std::nullopt;
    return DecodeAmp(std::string(tag.substr(eq + 2, end - eq - 2)));
  }
  return std::nullopt;
}

// Whether an <img> tag loads a tracking pixel (ours, or anything under our /t/).
bool IsTrackingImage(std::string_view tag, const std::string& public_url, const std::string& secret) {
  const auto src = QuotedAttribute(tag, "src");
  if (!src) return false;
  if (TrackingPayload(*src, kOpenRoute, ".gif", secret, "open")) return true;
  return !public_url.empty() && StartsWith(*src, public_url + "/t/");
}

// `html` without the <img> tags that load a tracking pixel.
std::string RemoveTrackingImages(const std::string& html, const std::string& public_url, const std::string& secret) {
  std::string out;
  size_t pos = 0;
  for (size_t img; (img = html.find("<img", pos)) != std::string::npos;) {
    const size_t end = html.find('>', img);
    if (end == std::string::npos) break;
    const std::string_view tag = std::string_view(html).substr(img, end + 1 - img);
    out.append(html, pos, img - pos);
    if (!IsTrackingImage(tag, public_url, secret)) out.append(tag);
    pos = end + 1;
  }
  out.append(html, pos);
  return out;
}

// What a preview's link to `url` (with &amp; decoded) should point at, attribute-escaped;
// nullopt to keep the link as it is.
std::optional<std::string> PreviewTarget(const std::string& url, const std::string& public_url,
                                         const std::string& secret) {
  if (auto payload = TrackingPayload(url, kClickRoute, "", secret, "click")) {
    const size_t nl = payload->find('\n');
    const std::string original = nl == std::string::npos ? "" : payload->substr(nl + 1);
    if (IsWebUrl(original)) return HtmlEscape(original);
    return "#";
  }
  if (!public_url.empty() && StartsWith(url, public_url + "/t/")) return "#";
  return std::nullopt;
}

}  // namespace

std::string AddTracking(const std::string& html, const std::string& public_url, const std::string& secret,
                        const std::string& email_id) {
  std::string out;
  size_t pos = 0;
  for (;;) {
    const size_t href = html.find("href=", pos);
    if (href == std::string::npos || href + 6 >= html.size()) break;
    const char quote = html[href + 5];
    const size_t start = href + 6;
    const size_t end = (quote == '"' || quote == '\'') ? html.find(quote, start) : std::string::npos;
    if (end == std::string::npos) {
      out += html.substr(pos, start - pos);
      pos = start;
      continue;
    }
    const std::string url = DecodeAmp(html.substr(start, end - start));
    out += html.substr(pos, start - pos);
    const bool web = url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0;
    if (web && url.rfind(public_url, 0) != 0) {
      out += public_url + "/t/c/" + SignToken(secret, "click", email_id + "\n" + url);
    } else {
      out += html.substr(start, end - start);
    }
    pos = end;
  }
  out += html.substr(pos);
  const std::string pixel = "<img src=\"" + public_url + "/t/o/" + SignToken(secret, "open", email_id) +
                            ".gif\" width=\"1\" height=\"1\" alt=\"\" style=\"display:block;border:0\">";
  const size_t body_end = out.rfind("</body>");
  if (body_end == std::string::npos) return out + pixel;
  return out.insert(body_end, pixel);
}

std::string RemoveTracking(const std::string& html, const std::string& public_url, const std::string& secret) {
  const std::string in = RemoveTrackingImages(html, public_url, secret);
  std::string out;
  size_t pos = 0;
  for (size_t href; (href = in.find("href=", pos)) != std::string::npos;) {
    const size_t start = href + 6;
    if (start >= in.size()) break;
    const char quote = in[href + 5];
    const size_t end = (quote == '"' || quote == '\'') ? in.find(quote, start) : std::string::npos;
    out.append(in, pos, start - pos);
    pos = start;
    if (end == std::string::npos) continue;
    // A restored URL is attribute-escaped, so it cannot close a single-quoted value either.
    if (auto target = PreviewTarget(DecodeAmp(in.substr(start, end - start)), public_url, secret)) {
      out += *target;
    } else {
      out.append(in, start, end - start);
    }
    pos = end;
  }
  out.append(in, pos);
  return out;
}

}  // namespace rkd

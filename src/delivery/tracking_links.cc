#include "delivery/tracking_links.h"

#include "delivery/signed_token.h"

namespace rkd {
namespace {

std::string DecodeAmp(std::string s) {
  for (size_t pos = 0; (pos = s.find("&amp;", pos)) != std::string::npos; ++pos) s.replace(pos, 5, "&");
  return s;
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

}  // namespace rkd

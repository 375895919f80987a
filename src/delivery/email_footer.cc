#include "delivery/email_footer.h"

#include "base/text_encoding.h"

namespace rkd {

void AppendFooter(const std::string& postal_address, const std::string& unsubscribe_url, std::string* text,
                  std::string* html) {
  std::string t = "\n\n--\n";
  if (!postal_address.empty()) t += postal_address + "\n";
  t += "You receive this because you are a client of our shop. Unsubscribe: " + unsubscribe_url + "\n";
  *text += t;
  // Outside the card: its own margin on a phone; #666 reads at WCAG AA contrast on the
  // templates' light background.
  std::string h = "<p style=\"font-size:12px;color:#666;margin:24px 12px;\">";
  if (!postal_address.empty()) h += HtmlEscape(postal_address) + "<br>";
  h += "You receive this because you are a client of our shop. <a href=\"" + HtmlEscape(unsubscribe_url) +
       "\" style=\"color:#666;\">Unsubscribe</a></p>";
  const size_t body_end = html->rfind("</body>");
  if (body_end == std::string::npos) {
    *html += h;
  } else {
    html->insert(body_end, h + "\n");
  }
}

}  // namespace rkd

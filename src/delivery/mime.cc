#include "delivery/mime.h"

#include <cstdio>

#include "base/text_encoding.h"

namespace rkd {
namespace {

// Printable ASCII: anything else (controls, DEL, 8-bit bytes) goes in an encoded word.
bool IsPlainAscii(const std::string& s) {
  for (unsigned char c : s)
    if (c > 0x7e || c < 0x20) return false;
  return true;
}

// A display name and address: "Name <a@b>", the name quoted or encoded as needed.
std::string Mailbox(const std::string& name, const std::string& address) {
  if (name.empty()) return address;
  std::string display;
  if (IsPlainAscii(name)) {
    display = "\"";
    for (char c : name) {
      if (c == '"' || c == '\\') display += '\\';
      display += c;
    }
    display += "\"";
  } else {
    display = EncodeHeaderWord(name);
  }
  return display + " <" + address + ">";
}

// Strips CR and LF so that no value can inject a header.
std::string OneLine(const std::string& s) {
  std::string out;
  for (char c : s) out += (c == '\r' || c == '\n') ? ' ' : c;
  return out;
}

}  // namespace

std::string QuotedPrintable(const std::string& in) {
  std::string out, line;
  auto emit = [&](const std::string& piece) {
    if (line.size() + piece.size() > 75) {  // soft break: "=" then CRLF keeps lines ≤ 76
      out += line + "=\r\n";
      line.clear();
    }
    line += piece;
  };
  for (size_t i = 0; i < in.size(); ++i) {
    const unsigned char c = in[i];
    if (c == '\n') {
      // Trailing whitespace before a line break must be encoded.
      if (!line.empty() && (line.back() == ' ' || line.back() == '\t')) {
        char buf[4];
        std::snprintf(buf, sizeof buf, "=%02X", static_cast<unsigned char>(line.back()));
        line.pop_back();
        line += buf;
      }
      out += line + "\r\n";
      line.clear();
    } else if (c == '\r') {
      continue;
    } else if ((c >= 33 && c <= 126 && c != '=') || c == ' ' || c == '\t') {
      emit(std::string(1, static_cast<char>(c)));
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "=%02X", c);
      emit(buf);
    }
  }
  if (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line += "=";  // keep trailing space
  out += line;
  return out;
}

std::string EncodeHeaderWord(const std::string& s) {
  if (IsPlainAscii(s)) return s;
  // Encoded words stay under 76 characters: split the UTF-8 text on character
  // boundaries into chunks of at most 45 bytes (60 base64 characters).
  std::string out;
  size_t i = 0;
  while (i < s.size()) {
    size_t end = std::min(s.size(), i + 45);
    while (end < s.size() && end > i && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
    // No character boundary in reach (not UTF-8: a lead byte then continuation bytes):
    // cut at 45 bytes rather than emit an empty word and never advance.
    if (end == i) end = std::min(s.size(), i + 45);
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + Base64Encode(s.substr(i, end - i)) + "?=";
    i = end;
  }
  return out;
}

std::string Rfc5322Date(Millis t) {
  static const char* const kDays[] = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};
  static const char* const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const std::string iso = FormatRfc3339(t);
  const int64_t days = t >= 0 ? t / kMillisPerDay : (t - kMillisPerDay + 1) / kMillisPerDay;
  const char* weekday = kDays[((days % 7) + 7) % 7];
  return std::string(weekday) + ", " + std::to_string(std::stoi(iso.substr(8, 2))) + " " +
         kMonths[std::stoi(iso.substr(5, 2)) - 1] + " " + iso.substr(0, 4) + " " + iso.substr(11, 8) + " +0000";
}

std::string RenderMime(const MailMessage& m) {
  const std::string boundary = "=_rekindle_" + Base64Encode(m.message_id).substr(0, 24);
  std::string out;
  auto header = [&out](const std::string& name, const std::string& value) {
    out += name + ": " + OneLine(value) + "\r\n";
  };
  header("Message-ID", "<" + m.message_id + ">");
  header("Date", Rfc5322Date(m.date));
  header("From", m.from);
  if (!m.reply_to.empty()) header("Reply-To", m.reply_to);
  header("To", Mailbox(OneLine(m.to_name), m.to_address));
  out += "Subject: " + EncodeHeaderWord(OneLine(m.subject)) + "\r\n";
  if (!m.list_unsubscribe.empty()) header("List-Unsubscribe", m.list_unsubscribe);
  if (m.one_click_unsubscribe) header("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
  header("MIME-Version", "1.0");
  header("Content-Type", "multipart/alternative; boundary=\"" + boundary + "\"");
  out += "\r\n";
  out += "This is a multi-part message in MIME format.\r\n";
  for (const auto& [type, body] : {std::pair{"text/plain", &m.text}, std::pair{"text/html", &m.html}}) {
    out += "--" + boundary + "\r\n";
    out += std::string("Content-Type: ") + type + "; charset=UTF-8\r\n";
    out += "Content-Transfer-Encoding: quoted-printable\r\n\r\n";
    out += QuotedPrintable(*body) + "\r\n";
  }
  out += "--" + boundary + "--\r\n";
  return out;
}

}  // namespace rkd

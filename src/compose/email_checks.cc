#include "compose/email_checks.h"

#include <cctype>

#include "compose/html_sanitizer.h"

namespace rkd {
namespace {

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

bool IsPlaceholderWordChar(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == ' ' || c == '_' || c == '-' || c == '\'';
}

// "[First Name]" with only letters and spaces inside, not a Markdown link "[Shop](…)".
bool BracketPlaceholder(const std::string& s, size_t open, char close_char, size_t* end) {
  size_t close = s.find(close_char, open + 1);
  if (close == std::string::npos || close == open + 1 || close - open > 40) return false;
  bool any_upper = false;
  for (size_t i = open + 1; i < close; ++i) {
    if (!IsPlaceholderWordChar(s[i])) return false;
    if (std::isupper(static_cast<unsigned char>(s[i]))) any_upper = true;
  }
  if (!any_upper || !std::isalpha(static_cast<unsigned char>(s[open + 1]))) return false;
  if (close_char == ']' && close + 1 < s.size() && s[close + 1] == '(') return false;
  *end = close;
  return true;
}

}  // namespace

size_t Utf8Length(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

std::string FindPlaceholder(const std::string& s) {
  for (std::string_view mark : {"{{", "}}", "{%", "%}"}) {
    size_t at = s.find(mark);
    if (at != std::string::npos) return s.substr(at, std::min<size_t>(20, s.size() - at));
  }
  for (size_t i = 0; i < s.size(); ++i) {
    size_t end = 0;
    if (s[i] == '[' && BracketPlaceholder(s, i, ']', &end)) return s.substr(i, end - i + 1);
    if (s[i] == '{') {
      size_t close = s.find('}', i);
      if (close != std::string::npos && close > i + 1 && close - i <= 30) {
        bool word = true;
        for (size_t k = i + 1; k < close; ++k)
          if (!std::isalnum(static_cast<unsigned char>(s[k])) && s[k] != '_') word = false;
        if (word) return s.substr(i, close - i + 1);
      }
    }
  }
  return "";
}

int NormalizeEmail(ComposedEmail* e) {
  for (char& c : e->subject)
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  e->subject = Trim(e->subject);
  e->text = Trim(e->text);
  SanitizedHtml clean = SanitizeHtml(e->html);
  e->html = Trim(clean.html);
  return clean.removed;
}

Status CheckEmail(const ComposedEmail& e, const std::string& user_name, const std::string& cta_prefix) {
  if (e.subject.empty()) return Status::InvalidArgument("the subject is empty", "subject");
  if (Utf8Length(e.subject) > kMaxSubjectChars)
    return Status::InvalidArgument("the subject is longer than 120 characters", "subject");
  if (e.subject.find_first_of("\r\n") != std::string::npos)
    return Status::InvalidArgument("the subject is more than one line", "subject");
  if (e.text.empty()) return Status::InvalidArgument("the text body is empty", "text");
  if (e.text.size() > kMaxBodyBytes || e.html.size() > kMaxBodyBytes)
    return Status::InvalidArgument("a body is larger than 64 KiB", e.text.size() > kMaxBodyBytes ? "text" : "html");
  if (!cta_prefix.empty()) {
    if (e.text.find(cta_prefix) == std::string::npos)
      return Status::InvalidArgument("the text lacks the call-to-action link", "text");
    if (!e.html.empty() && e.html.find("href=\"" + cta_prefix) == std::string::npos)
      return Status::InvalidArgument("the HTML lacks the call-to-action link", "html");
  }
  for (const auto& [field, value] :
       {std::pair{"subject", &e.subject}, std::pair{"text", &e.text}, std::pair{"html", &e.html}}) {
    std::string p = FindPlaceholder(*value);
    if (!p.empty()) return Status::InvalidArgument("an unfilled placeholder " + p, field);
  }
  // The name as stored: its first word appears as it is written (not "Dear Customer").
  const std::string trimmed = Trim(user_name);
  const std::string first = trimmed.substr(0, trimmed.find(' '));
  if (!first.empty() && e.text.find(first) == std::string::npos)
    return Status::InvalidArgument("the text does not greet the client by name as stored", "text");
  if (!e.html.empty()) {
    SanitizedHtml again = SanitizeHtml(e.html);
    if (again.removed > 0) return Status::InvalidArgument("the HTML is not sanitized", "html");
  }
  return Status::Ok();
}

}  // namespace rkd

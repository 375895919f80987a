#include "api/email_fragment.h"

#include <cctype>
#include <string_view>

namespace rkd {
namespace {

void AppendEscaped(std::string_view s, std::string* out) {
  for (char c : s) {
    switch (c) {
      case '&':
        *out += "&amp;";
        break;
      case '<':
        *out += "&lt;";
        break;
      case '>':
        *out += "&gt;";
        break;
      case '"':
        *out += "&quot;";
        break;
      case '\'':
        *out += "&#39;";
        break;
      default:
        out->push_back(c);
    }
  }
}

bool StartsWith(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

bool IsOwn(std::string_view url, const std::vector<std::string>& own_urls) {
  for (std::string base : own_urls) {
    while (!base.empty() && base.back() == '/') base.pop_back();
    if (!base.empty() && StartsWith(url, base) && (url.size() == base.size() || url[base.size()] == '/')) return true;
  }
  return false;
}

// One line: escaped, its http(s) URLs linked. A URL ends at white space or a character
// that cannot be in one unescaped; trailing punctuation belongs to the sentence.
void AppendLine(std::string_view line, const std::vector<std::string>& own_urls, std::string* out) {
  size_t i = 0;
  while (i < line.size()) {
    size_t start = std::string_view::npos;
    for (size_t k = i; k < line.size(); ++k)
      if ((line[k] == 'h') && (StartsWith(line.substr(k), "https://") || StartsWith(line.substr(k), "http://")) &&
          (k == 0 || !std::isalnum(static_cast<unsigned char>(line[k - 1])))) {
        start = k;
        break;
      }
    if (start == std::string_view::npos) {
      AppendEscaped(line.substr(i), out);
      return;
    }
    AppendEscaped(line.substr(i, start - i), out);
    size_t end = start;
    while (end < line.size() && !std::isspace(static_cast<unsigned char>(line[end])) && line[end] != '<' &&
           line[end] != '>' && line[end] != '"' && line[end] != '\'')
      ++end;
    while (end > start && std::string_view(".,;:!?)]").find(line[end - 1]) != std::string_view::npos) --end;
    const std::string_view url = line.substr(start, end - start);
    if (IsOwn(url, own_urls)) {
      AppendEscaped(url, out);
    } else {
      *out += "<a href=\"";
      AppendEscaped(url, out);
      *out += "\" rel=\"noopener noreferrer\" target=\"_blank\">";
      AppendEscaped(url, out);
      *out += "</a>";
    }
    i = end;
  }
}

std::string_view Trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::string EmailBodyFragment(const std::string& text, const std::vector<std::string>& own_urls) {
  std::vector<std::string_view> lines;
  for (size_t pos = 0; pos <= text.size();) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    lines.push_back(Trimmed(std::string_view(text).substr(pos, nl - pos)));
    pos = nl + 1;
  }
  std::string out;
  enum { kNone, kParagraph, kList } open = kNone;
  auto close = [&] {
    if (open == kParagraph) out += "</p>\n";
    if (open == kList) out += "</ul>\n";
    open = kNone;
  };
  for (std::string_view line : lines) {
    if (line.empty()) {
      close();
      continue;
    }
    if (StartsWith(line, "- ") || StartsWith(line, "* ")) {
      if (open != kList) {
        close();
        out += "<ul>\n";
        open = kList;
      }
      out += "<li>";
      AppendLine(Trimmed(line.substr(2)), own_urls, &out);
      out += "</li>\n";
      continue;
    }
    if (open == kParagraph) {
      out += "<br>\n";
    } else {
      close();
      out += "<p>";
      open = kParagraph;
    }
    AppendLine(line, own_urls, &out);
  }
  close();
  return out;
}

}  // namespace rkd

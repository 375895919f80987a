// Fuzzes SanitizeHtml (compose/html_sanitizer.h), the last gate before a model's HTML
// reaches a mail client. Properties of its output, read back with an independent parser
// (this file's, not the sanitizer's):
//   - sanitizing it again changes nothing and removes nothing (idempotent);
//   - no tag outside a small set of harmless names, so never <script, <style, <iframe;
//     no comment, doctype or processing instruction;
//   - no on… handler attribute;
//   - no control character other than \t \n \r, anywhere;
//   - every href/src, decoded as a browser would, is http(s) or mailto with no control
//     character or whitespace in it (a CR LF would inject a header in the click redirect);
//   - no style attribute that loads anything (url(, image-set(, @import, expression,
//     javascript:) even after CSS escapes are undone.
// TextToHtml's output, sanitized, is held to the same rules.
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "compose/html_sanitizer.h"
#include "fuzz_check.h"

namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    *out += static_cast<char>(cp);
  } else {
    *out += '?';  // what matters here is ASCII: schemes, parentheses, controls
  }
}

// HTML character references, decoded once as a browser decodes an attribute value
// (numeric ones, and the named ones that can spell a scheme or a control character).
std::string DecodeHtml(std::string_view s) {
  static const std::pair<std::string_view, char> kNamed[] = {
      {"amp", '&'},      {"lt", '<'},   {"gt", '>'},   {"quot", '"'}, {"apos", '\''}, {"colon", ':'}, {"tab", '\t'},
      {"newline", '\n'}, {"lpar", '('}, {"rpar", ')'}, {"sol", '/'},  {"bsol", '\\'}, {"commat", '@'}};
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '&') {
      out += s[i];
      continue;
    }
    size_t j = i + 1;
    if (j < s.size() && s[j] == '#') {
      ++j;
      const bool hex = j < s.size() && (s[j] == 'x' || s[j] == 'X');
      if (hex) ++j;
      uint32_t cp = 0;
      size_t digits = 0;
      while (j < s.size() &&
             (hex ? std::isxdigit(static_cast<unsigned char>(s[j])) : std::isdigit(static_cast<unsigned char>(s[j])))) {
        cp = cp > 0x10FFFF
                 ? cp
                 : cp * (hex ? 16 : 10) +
                       static_cast<uint32_t>(std::isdigit(s[j]) ? s[j] - '0' : (std::tolower(s[j]) - 'a' + 10));
        ++j;
        ++digits;
      }
      if (digits == 0) {
        out += '&';
        continue;
      }
      if (j < s.size() && s[j] == ';') ++j;
      AppendUtf8(cp == 0 ? 0xFFFD : cp, &out);
      i = j - 1;
      continue;
    }
    bool matched = false;
    for (auto [name, c] : kNamed) {
      if (Lower(s.substr(j, name.size())) == name) {  // browsers take some names without ';'
        out += c;
        j += name.size();
        if (j < s.size() && s[j] == ';') ++j;
        i = j - 1;
        matched = true;
        break;
      }
    }
    if (!matched) out += '&';
  }
  return out;
}

// CSS with its escapes ("\75 rl(", "\(") undone, in lower case. Whitespace and comments
// stay: "url (" and "u/**/rl(" call no function, while "\75 rl(" calls url().
std::string NormalizeCss(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) {
      size_t j = i + 1;
      uint32_t cp = 0;
      size_t digits = 0;
      while (j < s.size() && digits < 6 && std::isxdigit(static_cast<unsigned char>(s[j]))) {
        cp = cp * 16 + static_cast<uint32_t>(std::isdigit(s[j]) ? s[j] - '0' : (std::tolower(s[j]) - 'a' + 10));
        ++j;
        ++digits;
      }
      if (digits > 0) {
        if (j < s.size() && std::isspace(static_cast<unsigned char>(s[j]))) ++j;
        AppendUtf8(cp, &out);
        i = j - 1;
      } else {
        out += static_cast<char>(std::tolower(static_cast<unsigned char>(s[j])));
        i = j;
      }
      continue;
    }
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(s[i])));
  }
  return out;
}

struct Tag {
  std::string name;                                             // lower case, without '/'
  std::vector<std::pair<std::string, std::string>> attributes;  // lower-case name, raw value
};

// Reads the tags of sanitized output. The sanitizer writes attributes as name="value"
// with '"' escaped, so that is the grammar here; anything else fails a check.
std::vector<Tag> ReadTags(std::string_view html) {
  std::vector<Tag> tags;
  size_t i = 0;
  while ((i = html.find('<', i)) != std::string_view::npos) {
    size_t j = i + 1;
    if (j < html.size() && html[j] == '/') ++j;
    Tag tag;
    while (j < html.size() && std::isalnum(static_cast<unsigned char>(html[j])))
      tag.name += static_cast<char>(std::tolower(html[j++]));
    FUZZ_CHECK(!tag.name.empty(), "every '<' in the output starts a tag with a name");
    while (true) {
      while (j < html.size() && (html[j] == ' ' || html[j] == '/')) ++j;
      FUZZ_CHECK(j < html.size(), "every tag is closed");
      if (html[j] == '>') break;
      const size_t name_start = j;
      while (j < html.size() && html[j] != '=' && html[j] != ' ' && html[j] != '>' && html[j] != '/') ++j;
      std::string name = Lower(html.substr(name_start, j - name_start));
      FUZZ_CHECK(!name.empty(), "attribute names are not empty");
      std::string value;
      if (j < html.size() && html[j] == '=') {
        ++j;
        FUZZ_CHECK(j < html.size() && html[j] == '"', "attribute values are double-quoted");
        const size_t end = html.find('"', j + 1);
        FUZZ_CHECK(end != std::string_view::npos, "attribute values are closed");
        value = std::string(html.substr(j + 1, end - j - 1));
        j = end + 1;
      }
      tag.attributes.emplace_back(std::move(name), std::move(value));
    }
    tags.push_back(std::move(tag));
    i = j + 1;
  }
  return tags;
}

bool HasControlOrSpace(std::string_view s) {
  for (unsigned char c : s)
    if (c <= 0x20 || c == 0x7f) return true;
  return false;
}

void CheckSafe(const std::string& html) {
  for (unsigned char c : html)
    FUZZ_CHECK(c >= 0x20 ? c != 0x7f : (c == '\t' || c == '\n' || c == '\r'), "no control character");
  FUZZ_CHECK(html.find("<!") == std::string::npos && html.find("<?") == std::string::npos,
             "no comment, doctype or processing instruction");
  FUZZ_CHECK(Lower(html).find("<script") == std::string::npos, "no <script");
  static const std::string_view kHarmless[] = {
      "a",     "b",       "blockquote", "br",     "center", "div",    "em",         "font",    "h1",    "h2",
      "h3",    "h4",      "h5",         "h6",     "hr",     "i",      "img",        "li",      "ol",    "p",
      "pre",   "s",       "small",      "span",   "strong", "sub",    "sup",        "table",   "tbody", "td",
      "tfoot", "th",      "thead",      "tr",     "u",      "ul",     "code",       "caption", "col",   "colgroup",
      "tt",    "big",     "dl",         "dt",     "dd",     "abbr",   "cite",       "q",       "mark",  "del",
      "ins",   "section", "article",    "header", "footer", "figure", "figcaption", "main",    "nav",   "address"};
  for (const Tag& tag : ReadTags(html)) {
    bool harmless = false;
    for (auto h : kHarmless) harmless = harmless || tag.name == h;
    FUZZ_CHECK(harmless, "only harmless tags");
    for (const auto& [name, raw] : tag.attributes) {
      FUZZ_CHECK(name.rfind("on", 0) != 0, "no on… handler attribute");
      const std::string value = DecodeHtml(raw);
      if (name == "href" || name == "src" || name == "background" || name == "action" || name == "formaction" ||
          name == "xlink:href" || name == "srcset" || name == "poster") {
        FUZZ_CHECK(!HasControlOrSpace(value), "no control character or whitespace in a URL");
        const std::string v = Lower(value);
        FUZZ_CHECK(v.rfind("https://", 0) == 0 || v.rfind("http://", 0) == 0 || v.rfind("mailto:", 0) == 0,
                   "URLs are http(s) or mailto");
      }
      if (name == "style") {
        const std::string css = NormalizeCss(value);
        for (std::string_view bad :
             {"url(", "image-set(", "@import", "expression(", "javascript:", "image(", "cross-fade(", "element("})
          FUZZ_CHECK(css.find(bad) == std::string::npos, "no remote load or script in style");
      }
    }
  }
}

void CheckIdempotent(const std::string& html) {
  const rkd::SanitizedHtml again = rkd::SanitizeHtml(html);
  FUZZ_CHECK(again.removed == 0, "sanitized output sanitizes with nothing removed");
  FUZZ_CHECK(again.html == html, "sanitized output sanitizes to itself");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  FUZZ_NO_THROW({
    const rkd::SanitizedHtml first = rkd::SanitizeHtml(input);
    FUZZ_CHECK(first.removed >= 0, "removed counts up");
    CheckSafe(first.html);
    CheckIdempotent(first.html);

    const std::string text_html = rkd::TextToHtml(input);
    const rkd::SanitizedHtml sanitized_text = rkd::SanitizeHtml(text_html);
    CheckSafe(sanitized_text.html);
    CheckIdempotent(sanitized_text.html);
  });
  return 0;
}

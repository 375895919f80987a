#include "compose/html_sanitizer.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <utility>
#include <vector>

#include "base/text_encoding.h"

namespace rkd {
namespace {

// Tags kept (with the attributes below).
constexpr std::array<std::string_view, 36> kAllowedTags = {
    "a",      "b",   "blockquote", "br",    "center", "div", "em",    "font", "h1",    "h2", "h3",    "h4",
    "h5",     "h6",  "hr",         "i",     "img",    "li",  "ol",    "p",    "pre",   "s",  "small", "span",
    "strong", "sub", "sup",        "table", "tbody",  "td",  "tfoot", "th",   "thead", "tr", "u",     "ul"};
// Tags dropped together with everything inside them.
constexpr std::array<std::string_view, 19> kDroppedWithContent = {
    "script", "style", "iframe", "object", "embed",  "applet",   "frame",  "frameset", "noscript", "template",
    "svg",    "math",  "head",   "title",  "select", "textarea", "button", "noembed",  "xml"};
constexpr std::array<std::string_view, 19> kAllowedAttributes = {
    "href",        "src",     "alt",   "title",   "width",   "height", "align",  "valign", "border", "cellpadding",
    "cellspacing", "bgcolor", "color", "colspan", "rowspan", "style",  "target", "rel",    "class"};

template <size_t N>
bool In(const std::array<std::string_view, N>& set, std::string_view s) {
  return std::find(set.begin(), set.end(), s) != set.end();
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Decodes the entities that can hide a scheme: &#106; &#x6A; and the named few.
std::string DecodeEntities(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '&') {
      out += s[i];
      continue;
    }
    size_t semi = s.find(';', i);
    size_t end = semi == std::string_view::npos ? s.size() : semi;
    std::string_view ent = s.substr(i + 1, end - i - 1);
    if (!ent.empty() && ent[0] == '#') {
      long code = 0;
      bool hex = ent.size() > 1 && (ent[1] == 'x' || ent[1] == 'X');
      size_t j = hex ? 2 : 1;
      size_t digits_end = j;
      while (digits_end < ent.size() && std::isxdigit(static_cast<unsigned char>(ent[digits_end]))) ++digits_end;
      if (digits_end > j) {
        code = std::strtol(std::string(ent.substr(j, digits_end - j)).c_str(), nullptr, hex ? 16 : 10);
        out += code > 0 && code < 128 ? static_cast<char>(code) : '?';
        i = (semi == std::string_view::npos || semi > i + 1 + digits_end) ? i + digits_end : semi;
        continue;
      }
    }
    static const std::pair<std::string_view, char> kNamed[] = {
        {"amp", '&'}, {"lt", '<'}, {"gt", '>'}, {"quot", '"'}, {"colon", ':'}, {"tab", '\t'}, {"newline", '\n'}};
    bool matched = false;
    for (auto [name, c] : kNamed) {
      if (Lower(ent) == name && semi != std::string_view::npos) {
        out += c;
        i = semi;
        matched = true;
        break;
      }
    }
    if (!matched) out += '&';
  }
  return out;
}

struct Attribute {
  std::string name;
  std::string value;
};

// Parses a tag's attribute list (the text after the name, before '>').
std::vector<Attribute> ParseAttributes(std::string_view s) {
  std::vector<Attribute> out;
  size_t i = 0;
  auto skip_space = [&] {
    while (i < s.size() && (std::isspace(static_cast<unsigned char>(s[i])) || s[i] == '/')) ++i;
  };
  while (true) {
    skip_space();
    if (i >= s.size()) break;
    size_t start = i;
    while (i < s.size() && !std::isspace(static_cast<unsigned char>(s[i])) && s[i] != '=' && s[i] != '/') ++i;
    Attribute a{Lower(s.substr(start, i - start)), ""};
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    if (i < s.size() && s[i] == '=') {
      ++i;
      while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
      if (i < s.size() && (s[i] == '"' || s[i] == '\'')) {
        char q = s[i++];
        size_t end = s.find(q, i);
        if (end == std::string_view::npos) end = s.size();
        a.value = std::string(s.substr(i, end - i));
        i = end + 1;
      } else {
        size_t vs = i;
        while (i < s.size() && !std::isspace(static_cast<unsigned char>(s[i]))) ++i;
        a.value = std::string(s.substr(vs, i - vs));
      }
    }
    if (!a.name.empty()) out.push_back(std::move(a));
  }
  return out;
}

// The end of a tag that starts at `lt` ('<'), honoring quoted attribute values.
size_t TagEnd(std::string_view html, size_t lt) {
  char quote = 0;
  for (size_t i = lt + 1; i < html.size(); ++i) {
    char c = html[i];
    if (quote) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '>') {
      return i;
    }
  }
  return std::string_view::npos;
}

// True for a byte that has no place inside a URL: ASCII controls (CR and LF would end a
// header line where the URL becomes a Location), space and DEL.
bool IsControlOrSpace(char c) { return static_cast<unsigned char>(c) <= 0x20 || c == 0x7f; }

std::string Trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

// Splits a style attribute at the ';' outside quotes, keeping each piece as written.
std::vector<std::string_view> SplitDeclarations(std::string_view style) {
  std::vector<std::string_view> out;
  char quote = 0;
  size_t start = 0;
  for (size_t i = 0; i < style.size(); ++i) {
    if (quote) {
      if (style[i] == quote) quote = 0;
    } else if (style[i] == '"' || style[i] == '\'') {
      quote = style[i];
    } else if (style[i] == ';') {
      out.push_back(style.substr(start, i - start));
      start = i + 1;
    }
  }
  out.push_back(style.substr(start));
  return out;
}

// A declaration that could cover the mail client's own interface: a position that takes
// the element out of the message's flow (fixed, sticky, absolute: a full-screen overlay
// with a fake login form), a stacking order, and custom properties or var() that could
// smuggle either past this check. Emails need none of them.
bool IsOverlayDeclaration(std::string_view declaration) {
  const std::string d = Lower(declaration);
  const size_t colon = d.find(':');
  const std::string property = Trim(std::string_view(d).substr(0, colon == std::string::npos ? d.size() : colon));
  std::string value = colon == std::string::npos ? "" : Trim(std::string_view(d).substr(colon + 1));
  if (const size_t bang = value.find('!'); bang != std::string::npos) value = Trim(value.substr(0, bang));
  if (property == "position") return value != "static" && value != "relative";
  return property == "z-index" || property.rfind("--", 0) == 0 || d.find("var(") != std::string::npos;
}

// The style attribute without overlay declarations (each counted in `removed`), or
// nullopt when it must go whole: a remote load (url(), image-set() and its -webkit-
// twin, image(), cross-fade(), @import), script (expression, javascript:, behavior) or
// an escape that could spell any of these.
std::optional<std::string> CleanStyle(const std::string& decoded, int* removed) {
  const std::string v = Lower(decoded);
  for (std::string_view bad : {"expression", "javascript:", "url(", "image-set(", "image(", "cross-fade(", "element(",
                               "@import", "behavior", "\\"})
    if (v.find(bad) != std::string::npos) return std::nullopt;
  std::string out;
  bool first = true;
  for (std::string_view declaration : SplitDeclarations(decoded)) {
    if (IsOverlayDeclaration(declaration)) {
      ++*removed;
      continue;
    }
    if (!first) out += ';';
    out += declaration;
    first = false;
  }
  return out;
}

}  // namespace

std::string TextToHtml(std::string_view text) {
  std::string out = "<p>";
  size_t i = 0;
  while (i < text.size()) {
    if (text.compare(i, 8, "https://") == 0 || text.compare(i, 7, "http://") == 0) {
      size_t end = i;
      while (end < text.size() && !std::isspace(static_cast<unsigned char>(text[end])) && text[end] != '<' &&
             text[end] != '>' && text[end] != '"')
        ++end;
      while (end > i && std::string_view(".,;:!?)").find(text[end - 1]) != std::string_view::npos) --end;
      const std::string url = HtmlEscape(text.substr(i, end - i));
      out += "<a href=\"" + url + "\">" + url + "</a>";
      i = end;
      continue;
    }
    if (text[i] == '\n') {
      size_t j = i;
      int newlines = 0;
      while (j < text.size() && (text[j] == '\n' || text[j] == '\r' || text[j] == ' ')) newlines += text[j++] == '\n';
      out += newlines > 1 ? "</p>\n<p>" : "<br>\n";
      i = j;
      continue;
    }
    out += HtmlEscape(text.substr(i, 1));
    ++i;
  }
  return out + "</p>";
}

bool IsSafeUrl(std::string_view url) {
  const std::string u = Lower(DecodeEntities(url));
  // A control character or whitespace anywhere refuses the URL rather than being skipped:
  // skipped, "jav&#x09;ascript:" would pass as a scheme, and kept, "&#13;&#10;" would
  // end the Location header of the click redirect and inject the next one.
  if (std::any_of(u.begin(), u.end(), IsControlOrSpace)) return false;
  return u.rfind("https://", 0) == 0 || u.rfind("http://", 0) == 0 || u.rfind("mailto:", 0) == 0;
}

SanitizedHtml SanitizeHtml(std::string_view html) {
  SanitizedHtml out;
  std::string& o = out.html;
  size_t i = 0;
  // Text is kept as it is, except for what would start markup: a lone '<' becomes &lt;,
  // and a '&' that starts no entity becomes &amp;; control characters (but tab and line
  // breaks) are dropped, as a mail client would show them as garbage or worse.
  auto emit_text = [&](std::string_view text) {
    for (size_t k = 0; k < text.size(); ++k) {
      char c = text[k];
      const auto u = static_cast<unsigned char>(c);
      if ((u < 0x20 && c != '\t' && c != '\n' && c != '\r') || u == 0x7f) {
        ++out.removed;
      } else if (c == '<')
        o += "&lt;";
      else if (c == '>')
        o += "&gt;";
      else if (c == '&') {
        size_t semi = text.find(';', k);
        bool entity = semi != std::string_view::npos && semi - k <= 10 && semi > k + 1;
        for (size_t j = k + 1; entity && j < semi; ++j)
          if (!std::isalnum(static_cast<unsigned char>(text[j])) && text[j] != '#') entity = false;
        o += entity ? "&" : "&amp;";
      } else {
        o += c;
      }
    }
  };
  while (i < html.size()) {
    size_t lt = html.find('<', i);
    if (lt == std::string_view::npos) {
      emit_text(html.substr(i));
      break;
    }
    emit_text(html.substr(i, lt - i));
    if (html.compare(lt, 4, "<!--") == 0) {
      size_t end = html.find("-->", lt + 4);
      i = end == std::string_view::npos ? html.size() : end + 3;
      ++out.removed;
      continue;
    }
    const bool closing = lt + 1 < html.size() && html[lt + 1] == '/';
    size_t name_start = lt + (closing ? 2 : 1);
    size_t name_end = name_start;
    while (name_end < html.size() &&
           (std::isalnum(static_cast<unsigned char>(html[name_end])) || html[name_end] == '-'))
      ++name_end;
    if (name_end == name_start || !std::isalpha(static_cast<unsigned char>(html[name_start]))) {
      if (html.compare(lt, 2, "<!") == 0 || html.compare(lt, 2, "<?") == 0) {  // doctype, CDATA, PI
        size_t end = TagEnd(html, lt);
        i = end == std::string_view::npos ? html.size() : end + 1;
        ++out.removed;
        continue;
      }
      o += "&lt;";  // not a tag: a literal '<'
      i = lt + 1;
      continue;
    }
    size_t gt = TagEnd(html, lt);
    if (gt == std::string_view::npos) {  // an unterminated tag: drop the rest
      ++out.removed;
      break;
    }
    const std::string name = Lower(html.substr(name_start, name_end - name_start));
    i = gt + 1;
    if (In(kDroppedWithContent, name)) {
      ++out.removed;
      if (closing || name == "embed" || name == "frame") continue;  // void: nothing inside
      // Skip to the matching close tag (or the end).
      const std::string lower_rest = Lower(html.substr(i));
      size_t close = lower_rest.find("</" + name);
      if (close == std::string::npos) {
        i = html.size();
      } else {
        size_t close_end = html.find('>', i + close);
        i = close_end == std::string_view::npos ? html.size() : close_end + 1;
      }
      continue;
    }
    if (!In(kAllowedTags, name)) {
      ++out.removed;
      continue;
    }
    if (closing) {
      o += "</" + name + ">";
      continue;
    }
    o += "<" + name;
    for (const Attribute& a : ParseAttributes(html.substr(name_end, gt - name_end))) {
      bool keep = In(kAllowedAttributes, a.name);
      if (keep && (a.name == "href" || a.name == "src")) keep = IsSafeUrl(a.value);
      std::string value = DecodeEntities(a.value);
      if (keep && a.name == "style") {
        auto style = CleanStyle(value, &out.removed);
        keep = style.has_value();
        if (keep) value = std::move(*style);
        if (keep && std::all_of(value.begin(), value.end(),
                                [](char c) { return c == ';' || std::isspace(static_cast<unsigned char>(c)); }))
          keep = false;  // nothing left of it
      }
      // A control character in a value (found by the fuzzer in a style) has no business
      // there: the attribute goes, as a mail client would read it its own way.
      if (keep && std::any_of(value.begin(), value.end(), [](char c) {
            const auto u = static_cast<unsigned char>(c);
            return (u < 0x20 && c != '\t' && c != '\n' && c != '\r') || u == 0x7f;
          }))
        keep = false;
      if (!keep) {
        ++out.removed;
        continue;
      }
      o += " " + a.name + "=\"" + HtmlEscape(value) + "\"";
    }
    o += ">";
  }
  return out;
}

}  // namespace rkd

#include "compose/message_checks.h"

#include <algorithm>
#include <cctype>

#include "compose/email_checks.h"
#include "compose/sample_client.h"
#include "compose/template_writer.h"

namespace rkd {
namespace {

Status Invalid(const std::string& field, const std::string& why) {
  return Status::InvalidArgument(field + " " + why, field);
}

struct Tag {
  char sigil = 0;  // 0 (a variable), '#', '^', '/', '&', '!', '>', '='
  std::string name;
};

std::string Trim(const std::string& s) {
  const size_t b = s.find_first_not_of(" \t\r\n"), e = s.find_last_not_of(" \t\r\n");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

// The Mustache tags of a template that parses ({{x}}, {{{x}}}, {{#x}}…).
std::vector<Tag> Tags(const std::string& t) {
  std::vector<Tag> out;
  size_t pos = 0;
  while ((pos = t.find("{{", pos)) != std::string::npos) {
    const bool triple = t.compare(pos, 3, "{{{") == 0;
    const size_t open = pos + (triple ? 3 : 2);
    const size_t close = t.find(triple ? "}}}" : "}}", open);
    if (close == std::string::npos) break;
    std::string inner = Trim(t.substr(open, close - open));
    Tag tag;
    if (!inner.empty() && std::string("#^/&!>=").find(inner[0]) != std::string::npos) {
      tag.sigil = inner[0];
      inner = Trim(inner.substr(1));
    }
    tag.name = inner;
    out.push_back(tag);
    pos = close + (triple ? 3 : 2);
  }
  return out;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

Status CheckPlaceholders(const std::string& field, const std::string& t) {
  const auto& known = MessagePlaceholders();
  for (const Tag& tag : Tags(t)) {
    if (tag.sigil == '!') continue;
    if (tag.sigil == '>') return Invalid(field, "uses a partial ({{>" + tag.name + "}}), which is not supported");
    if (tag.sigil == '=') return Invalid(field, "changes the tag delimiters, which is not supported");
    if (tag.name == ".") continue;
    if (!std::binary_search(known.begin(), known.end(), tag.name)) {
      std::string names;
      for (const std::string& k : known) names += (names.empty() ? "" : ", ") + k;
      return Invalid(field, "uses {{" + tag.name +
                                "}}, which is not a placeholder Rekindle fills (it would render "
                                "as nothing); the placeholders are: " +
                                names);
    }
  }
  return Status::Ok();
}

bool NamesShopUrl(const std::vector<Tag>& tags) {
  return std::any_of(tags.begin(), tags.end(),
                     [](const Tag& t) { return t.sigil == 0 || t.sigil == '&' ? t.name == "shopUrl" : false; });
}

}  // namespace

const std::vector<std::string>& MessagePlaceholders() {
  static const std::vector<std::string> kNames = [] {
    std::vector<std::string> v = {"averageOrderValue",
                                  "categories",
                                  "category",
                                  "daysSinceLastOrder",
                                  "firstName",
                                  "hasCategories",
                                  "hasOrders",
                                  "isLastStep",
                                  "isRegular",
                                  "isReminder",
                                  "lastOrderDate",
                                  "logoUrl",
                                  "name",
                                  "orderCount",
                                  "ordersPhrase",
                                  "shopName",
                                  "shopUrl",
                                  "signOff",
                                  "step",
                                  "steps",
                                  "topCategory",
                                  "totalSpent",
                                  "unsubscribeUrl",
                                  "url"};
    std::sort(v.begin(), v.end());
    return v;
  }();
  return kNames;
}

Status CheckMessageName(const std::string& name) {
  if (name.empty() || name.size() > 64) return Invalid("name", "must be 1 to 64 characters");
  for (unsigned char c : name)
    if (!(std::islower(c) || std::isdigit(c) || c == '-'))
      return Invalid("name", "may hold only a-z, 0-9 and '-' (such as winback-2)");
  if (name[0] == '-') return Invalid("name", "must start with a letter or a digit");
  return Status::Ok();
}

Status CheckMessageContent(const MessageContent& m, Millis now) {
  const std::pair<const char*, const std::string*> parts[3] = {
      {"subject", &m.subject}, {"text", &m.text}, {"html", &m.html}};
  for (const auto& [field, value] : parts) {
    if (Trim(*value).empty()) return Invalid(field, "is required");
    if (value->size() > (std::string(field) == "subject" ? size_t{1000} : kMaxBodyBytes))
      return Invalid(field, std::string("is too long (at most ") +
                                (std::string(field) == "subject" ? "1,000 characters" : "64 KiB") + ")");
  }
  if (m.instructions.size() > 4000) return Invalid("instructions", "is too long (at most 4,000 characters)");
  // Parsing first: a template that does not parse has no tags to speak of.
  const User regular = SampleClient(now);
  auto rendered = TemplateWriter::Render(m, ComposeRequest{regular, regular.engagement_score, now,
                                                           "https://shop.example", "https://rekindle.example/u/x"});
  if (!rendered.ok() && rendered.status().code() == Code::kInvalidArgument) return rendered.status();
  for (const auto& [field, value] : parts) RKD_RETURN_IF_ERROR(CheckPlaceholders(field, *value));
  if (!NamesShopUrl(Tags(m.text))) return Invalid("text", "must carry the shop's link, {{shopUrl}}");
  const std::string html = Lower(m.html);
  if (html.find("href=\"{{shopurl}}\"") == std::string::npos &&
      html.find("href=\"{{{shopurl}}}\"") == std::string::npos)
    return Invalid("html", "must link the shop: <a href=\"{{shopUrl}}\">…</a>");
  for (const char* bad : {"<script", "<iframe", "<object", "<embed", "<form", "javascript:"})
    if (html.find(bad) != std::string::npos)
      return Invalid("html", std::string("must not contain ") + bad + (bad[0] == '<' ? ">" : ""));
  for (size_t at = html.find(" on"); at != std::string::npos; at = html.find(" on", at + 1)) {
    size_t k = at + 3;
    while (k < html.size() && std::isalpha(static_cast<unsigned char>(html[k]))) ++k;
    if (k > at + 3 && k < html.size() && html[k] == '=') return Invalid("html", "must not carry event handlers (on…=)");
  }
  // Rendered for a regular and for a newcomer without orders: every branch of a section.
  User newcomer;
  newcomer.name = "Sam";
  for (const User* u : {&regular, static_cast<const User*>(&newcomer)}) {
    auto e =
        TemplateWriter::Render(m, ComposeRequest{*u, 0, now, "https://shop.example", "https://rekindle.example/u/x"});
    if (!e.ok())
      return Invalid(
          "text", "renders nothing for " + std::string(u == &regular ? "a regular client" : "a client without orders"));
    if (Utf8Length(e->subject) > kMaxSubjectChars)
      return Invalid("subject", "renders " + std::to_string(Utf8Length(e->subject)) + " characters for " + u->name +
                                    "; at most " + std::to_string(kMaxSubjectChars));
  }
  return Status::Ok();
}

}  // namespace rkd

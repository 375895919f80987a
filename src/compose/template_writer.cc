#include "compose/template_writer.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <kainjow/mustache.hpp>
#include <map>
#include <mutex>
#include <set>
#include <sstream>

#include "base/embedded_files.h"
#include "compose/money.h"

namespace rkd {
namespace {

namespace mu = kainjow::mustache;

// `file` is "subject.mustache" (the default set) or "winback-2/subject.mustache" (a
// message's set, built in as templates/winback-2/).
Result<std::string> ReadTemplate(const std::string& dir, const std::string& file) {
  if (dir.empty()) {
    auto it = EmbeddedFiles().find(file.find('/') == std::string::npos ? "templates/reengagement/" + file
                                                                       : "templates/" + file);
    if (it == EmbeddedFiles().end()) return Status::Internal("template " + file + " is not embedded");
    return std::string(it->second);
  }
  std::ifstream in(dir + "/" + file);
  if (!in) return Status::InvalidArgument("cannot read template " + dir + "/" + file, "RKD_TEMPLATES_DIR");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string HumanDate(Millis t) {
  static const char* const kMonths[] = {"January", "February", "March",     "April",   "May",      "June",
                                        "July",    "August",   "September", "October", "November", "December"};
  const std::string iso = FormatRfc3339(t);  // YYYY-MM-DD…
  const int month = std::stoi(iso.substr(5, 2));
  return std::string(kMonths[month - 1]) + " " + std::to_string(std::stoi(iso.substr(8, 2))) + ", " + iso.substr(0, 4);
}

// "Denim & Jackets" → "denim-jackets", for category links.
std::string Slug(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c))
      out += static_cast<char>(std::tolower(c));
    else if (!out.empty() && out.back() != '-')
      out += '-';
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out;
}

std::string WithParams(const std::string& url, const std::string& params) {
  return url + (url.find('?') == std::string::npos ? "?" : "&") + params;
}

}  // namespace

// One message's templates, and the sources they were parsed from.
struct TemplateSet {
  MessageContent source;
  mu::mustache subject;
  mu::mustache text;
  mu::mustache html;
  explicit TemplateSet(const MessageContent& m) : source(m), subject(m.subject), text(m.text), html(m.html) {}
};

// The default set (the folder's own files) and the journey's messages (its subfolders,
// e.g. winback-2/), each checked at load.
struct TemplateWriter::Templates {
  std::unique_ptr<TemplateSet> fallback;
  std::map<std::string, std::unique_ptr<TemplateSet>> sets;
  // Stored messages (issue 12) as parsed, by name and version; a few dozen at most.
  std::mutex stored_mu;
  std::map<std::pair<std::string, int64_t>, std::shared_ptr<TemplateSet>> stored;
};

namespace {

constexpr const char* kFiles[3] = {"subject.mustache", "text.mustache", "html.mustache"};
constexpr const char* kFields[3] = {"subject", "text", "html"};

// The templates parsed, or the first that does not parse (`field` names it, `where` says
// where it came from).
Result<std::unique_ptr<TemplateSet>> Parse(const MessageContent& m, const std::function<std::string(int)>& where,
                                           const std::string& field) {
  auto t = std::make_unique<TemplateSet>(m);
  const mu::mustache* all[3] = {&t->subject, &t->text, &t->html};
  for (int i = 0; i < 3; ++i)
    if (!all[i]->is_valid())
      return Status::InvalidArgument(where(i) + ": " + all[i]->error_message(), field.empty() ? kFields[i] : field);
  return t;
}

Result<std::unique_ptr<TemplateSet>> LoadSet(const std::string& dir, const std::string& set) {
  std::string sources[3];
  for (int i = 0; i < 3; ++i) {
    auto src = set.empty() ? ReadTemplate(dir, kFiles[i]) : ReadTemplate(dir, set + "/" + kFiles[i]);
    if (!src.ok()) return src.status();
    sources[i] = std::move(src).value();
  }
  return Parse(
      MessageContent{sources[0], sources[1], sources[2], ""},
      [&](int i) { return "template " + (set.empty() ? "" : set + "/") + kFiles[i]; }, "RKD_TEMPLATES_DIR");
}

// The names of the message sets beside the default: the built-in ones (templates/*/ but
// reengagement, the default), or the subfolders of `dir` holding a subject template.
std::set<std::string> SetNames(const std::string& dir) {
  std::set<std::string> names;
  if (dir.empty()) {
    for (const auto& [path, contents] : EmbeddedFiles()) {
      const std::string prefix = "templates/";
      if (path.rfind(prefix, 0) != 0) continue;
      const std::string rest(path.substr(prefix.size()));
      const size_t slash = rest.find('/');
      if (slash == std::string::npos || rest.substr(slash + 1) != "subject.mustache") continue;
      if (rest.substr(0, slash) != "reengagement") names.insert(rest.substr(0, slash));
    }
    return names;
  }
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec))
    if (entry.is_directory() && std::filesystem::exists(entry.path() / "subject.mustache"))
      names.insert(entry.path().filename().string());
  return names;
}

}  // namespace

TemplateWriter::TemplateWriter(std::unique_ptr<Templates> t) : templates_(std::move(t)) {}
TemplateWriter::~TemplateWriter() = default;

Result<std::unique_ptr<TemplateWriter>> TemplateWriter::Load(const std::string& dir) {
  auto t = std::make_unique<Templates>();
  auto fallback = LoadSet(dir, "");
  if (!fallback.ok()) return fallback.status();
  t->fallback = std::move(fallback).value();
  for (const std::string& name : SetNames(dir)) {
    auto set = LoadSet(dir, name);
    if (!set.ok()) return set.status();
    t->sets.emplace(name, std::move(set).value());
  }
  return std::unique_ptr<TemplateWriter>(new TemplateWriter(std::move(t)));
}

namespace {

mu::data TemplateData(const ComposeRequest& req) {
  const User& u = req.user;
  mu::data d;
  const std::string first = u.name.substr(0, u.name.find(' '));
  d.set("name", u.name);
  d.set("firstName", first.empty() ? u.name : first);
  const std::string cta = WithParams(req.shop_url, "utm_source=rekindle&utm_medium=email&utm_campaign=reengagement");
  d.set("shopUrl", cta);
  d.set("unsubscribeUrl", req.unsubscribe_url);
  d.set("orderCount", std::to_string(u.order_count));
  d.set("ordersPhrase", std::to_string(u.order_count) + (u.order_count == 1 ? " order" : " orders"));
  d.set("averageOrderValue", FormatMoney(u.average_order_value, req.brand.currency));
  d.set("totalSpent", FormatMoney(static_cast<double>(u.total_spent_cents) / 100, req.brand.currency));
  // The brand (settings): the logo and the shop's name are optional, the sign-off is not.
  d.set("signOff", req.brand.sign_off);
  if (!req.brand.shop_name.empty()) d.set("shopName", req.brand.shop_name);
  if (!req.brand.logo_url.empty()) d.set("logoUrl", req.brand.logo_url);
  if (u.order_count > 0) d.set("hasOrders", true);
  if (u.order_count > 1) d.set("isRegular", true);
  if (u.last_order_date) {
    d.set("lastOrderDate", HumanDate(*u.last_order_date));
    d.set("daysSinceLastOrder", std::to_string(WholeDaysBetween(*u.last_order_date, req.now)));
  }
  mu::data categories{mu::data::type::list};
  for (const std::string& c : u.preferred_categories) {
    mu::data item;
    item.set("category", c);
    item.set("url", WithParams(req.shop_url + (!req.shop_url.empty() && req.shop_url.back() == '/' ? "" : "/") + "c/" +
                                   Slug(c),
                               "utm_source=rekindle&utm_medium=email&utm_campaign=reengagement"));
    categories << item;
  }
  if (!u.preferred_categories.empty()) {
    d.set("hasCategories", true);
    d.set("topCategory", u.preferred_categories.front());
  }
  d.set("categories", categories);

  d.set("step", std::to_string(req.step));
  d.set("steps", std::to_string(req.steps));
  if (req.step > 1) d.set("isReminder", true);
  if (req.steps > 1 && req.step == req.steps) d.set("isLastStep", true);

  return d;
}

Result<ComposedEmail> RenderSet(TemplateSet& t, const ComposeRequest& req) {
  const mu::data d = TemplateData(req);
  ComposedEmail out;
  out.writer = "template";
  out.subject = t.subject.render(d);
  out.text = t.text.render(d);
  out.html = t.html.render(d);
  // A subject is one line, without spaces at either end (a section rendered as nothing).
  for (char& c : out.subject)
    if (c == '\n' || c == '\r') c = ' ';
  while (!out.subject.empty() && out.subject.back() == ' ') out.subject.pop_back();
  out.subject.erase(0, std::min(out.subject.find_first_not_of(' '), out.subject.size()));
  if (out.subject.empty() || out.text.empty()) return Status::Internal("a template rendered an empty subject or body");
  return out;
}

}  // namespace

Result<ComposedEmail> TemplateWriter::Compose(const ComposeRequest& req) {
  if (req.stored) {
    std::shared_ptr<TemplateSet> set;
    {
      std::lock_guard lock(templates_->stored_mu);
      const auto key = std::make_pair(req.stored->name, req.stored->version);
      auto it = templates_->stored.find(key);
      if (it == templates_->stored.end()) {
        auto parsed = Parse(
            req.stored->content, [&](int i) { return "message " + req.stored->name + " " + kFields[i]; }, "");
        if (!parsed.ok()) return parsed.status();
        if (templates_->stored.size() >= 64) templates_->stored.clear();
        it = templates_->stored.emplace(key, std::move(parsed).value()).first;
      }
      set = it->second;
    }
    return RenderSet(*set, req);
  }
  // The step's message, or the default set when there is none by that name.
  auto set = templates_->sets.find(req.message);
  return RenderSet(set == templates_->sets.end() ? *templates_->fallback : *set->second, req);
}

Result<ComposedEmail> TemplateWriter::Render(const MessageContent& message, const ComposeRequest& request) {
  auto parsed = Parse(
      message, [](int i) { return std::string(kFields[i]); }, "");
  if (!parsed.ok()) return parsed.status();
  return RenderSet(**parsed, request);
}

std::vector<MessageVersion> TemplateWriter::BuiltInMessages() const {
  std::vector<MessageVersion> out;
  out.push_back(MessageVersion{.name = kDefaultMessage, .content = templates_->fallback->source});
  for (const auto& [name, set] : templates_->sets)
    if (name != kDefaultMessage) out.push_back(MessageVersion{.name = name, .content = set->source});
  return out;
}

}  // namespace rkd

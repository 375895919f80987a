#include "compose/template_writer.h"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <kainjow/mustache.hpp>
#include <map>
#include <set>
#include <sstream>

#include "base/embedded_files.h"

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

std::string Money(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "$%.2f", v);
  return buf;
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

// One message's templates.
struct TemplateSet {
  mu::mustache subject;
  mu::mustache text;
  mu::mustache html;
};

// The default set (the folder's own files) and the journey's messages (its subfolders,
// e.g. winback-2/), each checked at load.
struct TemplateWriter::Templates {
  std::unique_ptr<TemplateSet> fallback;
  std::map<std::string, std::unique_ptr<TemplateSet>> sets;
};

namespace {

constexpr const char* kFiles[3] = {"subject.mustache", "text.mustache", "html.mustache"};

Result<std::unique_ptr<TemplateSet>> LoadSet(const std::string& dir, const std::string& set) {
  std::string sources[3];
  for (int i = 0; i < 3; ++i) {
    auto src = set.empty() ? ReadTemplate(dir, kFiles[i]) : ReadTemplate(dir, set + "/" + kFiles[i]);
    if (!src.ok()) return src.status();
    sources[i] = std::move(src).value();
  }
  auto t = std::make_unique<TemplateSet>(
      TemplateSet{mu::mustache(sources[0]), mu::mustache(sources[1]), mu::mustache(sources[2])});
  const mu::mustache* all[3] = {&t->subject, &t->text, &t->html};
  for (int i = 0; i < 3; ++i)
    if (!all[i]->is_valid())
      return Status::InvalidArgument(
          "template " + (set.empty() ? "" : set + "/") + kFiles[i] + ": " + all[i]->error_message(),
          "RKD_TEMPLATES_DIR");
  return t;
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

Result<ComposedEmail> TemplateWriter::Compose(const ComposeRequest& req) {
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
  d.set("averageOrderValue", Money(u.average_order_value));
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
    item.set("url", WithParams(req.shop_url + (req.shop_url.back() == '/' ? "" : "/") + "c/" + Slug(c),
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

  // The step's message, or the default set when there is none by that name.
  auto set = templates_->sets.find(req.message);
  TemplateSet& t = set == templates_->sets.end() ? *templates_->fallback : *set->second;
  ComposedEmail out;
  out.writer = "template";
  out.subject = t.subject.render(d);
  out.text = t.text.render(d);
  out.html = t.html.render(d);
  // A subject is one line.
  for (char& c : out.subject)
    if (c == '\n' || c == '\r') c = ' ';
  while (!out.subject.empty() && out.subject.back() == ' ') out.subject.pop_back();
  if (out.subject.empty() || out.text.empty()) return Status::Internal("a template rendered an empty subject or body");
  return out;
}

}  // namespace rkd

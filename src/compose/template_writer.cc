#include "compose/template_writer.h"

#include <cmath>
#include <fstream>
#include <kainjow/mustache.hpp>
#include <sstream>

#include "base/embedded_files.h"

namespace rkd {
namespace {

namespace mu = kainjow::mustache;

Result<std::string> ReadTemplate(const std::string& dir, const std::string& file) {
  if (dir.empty()) {
    auto it = EmbeddedFiles().find("templates/reengagement/" + file);
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

struct TemplateWriter::Templates {
  mu::mustache subject;
  mu::mustache text;
  mu::mustache html;
};

TemplateWriter::TemplateWriter(std::unique_ptr<Templates> t) : templates_(std::move(t)) {}
TemplateWriter::~TemplateWriter() = default;

Result<std::unique_ptr<TemplateWriter>> TemplateWriter::Load(const std::string& dir) {
  std::string sources[3];
  const char* files[3] = {"subject.mustache", "text.mustache", "html.mustache"};
  for (int i = 0; i < 3; ++i) {
    auto src = ReadTemplate(dir, files[i]);
    if (!src.ok()) return src.status();
    sources[i] = std::move(src).value();
  }
  auto t = std::unique_ptr<Templates>(
      new Templates{mu::mustache(sources[0]), mu::mustache(sources[1]), mu::mustache(sources[2])});
  const mu::mustache* all[3] = {&t->subject, &t->text, &t->html};
  for (int i = 0; i < 3; ++i)
    if (!all[i]->is_valid())
      return Status::InvalidArgument(std::string("template ") + files[i] + ": " + all[i]->error_message(),
                                     "RKD_TEMPLATES_DIR");
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

  ComposedEmail out;
  out.writer = "template";
  out.subject = templates_->subject.render(d);
  out.text = templates_->text.render(d);
  out.html = templates_->html.render(d);
  // A subject is one line.
  for (char& c : out.subject)
    if (c == '\n' || c == '\r') c = ' ';
  while (!out.subject.empty() && out.subject.back() == ' ') out.subject.pop_back();
  if (out.subject.empty() || out.text.empty()) return Status::Internal("a template rendered an empty subject or body");
  return out;
}

}  // namespace rkd

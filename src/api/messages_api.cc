// /api/messages (issue 12): the win-back messages a journey's steps are written from. The
// built-in ones (templates/) are listed as version 0; a save stores a new version (who:
// the API key's name) after the checks of compose/message_checks.h, and the email workers
// write from it within a second. POST /api/messages/:name/preview renders a message, or a
// draft of it, for a client or the sample one, with the brand and the footer as sent
// (without tracking, so that looking at it records nothing).
#include <algorithm>
#include <charconv>

#include "api/api.h"
#include "api/current_message.h"
#include "api/validation.h"
#include "base/log.h"
#include "compose/message_checks.h"
#include "compose/sample_client.h"
#include "compose/template_writer.h"
#include "delivery/email_footer.h"
#include "http/envelope.h"
#include "pipeline/message_cache.h"

namespace rkd {
namespace {

using nlohmann::json;

json Time(Millis t) { return t ? json(FormatRfc3339(t)) : json(nullptr); }

// The steps of the current journey that send `name`.
json StepsUsing(const JourneyVersion& journey, const std::string& name) {
  json steps = json::array();
  for (size_t i = 0; i < journey.definition.steps.size(); ++i)
    if (journey.definition.steps[i].message == name) steps.push_back(i + 1);
  return steps;
}

json Summary(const MessageVersion& m, const JourneyVersion& journey) {
  return {{"name", m.name},
          {"version", m.version},
          {"builtIn", m.version == 0},
          {"subject", m.content.subject},
          {"note", m.note},
          {"updatedAt", Time(m.created_at)},
          {"updatedBy", m.created_by.empty() ? json(nullptr) : json(m.created_by)},
          {"steps", StepsUsing(journey, m.name)}};
}

json Full(const MessageVersion& m, const JourneyVersion& journey) {
  json j = Summary(m, journey);
  j["text"] = m.content.text;
  j["html"] = m.content.html;
  j["instructions"] = m.content.instructions;
  return j;
}

// A message's body in a POST or PUT: the templates, instructions and a note; `name` only
// where `with_name`, `baseVersion` only where `with_base`.
struct MessageInput {
  std::string name;
  MessageContent content;
  std::string note;
  std::optional<int64_t> base_version;
};

Result<MessageInput> ParseMessageInput(const std::string& body, bool with_name, bool with_base) {
  auto j = ParseJsonObject(body);
  if (!j.ok()) return j.status();
  MessageInput in;
  std::string* texts[] = {&in.name,         &in.content.subject,      &in.content.text,
                          &in.content.html, &in.content.instructions, &in.note};
  const char* names[] = {"name", "subject", "text", "html", "instructions", "note"};
  for (const auto& item : j->items()) {
    const std::string& key = item.key();
    const auto& value = item.value();
    const auto known = std::find_if(std::begin(names), std::end(names), [&](const char* n) { return key == n; });
    if (known != std::end(names) && (key != "name" || with_name)) {
      if (value.is_null()) continue;
      if (!value.is_string()) return Status::InvalidArgument(key + " must be a string", key);
      *texts[known - std::begin(names)] = value.get<std::string>();
    } else if (key == "baseVersion" && with_base) {
      if (!value.is_number_integer() || value.get<int64_t>() < 0)
        return Status::InvalidArgument("baseVersion must be the version the edit started from (0: built in)",
                                       "baseVersion");
      in.base_version = value.get<int64_t>();
    } else {
      return Status::InvalidArgument(key + " is not a known field", key);
    }
  }
  if (in.note.size() > 500) return Status::InvalidArgument("note is too long (at most 500 characters)", "note");
  if (with_name) RKD_RETURN_IF_ERROR(CheckMessageName(in.name));
  return in;
}

class MessageRoutes {
 public:
  MessageRoutes(ApiContext& ctx, MessageApiOptions options) : ctx_(ctx), options_(std::move(options)) {}

  // The newest version of `name`: stored, else built in; NotFound when neither.
  Result<MessageVersion> Current(const std::string& name) {
    return CurrentMessage(ctx_.store, *options_.templates, name, "name");
  }

  HttpResponse List() {
    auto journey = ctx_.store.GetJourney();
    if (!journey.ok()) return ErrorResponse(journey.status());
    auto stored = ctx_.store.ListMessages();
    if (!stored.ok()) return ErrorResponse(stored.status());
    std::map<std::string, MessageVersion> all;
    for (MessageVersion& m : options_.templates->BuiltInMessages()) all[m.name] = std::move(m);
    for (MessageVersion& m : *stored) all[m.name] = std::move(m);
    json items = json::array();
    for (const auto& [name, m] : all) items.push_back(Summary(m, *journey));
    return DataResponse(items);
  }

  HttpResponse Get(HttpRequest& req) {
    const std::string& name = req.Param("name");
    if (Status st = CheckMessageName(name); !st.ok()) return ErrorResponse(st);
    std::optional<int64_t> version;
    if (auto it = req.query.find("version"); it != req.query.end()) {
      int64_t v = -1;
      auto [end, ec] = std::from_chars(it->second.data(), it->second.data() + it->second.size(), v);
      if (ec != std::errc() || end != it->second.data() + it->second.size() || v < 0)
        return ErrorResponse(Status::InvalidArgument("version must be a whole number (0: built in)", "version"));
      version = v;
    }
    auto journey = ctx_.store.GetJourney();
    if (!journey.ok()) return ErrorResponse(journey.status());
    auto current = Current(name);
    if (!current.ok()) return ErrorResponse(current.status());
    MessageVersion shown = *current;
    if (version && *version != current->version) {
      if (*version == 0) {
        auto built_in = BuiltIn(name);
        if (!built_in) return ErrorResponse(Status::NotFound(name + " has no built-in version", "version"));
        shown = *built_in;
      } else {
        auto got = ctx_.store.GetMessage(name, *version);
        if (!got.ok()) return ErrorResponse(got.status());
        shown = *got;
      }
    }
    auto history = ctx_.store.MessageHistory(name, 1000);
    if (!history.ok()) return ErrorResponse(history.status());
    json versions = json::array();
    for (const MessageVersion& v : *history)
      versions.push_back(
          {{"version", v.version}, {"note", v.note}, {"createdAt", Time(v.created_at)}, {"createdBy", v.created_by}});
    if (BuiltIn(name))
      versions.push_back({{"version", 0}, {"note", "built in"}, {"createdAt", nullptr}, {"createdBy", nullptr}});
    json data = Full(shown, *journey);
    data["currentVersion"] = current->version;
    data["versions"] = versions;
    data["placeholders"] = MessagePlaceholders();
    return DataResponse(data);
  }

  HttpResponse Create(HttpRequest& req) {
    auto in = ParseMessageInput(req.body, /*with_name=*/true, /*with_base=*/false);
    if (!in.ok()) return ErrorResponse(in.status());
    auto existing = Current(in->name);
    if (existing.ok())
      return ErrorResponse(Status::AlreadyExists("a message named " + in->name + " exists: edit it instead", "name"));
    if (!existing.status().IsNotFound()) return ErrorResponse(existing.status());
    return Save(req, *in, 0, 201);
  }

  HttpResponse Update(HttpRequest& req) {
    const std::string& name = req.Param("name");
    if (Status st = CheckMessageName(name); !st.ok()) return ErrorResponse(st);
    auto in = ParseMessageInput(req.body, /*with_name=*/false, /*with_base=*/true);
    if (!in.ok()) return ErrorResponse(in.status());
    in->name = name;
    auto current = Current(name);
    if (!current.ok()) return ErrorResponse(current.status());
    if (in->base_version && *in->base_version != current->version)
      return ErrorResponse(Status::FailedPrecondition(name + " is at version " + std::to_string(current->version) +
                                                          ", not " + std::to_string(*in->base_version) +
                                                          ": someone saved it in between; reload it and edit again",
                                                      "baseVersion"));
    return Save(req, *in, current->version, 200);
  }

  HttpResponse Preview(HttpRequest& req) {
    const std::string& name = req.Param("name");
    if (Status st = CheckMessageName(name); !st.ok()) return ErrorResponse(st);
    const Millis now = ctx_.clock.Now();
    // The draft in the body, or the message as stored (or built in).
    MessageContent content;
    const bool draft = req.body.find_first_not_of(" \t\r\n") != std::string::npos;
    if (draft) {
      auto in = ParseMessageInput(req.body, /*with_name=*/false, /*with_base=*/false);
      if (!in.ok()) return ErrorResponse(in.status());
      content = in->content;
    } else {
      auto current = Current(name);
      if (!current.ok()) return ErrorResponse(current.status());
      content = current->content;
    }
    User client = SampleClient(now);
    if (auto it = req.query.find("userId"); it != req.query.end() && !it->second.empty()) {
      auto user = ctx_.store.GetUser(it->second);
      if (user.status().IsNotFound()) return ErrorResponse(Status::NotFound("no client with that id", "userId"));
      if (!user.ok()) return ErrorResponse(user.status());
      client = std::move(user).value();
    }
    auto journey = ctx_.store.GetJourney();
    if (!journey.ok()) return ErrorResponse(journey.status());
    const int steps = static_cast<int>(journey->definition.steps.size());
    json used = StepsUsing(*journey, name);
    const int step = used.empty() ? 1 : used.front().get<int>();
    auto rows = ctx_.store.GetSettings();
    if (!rows.ok()) return ErrorResponse(rows.status());
    const ShopSettings settings = SettingsFromRows(*rows);
    const std::string public_url = settings.public_url.empty() ? options_.public_url : settings.public_url;
    const std::string shop_url = settings.shop_url.empty() ? options_.shop_url : settings.shop_url;
    const std::string unsubscribe = public_url + "/u/preview";
    auto e = TemplateWriter::Render(content, ComposeRequest{client, client.engagement_score, now, shop_url, unsubscribe,
                                                            step, std::max(steps, step), name, Brand::From(settings)});
    if (!e.ok())
      return ErrorResponse(e.status().code() == Code::kInternal
                               ? Status::InvalidArgument("the message renders an empty subject or text "
                                                         "for " +
                                                             client.name,
                                                         "text")
                               : e.status());
    AppendFooter(settings.postal_address, unsubscribe, &e->text, &e->html);
    // What saving it would say, shown beside the preview rather than instead of it.
    const Status problem = CheckMessageContent(content, now);
    return DataResponse(
        {{"subject", e->subject},
         {"text", e->text},
         {"html", e->html},
         {"step", step},
         {"client",
          {{"userId", client.user_id.empty() ? json(nullptr) : json(client.user_id)},
           {"name", client.name},
           {"sample", client.user_id.empty()}}},
         {"problem", problem.ok() ? json(nullptr) : json{{"error", problem.message()}, {"field", problem.field()}}}});
  }

 private:
  std::optional<MessageVersion> BuiltIn(const std::string& name) {
    for (MessageVersion& m : options_.templates->BuiltInMessages())
      if (m.name == name) return std::move(m);
    return std::nullopt;
  }

  HttpResponse Save(const HttpRequest& req, const MessageInput& in, int64_t expected, int status) {
    if (Status st = CheckMessageContent(in.content, ctx_.clock.Now()); !st.ok()) return ErrorResponse(st);
    MessageVersion m{.name = in.name, .content = in.content, .note = in.note, .created_by = Author(req)};
    auto saved = ctx_.store.SaveMessage(m, expected);
    if (!saved.ok()) return ErrorResponse(saved.status());
    if (options_.cache) options_.cache->Invalidate();
    LogInfo("message saved", {{"name", saved->name}, {"version", saved->version}, {"by", saved->created_by}});
    auto journey = ctx_.store.GetJourney();
    if (!journey.ok()) return ErrorResponse(journey.status());
    return DataResponse(Full(*saved, *journey), status);
  }

  ApiContext& ctx_;
  MessageApiOptions options_;
};

}  // namespace

void RegisterMessageRoutes(Router& router, ApiContext& ctx, MessageApiOptions options) {
  auto routes = std::make_shared<MessageRoutes>(ctx, std::move(options));
  router.Add("GET", "/api/messages", [routes](HttpRequest&) { return routes->List(); });
  router.Add("POST", "/api/messages", [routes](HttpRequest& req) { return routes->Create(req); });
  router.Add("GET", "/api/messages/:name", [routes](HttpRequest& req) { return routes->Get(req); });
  router.Add("PUT", "/api/messages/:name", [routes](HttpRequest& req) { return routes->Update(req); });
  router.Add("POST", "/api/messages/:name/preview", [routes](HttpRequest& req) { return routes->Preview(req); });
}

}  // namespace rkd

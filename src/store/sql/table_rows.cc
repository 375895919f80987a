#include "store/sql/table_rows.h"

#include <nlohmann/json.hpp>
#include <utility>

#include "domain/json_codec.h"

namespace rkd {

using nlohmann::json;

User ReadUser(const SqlRow& r) {
  User u;
  u.user_id = r.Text(0);
  u.email = r.Text(1);
  u.name = r.Text(2);
  u.last_order_date = r.OptInt(3);
  u.order_count = r.Int(4);
  u.average_order_value = r.Real(5);
  auto cats = json::parse(r.Text(6), nullptr, false);
  if (cats.is_array())
    for (const auto& c : cats)
      if (c.is_string()) u.preferred_categories.push_back(c.get<std::string>());
  u.engagement_score = r.Real(7);
  u.last_email_date = r.OptInt(8);
  u.created_at = r.Int(9);
  u.updated_at = r.Int(10);
  if (!r.IsNull(11)) u.time_zone = r.Text(11);
  if (!r.IsNull(12)) u.external_id = r.Text(12);
  u.total_spent_cents = r.Int(13);
  u.first_order_date = r.OptInt(14);
  return u;
}

SqlParams InsertUserParams(const User& u) {
  return {u.user_id,
          u.email,
          u.name,
          u.last_order_date,
          u.order_count,
          u.average_order_value,
          json(u.preferred_categories).dump(),
          u.engagement_score,
          u.last_email_date,
          u.created_at,
          u.updated_at,
          u.time_zone.empty() ? std::nullopt : std::optional<std::string>(u.time_zone),
          u.external_id.empty() ? std::nullopt : std::optional<std::string>(u.external_id),
          u.total_spent_cents,
          u.first_order_date};
}

SqlParams UpdateUserParams(const User& u) {
  SqlParams p = InsertUserParams(u);
  p.erase(p.begin() + 9);  // created_at never changes
  return p;
}

Order ReadOrder(const SqlRow& r) {
  Order o;
  o.order_id = r.Text(0);
  o.user_id = r.Text(1);
  o.order_date = r.Int(2);
  o.total_value = r.Real(3);
  auto items = OrderItemsFromJson(json::parse(r.Text(4), nullptr, false));
  if (items.ok()) o.items = std::move(items).value();
  o.status = r.Text(5);
  o.created_at = r.Int(6);
  if (!r.IsNull(7)) o.external_id = r.Text(7);
  o.implied = r.Int(8) != 0;
  return o;
}

SqlParams InsertOrderParams(const Order& o) {
  json items = json::array();
  for (const auto& i : o.items) items.push_back(ToJson(i));
  // No externalId is NULL, so orders without one never collide on its unique index.
  const std::optional<std::string> external_id =
      o.external_id.empty() ? std::nullopt : std::optional<std::string>(o.external_id);
  return {o.order_id,    o.user_id,    o.order_date,
          o.total_value, items.dump(), o.status,
          o.created_at,  external_id,  int64_t{o.implied ? 1 : 0}};
}

Email ReadEmail(const SqlRow& r) {
  Email e;
  e.email_id = r.Text(0);
  e.user_id = r.Text(1);
  e.subject = r.Text(2);
  e.content = r.Text(3);
  e.html = r.Text(4);
  e.generated_at = r.Int(5);
  e.engagement_score_at_time = r.Real(6);
  e.status = r.Text(7);
  e.writer = r.Text(8);
  e.sent_at = r.OptInt(9);
  e.error = r.Text(10);
  e.created_at = r.Int(11);
  e.prompt_tokens = static_cast<int>(r.Int(12));
  e.completion_tokens = static_cast<int>(r.Int(13));
  e.opened_at = r.OptInt(14);
  e.clicked_at = r.OptInt(15);
  e.converted_at = r.OptInt(16);
  e.conversion_revenue = r.OptReal(17);
  if (!r.IsNull(18)) e.episode_id = r.Text(18);
  e.step = static_cast<int>(r.OptInt(19).value_or(0));
  e.targeting_rule = r.Text(20);
  if (!r.IsNull(21)) e.experiment_id = r.Text(21);
  e.variant = static_cast<int>(r.OptInt(22).value_or(-1));
  return e;
}

SqlParams InsertEmailParams(const Email& e, const std::string& trigger_id, Millis claimed_until) {
  return {e.email_id,
          e.user_id,
          e.subject,
          e.content,
          e.html,
          e.generated_at,
          e.engagement_score_at_time,
          e.status,
          e.writer,
          e.sent_at,
          e.error,
          e.created_at,
          trigger_id,
          int64_t{e.prompt_tokens},
          int64_t{e.completion_tokens},
          claimed_until,
          e.episode_id.empty() ? std::nullopt : std::optional<std::string>(e.episode_id),
          e.step > 0 ? std::optional<int64_t>(e.step) : std::nullopt,
          e.targeting_rule,
          e.experiment_id.empty() ? std::nullopt : std::optional<std::string>(e.experiment_id),
          e.variant >= 0 ? std::optional<int64_t>(e.variant) : std::nullopt};
}

Episode ReadEpisode(const SqlRow& r) {
  Episode e;
  e.episode_id = r.Text(0);
  e.user_id = r.Text(1);
  e.number = r.Int(2);
  e.journey_version = r.Int(3);
  e.started_at = r.Int(4);
  e.step = static_cast<int>(r.Int(5));
  e.steps = static_cast<int>(r.Int(6));
  e.next_due_at = r.OptInt(7);
  e.ended_at = r.OptInt(8);
  if (!r.IsNull(9)) e.end_reason = r.Text(9);
  e.targeting_rule = r.Text(10);
  return e;
}

SqlParams EpisodeParams(const Episode& e) {
  return {e.episode_id,     e.user_id,
          e.number,         e.journey_version,
          e.started_at,     int64_t{e.step},
          int64_t{e.steps}, e.next_due_at,
          e.ended_at,       e.end_reason.empty() ? std::nullopt : std::optional<std::string>(e.end_reason),
          e.targeting_rule};
}

Result<UserChange> ReadChange(const SqlRow& r) {
  UserChange ch;
  ch.seq = r.Int(0);
  ch.user_id = r.Text(1);
  const std::string op = r.Text(2);
  ch.op = op == "INSERT" ? ChangeOp::kInsert : op == "REMOVE" ? ChangeOp::kRemove : ChangeOp::kModify;
  const json new_json = r.IsNull(4) ? json() : json::parse(r.Text(4), nullptr, false);
  json old_json = r.IsNull(3) ? json() : json::parse(r.Text(3), nullptr, false);
  if (old_json.is_object() && !old_json.contains("userId") && new_json.is_object()) {
    json whole = new_json;  // a diff: the new image with the old values of what changed
    for (const auto& [key, value] : old_json.items()) whole[key] = value;
    old_json = std::move(whole);
  }
  for (auto [j, image] : {std::pair{&std::as_const(old_json), &ch.old_image}, std::pair{&new_json, &ch.new_image}}) {
    if (j->is_null()) continue;
    auto u = UserFromJson(*j);
    if (!u.ok()) return u.status();
    *image = std::move(u).value();
  }
  ch.changed_at = r.Int(5);
  return ch;
}

SqlParams InsertChangeParams(ChangeOp op, const User* old_image, const User* new_image, Millis changed_at) {
  std::optional<std::string> old_column, new_column;
  if (new_image) new_column = ToJson(*new_image).dump();
  if (old_image && new_image) {
    const json before = ToJson(*old_image), after = ToJson(*new_image);
    json diff = json::object();
    for (const auto& [key, value] : before.items())
      if (after.value(key, json()) != value) diff[key] = value;
    old_column = diff.dump();
  } else if (old_image) {
    old_column = ToJson(*old_image).dump();
  }
  const std::string& id = new_image ? new_image->user_id : old_image->user_id;
  return {id, std::string(ChangeOpName(op)), old_column, new_column, changed_at};
}

}  // namespace rkd

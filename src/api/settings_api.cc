// /api/settings: the shop's settings (domain/shop_settings.h), read and merged, and
// /api/sending: the pause switch, the caps' counts today and this hour.
#include "api/api.h"
#include "api/settings_input.h"
#include "api/validation.h"
#include "http/envelope.h"
#include "pipeline/sending_switch.h"
#include "pipeline/settings_cache.h"
#include "pipeline/store_send_gate.h"

namespace rkd {
namespace {

using nlohmann::json;

json SettingsJson(const ShopSettings& s) {
  json data = ToJson(s);
  data["missing"] = MissingForSending(s);
  return data;
}

json SendingJson(const SendingStatus& st) {
  json data = ToJson(st.state);
  data["sentToday"] = st.sent_today;
  data["sentThisHour"] = st.sent_this_hour;
  data["dailyCap"] = SettingValue(st.settings, "dailyCap");
  data["hourlyRate"] = SettingValue(st.settings, "hourlyRate");
  data["quietHours"] = SettingValue(st.settings, "quietHours");
  data["timeZone"] = SettingValue(st.settings, "timeZone");
  data["missing"] = MissingForSending(st.settings);
  return data;
}

HttpResponse CurrentSettings(ApiContext& ctx) {
  auto rows = ctx.store.GetSettings();
  if (!rows.ok()) return ErrorResponse(rows.status());
  return DataResponse(SettingsJson(SettingsFromRows(*rows)));
}

HttpResponse CurrentSending(ApiContext& ctx) {
  auto st = StoreSendGate(ctx.store).Current(ctx.clock.Now());
  if (!st.ok()) return ErrorResponse(st.status());
  return DataResponse(SendingJson(*st));
}

// pause and resume take no body; an empty object is tolerated, anything else is a 400.
Status CheckEmptyBody(const std::string& body) {
  if (body.find_first_not_of(" \t\r\n") == std::string::npos) return Status::Ok();
  auto j = ParseJsonObject(body);
  if (!j.ok()) return j.status();
  if (!j->empty()) return Status::InvalidArgument(j->begin().key() + " is not a known field", j->begin().key());
  return Status::Ok();
}

}  // namespace

void RegisterSettingsRoutes(Router& router, ApiContext& ctx, SettingsCache* cache) {
  router.Add("GET", "/api/settings", [&ctx](HttpRequest&) { return CurrentSettings(ctx); });

  router.Add("PUT", "/api/settings", [&ctx, cache](HttpRequest& req) {
    auto body = ParseJsonObject(req.body);
    if (!body.ok()) return ErrorResponse(body.status());
    auto values = ParseSettingsPatch(*body);
    if (!values.ok()) return ErrorResponse(values.status());
    if (Status st = ctx.store.PutSettings(*values, Author(req), /*only_if_absent=*/false); !st.ok())
      return ErrorResponse(st);
    if (cache) cache->Invalidate();
    return CurrentSettings(ctx);
  });

  router.Add("GET", "/api/sending", [&ctx](HttpRequest&) { return CurrentSending(ctx); });

  for (const bool pause : {true, false}) {
    router.Add("POST", pause ? "/api/sending/pause" : "/api/sending/resume", [&ctx, cache, pause](HttpRequest& req) {
      if (Status st = CheckEmptyBody(req.body); !st.ok()) return ErrorResponse(st);
      const Millis now = ctx.clock.Now();
      Status st = pause ? PauseSending(ctx.store, now, Author(req)) : ResumeSending(ctx.store, now, Author(req));
      if (!st.ok()) return ErrorResponse(st);
      if (cache) cache->Invalidate();
      return CurrentSending(ctx);
    });
  }
}

}  // namespace rkd

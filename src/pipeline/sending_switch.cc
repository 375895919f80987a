#include "pipeline/sending_switch.h"

#include "base/log.h"
#include "domain/shop_settings.h"
#include "pipeline/store_send_gate.h"

namespace rkd {
namespace {

Result<ShopSettings> Load(Store& store) {
  auto rows = store.GetSettings();
  if (!rows.ok()) return rows.status();
  return SettingsFromRows(*rows);
}

std::pair<std::string, std::string> Switch(const SendingState& st) {
  return {kSendingKey,
          nlohmann::json{{"paused", st.paused}, {"reason", st.reason}, {"since", st.since}, {"by", st.by}}.dump()};
}

}  // namespace

Status PauseSending(Store& store, Millis now, const std::string& by) {
  auto settings = Load(store);
  if (!settings.ok()) return settings.status();
  if (settings->sending && settings->sending->paused && settings->sending->reason == "manual") return Status::Ok();
  LogInfo("sending paused", {{"by", by}});
  return store.PutSettings({Switch({true, "manual", now, by})}, by, /*only_if_absent=*/false);
}

Status ResumeSending(Store& store, Millis now, const std::string& by) {
  auto settings = Load(store);
  if (!settings.ok()) return settings.status();
  const std::vector<std::string> missing = MissingForSending(*settings);
  if (!missing.empty())
    return Status::FailedPrecondition(
        "sending cannot start before " + missing.front() + " is set (PUT /api/settings); missing: " +
            [&] {
              std::string all;
              for (const std::string& m : missing) all += (all.empty() ? "" : ", ") + m;
              return all;
            }(),
        missing.front());
  if (settings->sending && !settings->sending->paused) return Status::Ok();
  LogInfo("sending resumed", {{"by", by}});
  return store.PutSettings({Switch({false, "", now, by})}, by, /*only_if_absent=*/false);
}

Status SetUpSettings(Store& store, const std::vector<std::pair<std::string, std::string>>& values, bool start_running,
                     Millis now, const std::string& by) {
  RKD_RETURN_IF_ERROR(store.PutSettings(values, by, /*only_if_absent=*/true));
  auto settings = Load(store);
  if (!settings.ok()) return settings.status();
  if (settings->sending) return Status::Ok();  // set before: a person decides from here on
  const std::vector<std::string> missing = MissingForSending(*settings);
  const bool running = start_running && missing.empty();
  RKD_RETURN_IF_ERROR(
      store.PutSettings({Switch({!running, running ? "" : (missing.empty() ? "manual" : "setup"), now, by})}, by,
                        /*only_if_absent=*/true));
  if (running)
    LogInfo("sending is on: the shop's settings are complete", {{"by", by}});
  else
    LogWarn("sending is paused until the shop's settings are set", {{"missing", missing}});
  return Status::Ok();
}

}  // namespace rkd

// StoreSendGate: the SendGate (send_gate.h) of the sending controls the shop sets in the
// store (domain/shop_settings.h): the pause switch, quiet hours in each client's time
// zone (else the shop's), the daily cap (per day in the shop's time zone) and the hourly
// rate (per UTC hour). Every Admit and Preview reads the settings afresh (one small
// read), so a pause holds from the next batch on, in every process sharing the store;
// Admit takes the admitted clients' share of the caps in one store transaction
// (Store::TakeSendBudget), so workers in several processes never exceed a cap together.
// The budget is counted when admitted: an email admitted and then not sent (its client
// ordered meanwhile, the mail server refused it) still counts. Thread-safe (as the store).
#pragma once

#include <string>
#include <vector>

#include "domain/shop_settings.h"
#include "pipeline/send_gate.h"
#include "store/store.h"

namespace rkd {

// Where sending stands now (GET /api/sending).
struct SendingStatus {
  SendingState state;  // effective: paused for setup while a required setting is missing
  int64_t sent_today = 0, sent_this_hour = 0;
  ShopSettings settings;
};

class StoreSendGate : public SendGate {
 public:
  explicit StoreSendGate(Store& store) : store_(store) {}

  Result<std::vector<GateAnswer>> Admit(const std::vector<const User*>& users, Millis now) override;
  Result<std::vector<GateAnswer>> Preview(const std::vector<const User*>& users, Millis now) override;
  Result<SendingStatus> Current(Millis now);

  // The effective switch: the stored one, or paused for setup while `settings` miss
  // what sending needs (MissingForSending) or the switch was never set.
  static SendingState EffectiveState(const ShopSettings& settings);
  // The budget's periods at `now`: today in the shop's zone, then this UTC hour.
  static std::vector<SendPeriod> Periods(const ShopSettings& settings, Millis now);
  // One answer, caps aside: kPaused, kQuietHours (with when the window ends in the
  // client's zone) or kSend.
  static GateAnswer Decide(const ShopSettings& settings, const SendingState& state, const User& user, Millis now);

 private:
  Result<std::vector<GateAnswer>> Answer(const std::vector<const User*>& users, Millis now, bool take);

  Store& store_;
};

}  // namespace rkd

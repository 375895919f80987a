// The pause switch (GET/POST /api/sending, `rekindle pause|resume`) and the first start's
// setup: written once here for the API and the command line. The switch is the setting
// "sending" (domain/shop_settings.h); the send gate and the workers read it.
// Thread-safe (as the store).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "base/status.h"
#include "base/time.h"
#include "store/store.h"

namespace rkd {

// Pauses sending (reason "manual"). Pausing what a person already paused keeps the first
// pause's time and author.
Status PauseSending(Store& store, Millis now, const std::string& by);
// Resumes sending; FailedPrecondition naming the first missing setting (field) while
// the settings sending needs are not all set.
Status ResumeSending(Store& store, Millis now, const std::string& by);

// The first start's setup: stores `values` (settings by name, as JSON text) where the
// store has none yet, then, when the switch was never set, sets it: running when nothing
// sending needs is missing and `start_running`, else paused for setup. Later starts
// change nothing that is set.
Status SetUpSettings(Store& store, const std::vector<std::pair<std::string, std::string>>& values, bool start_running,
                     Millis now, const std::string& by);

}  // namespace rkd

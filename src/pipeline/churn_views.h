// The churn model's word on a batch of clients, for targeting (domain/targeting.h): the
// email processor and the sweeper choose alike from it.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "domain/targeting.h"
#include "store/store.h"

namespace rkd {

// Each of `users`' prediction from the latest fit, keyed by user id; a client without one,
// or whose prediction is stale (an order of theirs after the history the fit was made
// on: the model has not seen it), is absent. No read at all under score targeting.
Result<std::map<std::string, ChurnView>> ChurnViewsOf(Store& store, const Targeting& targeting,
                                                      const std::vector<const User*>& users);

// The sweep's page (issue 11: as fast as the score alone): `users` as ScanUsers read them
// after `after_user_id` (in user id order), `fit` the latest fit, read once for the sweep
// (null: none). One view per user, in the same order (nullopt: none), from one range
// read of the predictions merged with the page.
Result<std::vector<std::optional<ChurnView>>> ChurnViewsOfPage(Store& store, const ModelFitRecord* fit,
                                                               const std::string& after_user_id,
                                                               const std::vector<const User*>& users);

// The view of `user_id` among `views`, if any.
std::optional<ChurnView> ViewOf(const std::map<std::string, ChurnView>& views, const std::string& user_id);

}  // namespace rkd

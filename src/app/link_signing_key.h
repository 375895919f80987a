// The key that signs the links in emails (unsubscribe, open pixel, click redirects):
// RKD_UNSUBSCRIBE_SECRET, or, on a SQLite store, a random key made once and kept in the
// data folder, so that links stay valid across restarts.
#pragma once

#include <string>

#include "app/config.h"
#include "base/status.h"
#include "store/store.h"

namespace rkd {

// RKD_UNSUBSCRIBE_SECRET when set. Else, beside a SQLite database, the key in
// <data folder>/unsubscribe.key, created (64 hex digits, mode 0600) by the first process
// that needs it and read by every later one. With a PostgreSQL store the processes may run on several hosts, whose keys
// of their own could not check each other's links: FailedPrecondition, the variable is required.
// `store_has_emails` (StoreHasEmails): when the key file is missing but the store already
// holds emails, their links were signed with a key that is gone (a store restored without
// its key): a new key would silently break every one of them, so FailedPrecondition
// unless config.rotate_unsubscribe_key (RKD_ROTATE_UNSUBSCRIBE_KEY) asks for a new key.
Result<std::string> LinkSigningKey(const Config& config, bool store_has_emails);

// Whether the store holds any email (from the dashboard's counters: one cheap read).
Result<bool> StoreHasEmails(Store& store);

}  // namespace rkd

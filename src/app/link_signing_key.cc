#include "app/link_signing_key.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>

#include "base/log.h"

namespace rkd {

Result<std::string> LinkSigningKey(const Config& config, bool store_has_emails) {
  if (!config.unsubscribe_secret.empty()) return config.unsubscribe_secret;
  // On a shared store the processes run on several hosts: a key of each host's own would
  // sign links that the host answering them cannot check.
  if (config.database_url.rfind("sqlite:", 0) != 0)
    return Status::FailedPrecondition(
        "RKD_UNSUBSCRIBE_SECRET is required with a PostgreSQL store: every process signs and checks links "
        "with it, so every host must share it");
  const std::string path = config.data_dir() + "/unsubscribe.key";
  std::error_code ec;
  std::filesystem::create_directories(config.data_dir(), ec);
  if (ec)
    return Status::FailedPrecondition("cannot keep an unsubscribe key in " + config.data_dir() + " (" + ec.message() +
                                      "): set RKD_UNSUBSCRIBE_SECRET (every host must share it)");
  if (store_has_emails && !std::filesystem::exists(path, ec)) {
    if (!config.rotate_unsubscribe_key)
      return Status::FailedPrecondition(
          "the store has emails but " + path +
          " is missing: their unsubscribe and tracking links were signed with that key, and a new one would "
          "silently break every link already sent. Restore unsubscribe.key beside the database (it belongs with "
          "every backup), or start once with RKD_ROTATE_UNSUBSCRIBE_KEY=true to make a new key and accept that "
          "the old links stop working");
    LogWarn(
        "making a new unsubscribe key for a store that has emails: the links in emails already sent no longer "
        "work (RKD_ROTATE_UNSUBSCRIBE_KEY)",
        {{"path", path}});
  }
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd >= 0) {
    std::random_device rd;
    char key[65];
    for (int i = 0; i < 64; i += 8) std::snprintf(key + i, 9, "%08x", rd());
    const bool ok = ::write(fd, key, 64) == 64 && ::fsync(fd) == 0;
    ::close(fd);
    if (!ok) return Status::Internal("cannot write " + path);
  }
  std::ifstream in(path);
  std::string key;
  if (!(in >> key) || key.size() < 32)
    return Status::FailedPrecondition("cannot read or create the unsubscribe key " + path +
                                      ": set RKD_UNSUBSCRIBE_SECRET (every host must share it)");
  return key;
}

Result<bool> StoreHasEmails(Store& store) {
  auto m = store.Metrics(100);
  if (!m.ok()) return m.status();
  return m->emails_total > 0;
}

}  // namespace rkd

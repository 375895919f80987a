// The store's side of issue 12's messages: versions kept for good (message_versions), a
// save taking the name's highest version + 1, refused when the caller edited an older one.
#include "store/sql/sql_helpers.h"
#include "store/sql/sql_store.h"

namespace rkd {
namespace {

using sql::RunOne;

MessageVersion ReadMessage(const SqlRow& r) {
  MessageVersion m;
  m.name = r.Text(0);
  m.version = r.Int(1);
  m.content = {r.Text(2), r.Text(3), r.Text(4), r.Text(5)};
  m.note = r.Text(6);
  m.created_at = r.Int(7);
  m.created_by = r.Text(8);
  return m;
}

}  // namespace

Result<MessageVersion> SqlStore::SaveMessage(const MessageVersion& m, std::optional<int64_t> expected_version) {
  MessageVersion out = m;
  out.created_at = clock_->Now();
  Status st = db_->Write([&](SqlTx& tx) -> Status {
    RKD_RETURN_IF_ERROR(RunOne(tx, "lock-messages", {}, nullptr));
    int64_t current = 0;
    RKD_RETURN_IF_ERROR(RunOne(tx, "get-latest-message", {m.name}, [&](const SqlRow& r) { current = r.Int(1); }));
    if (expected_version && *expected_version != current)
      return Status::FailedPrecondition("message " + m.name + " is at version " + std::to_string(current) + ", not " +
                                            std::to_string(*expected_version) +
                                            ": someone saved it in between; reload it and edit again",
                                        "baseVersion");
    out.version = current + 1;
    const MessageContent& c = m.content;
    return RunOne(
        tx, "insert-message",
        {m.name, out.version, c.subject, c.text, c.html, c.instructions, m.note, out.created_at, m.created_by},
        nullptr);
  });
  if (!st.ok()) return st;
  return out;
}

Result<MessageVersion> SqlStore::GetMessage(const std::string& name, std::optional<int64_t> version) {
  std::optional<MessageVersion> out;
  Status st = db_->Read([&](SqlTx& tx) {
    out.reset();
    auto read = [&](const SqlRow& r) { out = ReadMessage(r); };
    return version ? RunOne(tx, "get-message", {name, *version}, read) : RunOne(tx, "get-latest-message", {name}, read);
  });
  if (!st.ok()) return st;
  if (!out)
    return Status::NotFound(
        "message " + name + (version ? " version " + std::to_string(*version) : "") + " is not stored",
        version ? "version" : "name");
  return std::move(*out);
}

Result<std::vector<MessageVersion>> SqlStore::ListMessages() {
  std::vector<MessageVersion> out;
  Status st = db_->Read([&](SqlTx& tx) {
    out.clear();
    return RunOne(tx, "list-latest-messages", {}, [&](const SqlRow& r) { out.push_back(ReadMessage(r)); });
  });
  if (!st.ok()) return st;
  return out;
}

Result<std::vector<MessageVersion>> SqlStore::MessageHistory(const std::string& name, int limit) {
  std::vector<MessageVersion> out;
  Status st = db_->Read([&](SqlTx& tx) {
    out.clear();
    return RunOne(tx, "list-message-versions", {name, int64_t{std::clamp(limit, 1, 1000)}},
                  [&](const SqlRow& r) { out.push_back(ReadMessage(r)); });
  });
  if (!st.ok()) return st;
  return out;
}

}  // namespace rkd

// ScriptedWriter: a Writer whose answers a test decides. Each Compose takes the next
// scripted answer (a draft or an error) and, when the script is empty, writes a plain
// default draft from the request (the client's name, the shop link and the unsubscribe
// link in both bodies), so tests that do not care about the words need no script. Every
// request is recorded (the user id, the score, "now"), so a test can assert that nothing
// was composed for a client the pipeline should have passed over. Thread-safe: one mutex.
#pragma once

#include <deque>
#include <mutex>
#include <string>
#include <vector>

#include "compose/writer.h"

namespace rkd::testkit {

class ScriptedWriter final : public Writer {
 public:
  struct Call {
    std::string user_id;
    double score = 0;
    Millis now = 0;
    std::string message;  // the message's name it was asked to write
  };

  Result<ComposedEmail> Compose(const ComposeRequest& request) override;

  void Push(Result<ComposedEmail> answer);  // answers the next Compose not yet scripted
  std::vector<Call> calls() const;
  int CallsFor(const std::string& user_id) const;

  // The draft the script-less Compose writes for `request`.
  static ComposedEmail DefaultDraft(const ComposeRequest& request);

 private:
  mutable std::mutex mu_;
  std::deque<Result<ComposedEmail>> script_;
  std::vector<Call> calls_;
};

}  // namespace rkd::testkit

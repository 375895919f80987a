#include "testing/scripted_writer.h"

#include <algorithm>

namespace rkd::testkit {

ComposedEmail ScriptedWriter::DefaultDraft(const ComposeRequest& request) {
  ComposedEmail e;
  e.subject = "We miss you, " + request.user.name;
  e.text = "Hello " + request.user.name + ",\n\nCome back: " + request.shop_url +
           "\n\nUnsubscribe: " + request.unsubscribe_url + "\n";
  e.html = "<html><body><p>Hello " + request.user.name + ",</p><p><a href=\"" + request.shop_url +
           "\">Come back</a></p><p><a href=\"" + request.unsubscribe_url + "\">Unsubscribe</a></p></body></html>";
  e.writer = "scripted";
  return e;
}

Result<ComposedEmail> ScriptedWriter::Compose(const ComposeRequest& request) {
  std::lock_guard lock(mu_);
  calls_.push_back({request.user.user_id, request.score, request.now, request.message});
  if (script_.empty()) return DefaultDraft(request);
  Result<ComposedEmail> answer = std::move(script_.front());
  script_.pop_front();
  return answer;
}

void ScriptedWriter::Push(Result<ComposedEmail> answer) {
  std::lock_guard lock(mu_);
  script_.push_back(std::move(answer));
}

std::vector<ScriptedWriter::Call> ScriptedWriter::calls() const {
  std::lock_guard lock(mu_);
  return calls_;
}

int ScriptedWriter::CallsFor(const std::string& user_id) const {
  std::lock_guard lock(mu_);
  return static_cast<int>(
      std::count_if(calls_.begin(), calls_.end(), [&](const Call& c) { return c.user_id == user_id; }));
}

}  // namespace rkd::testkit

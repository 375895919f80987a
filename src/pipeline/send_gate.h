// SendGate: whether a client may be emailed now, by the sending controls the person
// running Rekindle has set (a global pause, a daily cap and an hourly rate, quiet hours
// in the client's time zone). The email processor asks it before writing a batch's
// emails; a client it turns away is not dropped: the journey step stays due and goes out
// when the gate opens (the sweeper's due scan hands it to the processor again). The dry
// run asks the same question without taking anything (Preview), so what it shows is what
// the pipeline then does.
#pragma once

#include <vector>

#include "base/status.h"
#include "base/time.h"
#include "domain/user.h"

namespace rkd {

enum class GateVerdict {
  kSend,        // may be emailed now (and, from Admit, counted against the caps)
  kPaused,      // sending is paused (by hand, or until the shop's settings are complete)
  kQuietHours,  // it is night where the client lives
  kCapped,      // the daily cap or the hourly rate is used up
};

struct GateAnswer {
  GateVerdict verdict = GateVerdict::kSend;
  Millis not_before = 0;  // when not kSend: the earliest time worth asking again (0: unknown)
};

class SendGate {
 public:
  virtual ~SendGate() = default;
  // One answer per user, in order. The users answered kSend take their share of the
  // caps atomically (across processes sharing the store), so two workers never exceed a
  // cap together.
  virtual Result<std::vector<GateAnswer>> Admit(const std::vector<const User*>& users, Millis now) = 0;
  // The same answers, taking nothing: the dry run.
  virtual Result<std::vector<GateAnswer>> Preview(const std::vector<const User*>& users, Millis now) = 0;
};

// A gate that is always open: the in-process tests' default, and what a pipeline without
// sending controls does.
class OpenGate : public SendGate {
 public:
  Result<std::vector<GateAnswer>> Admit(const std::vector<const User*>& users, Millis) override {
    return std::vector<GateAnswer>(users.size());
  }
  Result<std::vector<GateAnswer>> Preview(const std::vector<const User*>& users, Millis) override {
    return std::vector<GateAnswer>(users.size());
  }
};

}  // namespace rkd

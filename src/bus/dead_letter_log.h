// The one log line a message gets when it moves to a dead-letter queue: at warning level,
// with its queue, its event (the dedup id), how many times it was received and why it
// failed. Each bus calls it once per message, after the move is durable (the embedded bus
// after its transaction commits; NATS once the dead-letter record is acknowledged), so a
// log-based alert counts dead letters exactly.
#pragma once

#include <string>

#include "base/log.h"

namespace rkd {

inline void LogDeadLettered(const std::string& queue, const std::string& event, int receives,
                            const std::string& reason) {
  LogWarn("dead-lettered", {{"queue", queue}, {"event", event}, {"receives", receives}, {"reason", reason}});
}

}  // namespace rkd

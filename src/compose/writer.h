// Writer: turns a client at risk into a re-engagement email. Implementations: the
// offline template writer (the default) and, later, an OpenAI-compatible one.
// Compose is thread-safe in every implementation.
#pragma once

#include <string>

#include "base/status.h"
#include "base/time.h"
#include "domain/user.h"

namespace rkd {

struct ComposeRequest {
  const User& user;
  double score = 0;
  Millis now = 0;
  std::string shop_url;         // the call to action's target (with campaign parameters)
  std::string unsubscribe_url;  // shown in the body
};

struct ComposedEmail {
  std::string subject;
  std::string text;
  std::string html;
  std::string writer;  // which Writer produced it
  int prompt_tokens = 0;
  int completion_tokens = 0;
};

class Writer {
 public:
  virtual ~Writer() = default;
  // Unavailable for a fault worth retrying; any other error is permanent.
  virtual Result<ComposedEmail> Compose(const ComposeRequest& request) = 0;
};

}  // namespace rkd

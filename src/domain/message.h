// A win-back message as the dashboard edits it (issue 12): the Mustache templates an
// email is written from (subject, text, HTML) and, for the LLM writer, instructions added
// to its prompt. Named as a journey step names it ("winback-1"…): a stored message
// overrides the built-in templates of that name (templates/), which stay the default and
// the fallback. Every saved version is kept, with who saved it, when, and why. Plain
// values; thread-compatible.
#pragma once

#include <cstdint>
#include <string>

#include "base/time.h"

namespace rkd {

// The first step's message: the built-in default templates (templates/reengagement/).
inline constexpr const char* kDefaultMessage = "winback-1";

struct MessageContent {
  std::string subject, text, html;
  std::string instructions;  // empty: the LLM writer's own prompt alone
};

struct MessageVersion {
  std::string name;
  int64_t version = 0;  // 0: the built-in templates, never saved
  MessageContent content;
  std::string note;  // what the author said changed
  Millis created_at = 0;
  std::string created_by;
};

}  // namespace rkd

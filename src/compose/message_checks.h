// What a message edited in the dashboard must be before it is saved (issue 12), so that
// a marketer learns of a mistake at the editor, not from a client: a name a journey step
// can use; each template parses; only the placeholders the template writer fills (a typo
// such as {{fristName}} would render as nothing); the shop linked in the text and as a
// link in the HTML; no script, frame or event handler in the HTML; sizes within the
// email's caps; and, rendered for a regular client and for a newcomer without orders, a
// subject of 1–120 characters and a text body. Errors name the field ("name", "subject",
// "text", "html", "instructions") and why. Pure; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "base/time.h"
#include "domain/message.h"

namespace rkd {

// A message's name: 1–64 of a-z, 0-9 and '-', starting with a letter or digit.
Status CheckMessageName(const std::string& name);
Status CheckMessageContent(const MessageContent& message, Millis now);

// The placeholders the template writer fills (compose/template_writer.cc), sorted.
const std::vector<std::string>& MessagePlaceholders();

}  // namespace rkd

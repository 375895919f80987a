// The prompt for the LLM writer: a system message with the rules of a good
// re-engagement email, and a user message with the client's profile as JSON (name, last
// order date, number of orders, average order value, preferred categories) and the exact
// call-to-action link. Pure and thread-safe.
#pragma once

#include <string>

#include "compose/writer.h"

namespace rkd {

struct Prompt {
  std::string system;
  std::string user;
  std::string cta_url;  // the link the email must carry (shop_url with campaign parameters)
};

// `json_instruction`: spell out the JSON shape in the system message (for JSON mode and
// plain content; structured output carries the schema instead).
Prompt BuildPrompt(const ComposeRequest& request, bool json_instruction);

// shop_url with the campaign's utm parameters (the template writer's link too).
std::string CallToActionUrl(const std::string& shop_url);

// A rough token count for rate limiting and for servers that report no usage:
// about four characters per token.
int EstimateTokens(const std::string& text);

}  // namespace rkd

// Writer: turns a client at risk into a re-engagement email (subject, text and HTML
// body). Implementations: TemplateWriter (compose/template_writer.h, Mustache templates,
// the default and the fallback) and OpenAiWriter (compose/openai_writer.h, an
// OpenAI-compatible endpoint, used when OPENAI_API_KEY or RKD_WRITER=openai asks for it;
// it hands an email to the template writer when it cannot write a good one). The email
// processor appends the footer (postal address, unsubscribe link) and the tracking to
// what a Writer returns. Compose is thread-safe in every implementation.
#pragma once

#include <string>

#include "base/status.h"
#include "base/time.h"
#include "compose/money.h"
#include "domain/message.h"
#include "domain/shop_settings.h"
#include "domain/user.h"

namespace rkd {

// The shop's brand in its emails, from the settings (issue 12).
struct Brand {
  std::string shop_name;  // empty: the email does not name the shop
  std::string logo_url;   // empty: no logo
  std::string currency = kDefaultCurrency;
  std::string sign_off = "The team";  // the setting, else "The <shop name> team"

  static Brand From(const ShopSettings& s) {
    Brand b;
    b.shop_name = s.shop_name;
    b.logo_url = s.logo_url;
    if (!s.currency.empty()) b.currency = s.currency;
    if (!s.sign_off.empty())
      b.sign_off = s.sign_off;
    else if (!s.shop_name.empty())
      b.sign_off = "The " + s.shop_name + " team";
    return b;
  }
};

struct ComposeRequest {
  const User& user;
  double score = 0;
  Millis now = 0;
  std::string shop_url;         // the call to action's target (with campaign parameters)
  std::string unsubscribe_url;  // shown in the body
  // Which email of the win-back journey this is (issue 16): step `step` of `steps`, with
  // the step's message (the template set, e.g. "winback-2"; a writer without it uses its
  // default). A second or third email says so rather than repeating the first.
  int step = 1;
  int steps = 1;
  std::string message;
  Brand brand;
  // The message as stored in the dashboard (issue 12), when there is one by the step's
  // name: the template writer renders its templates, the LLM writer follows its
  // instructions. Null: the built-in templates.
  const MessageVersion* stored = nullptr;
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

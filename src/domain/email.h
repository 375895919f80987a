// A re-engagement email: what was written for a client, and what became of it.
#pragma once

#include <optional>
#include <string>

#include "base/time.h"

namespace rkd {

// Status values on the wire: GENERATED, SENT, OPENED, CLICKED, FAILED.
struct Email {
  std::string email_id;
  std::string user_id;
  std::string subject;
  std::string content;  // the plain-text body
  std::string html;     // the HTML body
  Millis generated_at = 0;
  double engagement_score_at_time = 0;
  std::string status = "GENERATED";
  std::string writer;     // which Writer produced it ("template", "openai")
  int prompt_tokens = 0;  // what an LLM writer spent on it (0 for templates)
  int completion_tokens = 0;
  std::optional<Millis> sent_at;
  std::string error;  // why it FAILED, empty otherwise
  Millis created_at = 0;
  // What became of it (tracking and attribution).
  std::optional<Millis> opened_at;  // unreliable: mail privacy features open everything
  std::optional<Millis> clicked_at;
  std::optional<Millis> converted_at;  // an order within the attribution window
  std::optional<double> conversion_revenue;
  // The journey episode and step it is (issue 16); empty / 0 for an email from before
  // journeys.
  std::string episode_id;
  int step = 0;
  // The rule that chose the client (issue 11, domain/targeting.h): score, churn, score+churn.
  std::string targeting_rule = "score";
  // The experiment it was written for and the variant's index (issue 12); empty / -1 for
  // none.
  std::string experiment_id;
  int variant = -1;

  // Not sent yet (GENERATED), or failed for good on a last try that a redrive retries.
  bool AwaitsSending() const { return status == "GENERATED" || status == "FAILED"; }
};

}  // namespace rkd

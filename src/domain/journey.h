// A win-back journey (issue 16): a short sequence of emails sent to a client who became
// at risk, each step with its own message and its own delay after the one before, with
// exits (an order, an unsubscribe, a bounce, a complaint) and a rest after an episode
// that ended without an order. Journeys are versioned: saving one stores a new version,
// and an episode follows the version it started on. An episode is one client's way
// through it (docs/design.md, "Journeys").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "base/time.h"

namespace rkd {

struct JourneyStep {
  int delay_days = 0;   // after the step before (the first: after the episode starts)
  std::string message;  // the template set, e.g. "winback-1"; the writer falls back to the default
};

struct JourneyDefinition {
  std::vector<JourneyStep> steps;
  int rest_days = 90;  // after an episode that ended without an order
  // The exits, fixed: an order (converted), an unsubscribe, a bounce, a complaint.
  static const std::vector<std::string>& Exits();
};

struct JourneyVersion {
  int64_t version = 0;
  JourneyDefinition definition;
  Millis created_at = 0;
  std::string created_by;
};

// Why an episode ended.
inline constexpr const char* kEndConverted = "converted";
inline constexpr const char* kEndUnsubscribed = "unsubscribed";
inline constexpr const char* kEndBounced = "bounced";
inline constexpr const char* kEndComplained = "complained";
inline constexpr const char* kEndCompleted = "completed";
inline constexpr const char* kEndDeleted = "deleted";
inline constexpr const char* kEndNoAddress = "noAddress";  // an imported client's placeholder address

struct Episode {
  std::string episode_id;
  std::string user_id;
  int64_t number = 1;  // the client's first, second … episode
  int64_t journey_version = 0;
  Millis started_at = 0;
  int step = 0;                       // steps sent so far
  int steps = 0;                      // the journey's steps when it started
  std::optional<Millis> next_due_at;  // when the next step is due; none once ended
  std::optional<Millis> ended_at;
  std::string end_reason;  // empty while it runs
  // The rule that chose the client when it started (domain/targeting.h); its emails carry it.
  std::string targeting_rule = "score";

  bool open() const { return !ended_at.has_value(); }
};

// The journey a fresh store starts with: day 0, 10 and 24, then 90 days of rest.
JourneyDefinition DefaultJourney();

// The stored JSON: {"steps": [{"delayDays", "message"}], "restDays", "exits"}.
std::string EncodeJourneyDefinition(const JourneyDefinition& definition);
Result<JourneyDefinition> DecodeJourneyDefinition(const std::string& json);

// An episode's id: from its client and number, so two workers that start one client's
// episode at once start the same one.
std::string EpisodeIdFor(const std::string& user_id, int64_t number);
// The id of the email of an episode's step: a redelivered event finds the step it sent.
std::string StepEmailId(const std::string& episode_id, int step);

}  // namespace rkd

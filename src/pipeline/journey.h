// The journey's decision (issue 16): for one client, now, what the win-back journey does
// next. Pure: it reads what it is given and writes nothing, so the email processor and
// the dry run (POST /api/journey/dry-run) decide alike.
//
// The rules (README, "Journeys"; docs/invariants.md):
// - An open episode ends at the first exit found: an order dated after it started
//   (converted), the address on the suppression list (unsubscribed, bounced,
//   complained; a suppression added by hand counts as unsubscribed); else its next step
//   goes out once due and once the cooldown since the client's last email has passed
//   (the floor between any two emails); after the last step it ends as completed.
// - Without an open episode, a client at risk, not suppressed, not held out, not resting
//   and out of the cooldown starts one. Resting: their last episode ended without an
//   order less than restDays ago.
// - A held-out client starts no episode and gets no email: recorded as held out (at most
//   once per cooldown), as before journeys, so the holdout stays the baseline of "no
//   win-back at all".
// - Step k is due at the previous step's send time + its delay (step 1 at the start +
//   the first delay): a first delay of 0 sends step 1 at once.
#pragma once

#include <optional>
#include <string>

#include "domain/journey.h"
#include "domain/user.h"

namespace rkd {

struct JourneyInput {
  const User* user = nullptr;
  bool at_risk = false;
  std::optional<Episode> episode;  // the client's latest, open or ended
  // The definition of the open episode's version; for a new episode, the current one.
  const JourneyVersion* episode_journey = nullptr;
  const JourneyVersion* current_journey = nullptr;
  std::optional<std::string> suppression_reason;  // on the suppression list: why
  bool held_out = false;
  Millis cooldown = 7 * kMillisPerDay;
  Millis now = 0;
};

enum class JourneyAction {
  kNothing,  // see `why`
  kStart,    // start `episode` (its first step not due yet: the due scan brings it)
  kSend,     // send step `step` of `episode` (a new one when `starts`), then `after`
  kEnd,      // end the open episode with `end_reason`
  kHoldOut,  // would start, but the client is held out: record it, send nothing
};

enum class Why {
  kNone,
  kNotAtRisk,
  kSuppressed,
  kNoAddress,  // an imported client without an email address (a placeholder under .invalid)
  kResting,
  kNotDue,
  kCooldown,
};

struct JourneyDecision {
  JourneyAction action = JourneyAction::kNothing;
  Why why = Why::kNone;
  Episode episode;                       // kStart, kSend, kEnd: the episode as it is now (kStart/new: to store)
  bool starts = false;                   // kSend: the episode is new (stored with its first email)
  int step = 0;                          // kSend: 1-based
  const JourneyStep* message = nullptr;  // kSend: the step's definition
  Episode after;                         // kSend: the episode once the step's email is reserved at `now`
  std::string end_reason;                // kEnd
  Millis rest_until = 0;                 // kNothing/kResting: when the rest ends
};

JourneyDecision DecideJourney(const JourneyInput& in);

// The end reason a suppression gives an episode.
std::string EndReasonForSuppression(const std::string& reason);

// Checks a definition a person sends (PUT /api/journey): 1 to 10 steps, each delay 0 to
// 365 days, every delay after the first at least the cooldown (in whole days, rounded
// up), messages named [a-z0-9-] (1-64), restDays 0 to 3650. InvalidArgument naming the
// field ("steps[1].delayDays") otherwise.
Status ValidateJourney(const JourneyDefinition& definition, Millis cooldown);

}  // namespace rkd

#include "pipeline/journey.h"

namespace rkd {

std::string EndReasonForSuppression(const std::string& reason) {
  if (reason == "bounced") return kEndBounced;
  if (reason == "complained") return kEndComplained;
  return kEndUnsubscribed;  // unsubscribed, or added by hand: the client is not to be emailed
}

namespace {

// The episode once step `step` is reserved at `now`: the next step's due time, or its end.
Episode AfterStep(Episode e, int step, const JourneyDefinition& d, Millis now) {
  e.step = step;
  if (step >= e.steps || step >= static_cast<int>(d.steps.size())) {
    e.next_due_at.reset();
    e.ended_at = now;
    e.end_reason = kEndCompleted;
  } else {
    e.next_due_at = now + Millis{d.steps[static_cast<size_t>(step)].delay_days} * kMillisPerDay;
  }
  return e;
}

bool InCooldown(const JourneyInput& in) {
  return in.user->last_email_date && in.now - *in.user->last_email_date < in.cooldown;
}

bool OrderedSince(const User& u, Millis t) { return u.last_order_date && *u.last_order_date >= t; }

}  // namespace

JourneyDecision DecideJourney(const JourneyInput& in) {
  JourneyDecision out;
  const User& u = *in.user;
  if (in.episode && in.episode->open()) {
    const Episode& e = *in.episode;
    out.episode = e;
    if (OrderedSince(u, e.started_at)) {
      out.action = JourneyAction::kEnd;
      out.end_reason = kEndConverted;
      return out;
    }
    if (in.suppression_reason) {
      out.action = JourneyAction::kEnd;
      out.end_reason = EndReasonForSuppression(*in.suppression_reason);
      return out;
    }
    if (IsPlaceholderAddress(u.email)) {
      out.action = JourneyAction::kEnd;
      out.end_reason = kEndNoAddress;
      return out;
    }
    const JourneyDefinition& d = in.episode_journey->definition;
    if (e.step >= e.steps || e.step >= static_cast<int>(d.steps.size())) {
      out.action = JourneyAction::kEnd;
      out.end_reason = kEndCompleted;
      return out;
    }
    if (e.next_due_at && *e.next_due_at > in.now) {
      out.why = Why::kNotDue;
      return out;
    }
    if (InCooldown(in)) {
      out.why = Why::kCooldown;
      return out;
    }
    out.action = JourneyAction::kSend;
    out.step = e.step + 1;
    out.message = &d.steps[static_cast<size_t>(e.step)];
    out.after = AfterStep(e, out.step, d, in.now);
    return out;
  }
  if (!in.at_risk) {
    out.why = Why::kNotAtRisk;
    return out;
  }
  if (in.suppression_reason) {
    out.why = Why::kSuppressed;
    return out;
  }
  // A client imported without an address is scored, never emailed (nor held out: the
  // holdout compares clients who could have been emailed).
  if (IsPlaceholderAddress(u.email)) {
    out.why = Why::kNoAddress;
    return out;
  }
  if (in.held_out) {
    out.action = JourneyAction::kHoldOut;
    return out;
  }
  if (in.episode && in.episode->ended_at && in.episode->end_reason != kEndConverted &&
      !OrderedSince(u, in.episode->started_at)) {
    const JourneyVersion* rested_on = in.episode_journey ? in.episode_journey : in.current_journey;
    out.rest_until = *in.episode->ended_at + Millis{rested_on->definition.rest_days} * kMillisPerDay;
    if (in.now < out.rest_until) {
      out.why = Why::kResting;
      return out;
    }
  }
  if (InCooldown(in)) {
    out.why = Why::kCooldown;
    return out;
  }
  const JourneyDefinition& d = in.current_journey->definition;
  Episode e;
  e.number = in.episode ? in.episode->number + 1 : 1;
  e.episode_id = EpisodeIdFor(u.user_id, e.number);
  e.user_id = u.user_id;
  e.journey_version = in.current_journey->version;
  e.started_at = in.now;
  e.steps = static_cast<int>(d.steps.size());
  e.next_due_at = in.now + Millis{d.steps.front().delay_days} * kMillisPerDay;
  out.episode = e;
  if (*e.next_due_at > in.now) {
    out.action = JourneyAction::kStart;
    return out;
  }
  out.action = JourneyAction::kSend;
  out.starts = true;
  out.step = 1;
  out.message = &d.steps.front();
  out.after = AfterStep(e, 1, d, in.now);
  return out;
}

Status ValidateJourney(const JourneyDefinition& d, Millis cooldown) {
  if (d.steps.empty() || d.steps.size() > 10) return Status::InvalidArgument("a journey has 1 to 10 steps", "steps");
  const int floor_days = static_cast<int>((cooldown + kMillisPerDay - 1) / kMillisPerDay);
  for (size_t i = 0; i < d.steps.size(); ++i) {
    const JourneyStep& s = d.steps[i];
    const std::string at = "steps[" + std::to_string(i) + "]";
    if (s.delay_days < 0 || s.delay_days > 365)
      return Status::InvalidArgument(at + ".delayDays must be 0 to 365 days", at + ".delayDays");
    if (i > 0 && s.delay_days < floor_days)
      return Status::InvalidArgument(at + ".delayDays must be at least the cooldown between two emails (" +
                                         std::to_string(floor_days) + " days, RKD_EMAIL_COOLDOWN_DAYS)",
                                     at + ".delayDays");
    bool name_ok = !s.message.empty() && s.message.size() <= 64;
    for (char c : s.message)
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) name_ok = false;
    if (!name_ok)
      return Status::InvalidArgument(at + ".message must be a template set's name: 1 to 64 of a-z, 0-9 and -",
                                     at + ".message");
  }
  if (d.rest_days < 0 || d.rest_days > 3650) return Status::InvalidArgument("restDays must be 0 to 3650", "restDays");
  return Status::Ok();
}

}  // namespace rkd

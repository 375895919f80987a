#include "pipeline/email_processor.h"

#include <algorithm>
#include <cctype>
#include <condition_variable>
#include <future>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "base/ids.h"
#include "base/log.h"
#include "delivery/email_footer.h"
#include "delivery/signed_token.h"
#include "delivery/tracking_links.h"
#include "experiments/variant_assignment.h"
#include "metrics/pipeline_metrics.h"
#include "pipeline/churn_views.h"
#include "pipeline/user_event.h"

namespace rkd {
namespace {

constexpr std::chrono::milliseconds kStoreWaitStep{50};  // how often a waiting worker looks
// How often a paused worker looks at the switch again.
constexpr std::chrono::milliseconds kPausedWaitStep{200};

std::string AsciiLower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

std::chrono::milliseconds EmailProcessor::Backoff(int receive_count) const {
  const int exponent = std::clamp(receive_count - 1, 0, 20);
  return std::min(options_.retry_base * (int64_t{1} << exponent), options_.retry_cap);
}

Status EmailProcessor::Handle(const Message& message, std::chrono::milliseconds* retry_after) {
  std::vector<std::chrono::milliseconds> retry(1, std::chrono::milliseconds(0));
  Status st = HandleBatch({message}, &retry)[0];
  if (retry_after && retry[0].count() > 0) *retry_after = retry[0];
  return st;
}

Result<JourneyVersion> EmailProcessor::JourneyOf(int64_t version) {
  {
    std::lock_guard lock(journeys_mu_);
    if (auto it = journeys_.find(version); it != journeys_.end()) return it->second;
  }
  auto j = store_.GetJourney(version);
  if (!j.ok()) return j.status();
  std::lock_guard lock(journeys_mu_);
  journeys_.emplace(version, *j);  // a version never changes: kept for good
  return j;
}

std::vector<Status> EmailProcessor::HandleBatch(const std::vector<Message>& messages,
                                                std::vector<std::chrono::milliseconds>* retry_after) {
  const size_t n = messages.size();
  std::vector<Status> results(n);
  std::vector<std::chrono::milliseconds> retry(n, std::chrono::milliseconds(0));
  // Each client's way through the batch: the event that brought them, their state, what
  // the journey decides, the email.
  struct Item {
    size_t index = 0;
    UserEvent event;
    User* user = nullptr;
    std::optional<Episode> episode;  // the latest
    std::optional<std::string> suppression;
    JourneyDecision decision;
    JourneyVersion episode_journey;
  };
  std::vector<Item> items;
  std::map<std::string, size_t> first_for_user;   // user id → the item that handles them
  std::vector<std::optional<size_t>> same_as(n);  // another event for that client: its outcome
  std::vector<std::string> user_ids;
  for (size_t i = 0; i < n; ++i) {
    auto event = DecodeEvent(messages[i].body);
    if (!event.ok()) {
      results[i] = event.status();  // poison: retried, then dead-lettered for a person to see
      continue;
    }
    LogInfo("event",
            {{"eventId", event->event_id}, {"userId", event->user_id}, {"receiveCount", messages[i].receive_count}});
    // The journey decides per client: a second event for one in the same batch would
    // decide the same.
    if (auto it = first_for_user.find(event->user_id); it != first_for_user.end()) {
      same_as[i] = items[it->second].index;
      continue;
    }
    first_for_user.emplace(event->user_id, items.size());
    user_ids.push_back(event->user_id);
    items.push_back({i, std::move(event).value()});
  }
  // Fails every item in `which` with `st`.
  auto fail = [&](const std::vector<Item*>& which, const Status& st) {
    for (Item* item : which) results[item->index] = st;
  };
  auto finish = [&] {
    for (size_t i = 0; i < n; ++i)
      if (same_as[i]) {
        results[i] = results[*same_as[i]];
        retry[i] = retry[*same_as[i]];
      }
    if (retry_after) *retry_after = retry;
    return results;
  };
  std::vector<Item*> all;
  for (Item& item : items) all.push_back(&item);
  if (items.empty()) return finish();

  // The users' current state, not the events' images, with their latest episodes and
  // the journey (one read each for the batch).
  auto users = store_.GetUsers(user_ids);
  if (!users.ok()) {
    fail(all, users.status());
    return finish();
  }
  std::map<std::string, User> user_by_id;
  for (User& u : *users) user_by_id.emplace(u.user_id, std::move(u));
  auto episodes = store_.LatestEpisodes(user_ids);
  if (!episodes.ok()) {
    fail(all, episodes.status());
    return finish();
  }
  std::map<std::string, Episode> episode_by_user;
  for (Episode& e : *episodes) episode_by_user.emplace(e.user_id, std::move(e));
  auto current = store_.GetJourney();
  if (!current.ok()) {
    fail(all, current.status());
    return finish();
  }
  std::vector<std::string> addresses;
  std::vector<Item*> present;
  for (Item& item : items) {
    auto u = user_by_id.find(item.event.user_id);
    if (u == user_by_id.end()) continue;  // deleted since: nothing to do
    item.user = &u->second;
    if (auto e = episode_by_user.find(item.user->user_id); e != episode_by_user.end()) item.episode = e->second;
    addresses.push_back(item.user->email);
    present.push_back(&item);
  }
  auto suppressed = store_.SuppressionsAmong(addresses);
  if (!suppressed.ok()) {
    fail(present, suppressed.status());
    return finish();
  }
  std::map<std::string, std::string> suppression_by_address;  // lower case → reason
  for (const Suppression& s : *suppressed) suppression_by_address.emplace(AsciiLower(s.email), s.reason);
  // The churn model's word on them, when the targeting asks for it (issue 11).
  std::vector<const User*> present_users;
  for (const Item* item : present) present_users.push_back(item->user);
  auto churn = ChurnViewsOf(store_, options_.targeting, present_users);
  if (!churn.ok()) {
    fail(present, churn.status());
    return finish();
  }

  const Millis now = clock_.Now();
  // The email of each client's latest step: a redelivered event (or a redrive) finishes
  // what the last attempt started, through the same reservation and send lease.
  std::vector<std::string> step_email_ids;
  for (Item* item : present)
    if (item->episode && item->episode->step > 0)
      step_email_ids.push_back(StepEmailId(item->episode->episode_id, item->episode->step));
  auto existing = store_.GetEmails(step_email_ids);
  if (!existing.ok()) {
    fail(present, existing.status());
    return finish();
  }
  std::map<std::string, Email> existing_by_id;
  for (Email& e : *existing) existing_by_id.emplace(e.email_id, std::move(e));

  std::vector<EmailDraft> drafts;  // to reserve: new drafts, and existing emails to finish
  std::vector<Item*> drafted;      // the item of each draft
  std::vector<Item*> sends;        // the journey sends a step: asked of the gate, then written
  std::vector<std::string> rescore;
  std::vector<Episode> starts;  // episodes whose first step is not due yet
  std::vector<Item*> starting;
  std::vector<EpisodeEnd> ends, deferrals;
  std::vector<Item*> ending, deferring;
  for (Item* item : present) {
    const User& user = *item->user;
    const double score = ComputeScore(rules_, user, now);
    if (auto s = suppression_by_address.find(AsciiLower(user.email)); s != suppression_by_address.end())
      item->suppression = s->second;
    const std::string chosen_by = ChosenBy(options_.targeting, rules_, score, ViewOf(*churn, user.user_id));
    JourneyInput in;
    in.user = &user;
    in.at_risk = !chosen_by.empty();
    in.episode = item->episode;
    in.current_journey = &*current;
    if (item->episode) {
      auto j = JourneyOf(item->episode->journey_version);
      if (!j.ok()) {
        results[item->index] = j.status();
        continue;
      }
      item->episode_journey = std::move(j).value();
      in.episode_journey = &item->episode_journey;
    }
    in.suppression_reason = item->suppression;
    in.held_out = InHoldout(user.user_id, options_.holdout_share);
    in.cooldown = options_.cooldown;
    in.now = now;
    item->decision = DecideJourney(in);
    JourneyDecision& d = item->decision;
    // A new episode keeps the rule that chose the client; each of its emails carries it.
    if (d.action == JourneyAction::kStart || (d.action == JourneyAction::kSend && d.starts))
      d.episode.targeting_rule = d.after.targeting_rule = chosen_by;
    // An email of the latest step that was reserved but not sent goes out first, unless
    // the client has left the journey since (an exit: no email after it).
    if (item->episode && item->episode->step > 0 && d.action != JourneyAction::kEnd && !item->suppression &&
        !(user.last_order_date && *user.last_order_date >= item->episode->started_at)) {
      auto e = existing_by_id.find(StepEmailId(item->episode->episode_id, item->episode->step));
      if (e != existing_by_id.end() && e->second.AwaitsSending()) {
        drafts.push_back({e->second, item->event.event_id, std::nullopt});
        drafted.push_back(item);
        continue;
      }
    }
    switch (d.action) {
      case JourneyAction::kSend:
        item->user->engagement_score = score;  // as the reservation stores it
        sends.push_back(item);
        continue;
      case JourneyAction::kStart:
        starts.push_back(d.episode);
        starting.push_back(item);
        break;
      case JourneyAction::kEnd:
        LogInfo("episode ended", {{"userId", user.user_id},
                                  {"episodeId", d.episode.episode_id},
                                  {"step", d.episode.step},
                                  {"reason", d.end_reason}});
        ends.push_back({d.episode.episode_id, d.end_reason, now});
        ending.push_back(item);
        break;
      case JourneyAction::kHoldOut:
        // Scored and recorded, deliberately not emailed: the baseline for the lift.
        LogInfo("held out", {{"userId", user.user_id},
                             {"eventId", item->event.event_id},
                             {"score", score},
                             {"targetingRule", chosen_by}});
        results[item->index] =
            store_.RecordHoldout(user.user_id, item->event.event_id, score, chosen_by, options_.cooldown);
        break;
      case JourneyAction::kNothing:
        // Due, but another email went out within the cooldown: due again once it passed,
        // so the due scan does not hand it over every minute meanwhile.
        if (d.why == Why::kCooldown && item->episode && item->episode->open() && user.last_email_date) {
          deferrals.push_back({item->episode->episode_id, "", *user.last_email_date + options_.cooldown});
          deferring.push_back(item);
        }
        break;
    }
    // Store a score that time has moved (a reservation below stores it otherwise).
    if (score != user.engagement_score) rescore.push_back(user.user_id);
  }
  if (!rescore.empty()) {
    if (auto refreshed = store_.RefreshScores(rescore); !refreshed.ok())
      for (Item* item : present)
        if (std::find(rescore.begin(), rescore.end(), item->user->user_id) != rescore.end())
          results[item->index] = refreshed.status();
  }
  if (Status st = store_.StartEpisodes(starts); !st.ok()) fail(starting, st);
  if (Status st = store_.EndEpisodes(ends); !st.ok()) fail(ending, st);

  // The sending controls: a client turned away stays due (a new episode is stored with
  // its first step due) and the event is done; the due scan hands it over again when the
  // gate says it is worth asking (or after gate_retry).
  std::vector<Item*> admitted;
  if (!sends.empty()) {
    std::vector<const User*> asking;
    for (Item* item : sends) asking.push_back(item->user);
    auto answers = gate_.Admit(asking, now);
    if (!answers.ok()) {
      fail(sends, answers.status());
    } else {
      std::vector<Episode> waiting;
      std::vector<Item*> waiting_items;
      for (size_t k = 0; k < sends.size(); ++k) {
        Item* item = sends[k];
        const GateAnswer& a = (*answers)[k];
        if (a.verdict == GateVerdict::kSend) {
          admitted.push_back(item);
          continue;
        }
        const Millis again = a.not_before > now ? a.not_before : now + options_.gate_retry.count();
        LogInfo("turned away by the sending controls",
                {{"userId", item->user->user_id}, {"step", item->decision.step}, {"until", FormatRfc3339(again)}});
        Episode e = item->decision.episode;
        if (item->decision.starts) {
          e.next_due_at = again;
          waiting.push_back(e);
          waiting_items.push_back(item);
        } else {
          deferrals.push_back({e.episode_id, "", again});
          deferring.push_back(item);
        }
      }
      if (Status st = store_.StartEpisodes(waiting); !st.ok()) fail(waiting_items, st);
    }
  }
  if (Status st = store_.DeferEpisodes(deferrals); !st.ok()) fail(deferring, st);

  // Compose: a slow writer (an LLM) writes the batch's emails side by side, so that one
  // worker keeps up to a batch of requests in flight; a fast one writes them in turn.
  std::vector<Result<Email>> composed(admitted.size(), Status::Internal("not composed"));
  auto compose = [&](size_t k) {
    const Item& item = *admitted[k];
    const JourneyDecision& d = item.decision;
    composed[k] = Compose(*item.user, StepEmailId(d.episode.episode_id, d.step), d, now);
  };
  if (options_.parallel_batch && admitted.size() > 1) {
    std::vector<std::future<void>> pending;
    for (size_t k = 0; k < admitted.size(); ++k) pending.push_back(std::async(std::launch::async, compose, k));
    for (auto& f : pending) f.get();
  } else {
    for (size_t k = 0; k < admitted.size(); ++k) compose(k);
  }
  for (size_t k = 0; k < admitted.size(); ++k) {
    if (!composed[k].ok()) {
      results[admitted[k]->index] = composed[k].status();
      continue;
    }
    drafts.push_back({std::move(composed[k]).value(), admitted[k]->event.event_id, admitted[k]->decision.after});
    drafted.push_back(admitted[k]);
  }
  if (drafts.empty()) return finish();

  // One transaction reserves the batch (and moves each episode with its step's email);
  // the send lease is per email.
  auto reservations = store_.ReserveEmails(drafts, options_.cooldown, options_.visibility_timeout.count());
  if (!reservations.ok()) {
    fail(drafted, reservations.status());
    return finish();
  }
  std::vector<Email> to_send;
  std::vector<Item*> sending;
  for (size_t k = 0; k < drafted.size(); ++k) {
    Result<EmailReservation>& r = (*reservations)[k];
    Item* item = drafted[k];
    if (r.status().IsNotFound()) continue;  // the user was deleted
    if (!r.ok()) {
      results[item->index] = r.status();
      continue;
    }
    switch (r->outcome) {
      case EmailReservation::Outcome::kCooldown:
        continue;  // another trigger won the race for this user
      case EmailReservation::Outcome::kClaimed:
        // Another delivery of this event is sending it: come back later and find it sent.
        // The lease lasts at most a visibility timeout; an earlier retry would find it
        // still held (a delivery that died mid-send, e.g. while the database restarted,
        // holds it to the end) and spend the event's receives until it is dead-lettered.
        retry[item->index] = options_.visibility_timeout;
        results[item->index] = Status::Unavailable("email " + r->email.email_id + " is being sent by another delivery");
        continue;
      case EmailReservation::Outcome::kExisting:
        if (!r->email.AwaitsSending()) continue;  // delivered
        [[fallthrough]];
      case EmailReservation::Outcome::kReserved:
        to_send.push_back(std::move(r->email));
        sending.push_back(item);
    }
  }
  std::vector<const User*> recipients;
  std::vector<int> receive_counts;
  for (Item* item : sending) {
    recipients.push_back(item->user);
    receive_counts.push_back(messages[item->index].receive_count);
  }
  std::vector<Status> delivered = Deliver(to_send, recipients, receive_counts);
  for (size_t k = 0; k < sending.size(); ++k) results[sending[k]->index] = std::move(delivered[k]);
  return finish();
}

Result<Email> EmailProcessor::Compose(const User& user, const std::string& email_id, const JourneyDecision& step,
                                      Millis now) {
  const MailIdentity identity = Identity();
  const std::string unsubscribe = UnsubscribeUrl(user, identity.public_url);
  // Under a running experiment on the step's message, the client's variant's message.
  std::string message_name = step.message->message;
  std::string experiment_id;
  int variant = -1;
  if (options_.experiments) {
    auto running = options_.experiments->Get(now);
    if (!running.ok()) return running.status();
    if (const Experiment* e = running->get(); e && e->message == message_name) {
      variant = AssignVariant(e->experiment_id, user.user_id, e->weights);
      if (variant >= 0) {
        experiment_id = e->experiment_id;
        message_name = e->variants[static_cast<size_t>(variant)].message;
      }
    }
  }
  // The message as the marketer stored it, when they did; held for this email.
  std::shared_ptr<const MessageCache::Messages> stored;
  const MessageVersion* message = nullptr;
  if (options_.messages) {
    auto got = options_.messages->Get();
    if (!got.ok()) return got.status();
    stored = std::move(got).value();
    if (auto it = stored->find(message_name); it != stored->end()) message = &it->second;
  }
  auto composed = writer_.Compose(ComposeRequest{user, user.engagement_score, now, identity.shop_url, unsubscribe,
                                                 step.step, step.episode.steps, message_name, identity.brand, message});
  if (!composed.ok()) return composed.status();
  // Whatever wrote the body, every email ends with the postal address and the way out.
  AppendFooter(identity.postal_address, unsubscribe, &composed->text, &composed->html);
  if (options_.tracking)
    composed->html = AddTracking(composed->html, identity.public_url, options_.unsubscribe_secret, email_id);
  Email draft;
  draft.email_id = email_id;
  draft.user_id = user.user_id;
  draft.subject = composed->subject;
  draft.content = composed->text;
  draft.html = composed->html;
  draft.generated_at = now;
  draft.engagement_score_at_time = user.engagement_score;
  draft.writer = composed->writer;
  draft.prompt_tokens = composed->prompt_tokens;
  draft.completion_tokens = composed->completion_tokens;
  draft.episode_id = step.episode.episode_id;
  draft.step = step.step;
  draft.targeting_rule = step.episode.targeting_rule;
  draft.experiment_id = std::move(experiment_id);
  draft.variant = variant;
  return draft;
}

// Sends the reserved emails and records their outcomes: as one batch and one transaction
// when the mailer delivers a repeated Message-ID once (a crash between the two re-sends
// the batch, which the outbox recognises); else one message at a time, so a crash
// re-sends at most the message in hand to a mail server that would deliver it twice.
std::vector<Status> EmailProcessor::Deliver(const std::vector<Email>& emails, const std::vector<const User*>& users,
                                            const std::vector<int>& receive_counts) {
  if (mailer_.DeliversRepeatsOnce() || emails.size() <= 1) return DeliverTogether(emails, users, receive_counts);
  std::vector<Status> results;
  for (size_t k = 0; k < emails.size(); ++k)
    results.push_back(DeliverTogether({emails[k]}, {users[k]}, {receive_counts[k]})[0]);
  return results;
}

std::vector<Status> EmailProcessor::DeliverTogether(const std::vector<Email>& emails,
                                                    const std::vector<const User*>& users,
                                                    const std::vector<int>& receive_counts) {
  std::vector<Status> results(emails.size());
  if (emails.empty()) return results;
  std::vector<MailMessage> batch;
  const MailIdentity identity = Identity();
  for (size_t k = 0; k < emails.size(); ++k) {
    const Email& email = emails[k];
    const User& user = *users[k];
    MailMessage m;
    m.message_id = email.email_id + "@rekindle";
    m.from = identity.from;
    m.to_address = user.email;
    m.to_name = user.name;
    m.subject = email.subject;
    m.text = email.content;
    m.html = email.html;
    m.date = email.generated_at;
    m.reply_to = identity.reply_to;
    m.list_unsubscribe = "<" + UnsubscribeUrl(user, identity.public_url) + ">";
    m.one_click_unsubscribe = true;
    batch.push_back(std::move(m));
  }
  const auto started = std::chrono::steady_clock::now();
  std::vector<SendResult> sent = mailer_.SendBatch(batch);
  const double each = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count() /
                      static_cast<double>(batch.size());
  std::vector<EmailOutcome> outcomes;
  const Millis sent_at = clock_.Now();
  for (size_t k = 0; k < emails.size(); ++k) {
    const SendResult& r = sent[k];
    if (options_.metrics)
      options_.metrics->Send(r.outcome == SendResult::Outcome::kSent        ? MailOutcome::kSent
                             : r.outcome == SendResult::Outcome::kPermanent ? MailOutcome::kPermanent
                                                                            : MailOutcome::kRetryable,
                             each);
    const std::string& id = emails[k].email_id;
    switch (r.outcome) {
      case SendResult::Outcome::kSent:
        LogInfo("email sent",
                {{"emailId", id}, {"userId", emails[k].user_id}, {"score", emails[k].engagement_score_at_time}});
        outcomes.push_back({id, "SENT", sent_at, ""});
        break;
      case SendResult::Outcome::kPermanent:
        LogWarn("email failed", {{"emailId", id}, {"error", r.detail}});
        outcomes.push_back({id, "FAILED", std::nullopt, r.detail});
        break;
      case SendResult::Outcome::kRetryable:
        // On the last receive the message goes to the dead-letter queue: record why. Else
        // the email stays GENERATED with the error, and its send lease ends for the retry.
        outcomes.push_back(
            {id, receive_counts[k] >= options_.max_receives ? "FAILED" : "GENERATED", std::nullopt, r.detail});
        break;
    }
  }
  // One transaction records the batch; each outcome is counted once the store has it, so
  // the counter and the store's figures agree.
  auto finished = store_.FinishEmails(outcomes);
  for (size_t k = 0; k < emails.size(); ++k) {
    Status& result = results[k];
    if (!finished.ok()) {
      result = finished.status();
    } else if (!(*finished)[k].ok()) {
      result = (*finished)[k];
    } else {
      if (options_.metrics && outcomes[k].status != "GENERATED")
        options_.metrics->Finished(outcomes[k].status, emails[k].writer);
      if (sent[k].outcome == SendResult::Outcome::kRetryable) result = Status::Unavailable(sent[k].detail);
    }
  }
  return results;
}

bool InHoldout(const std::string& user_id, double share) {
  if (share <= 0) return false;
  uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a
  for (unsigned char c : "holdout:" + user_id) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return static_cast<double>(h % 10000) < share * 10000;
}

std::string EmailProcessor::UnsubscribeUrl(const User& user, const std::string& public_url) const {
  // Bound to the address this email goes to: the link must not act on a later one.
  return public_url + "/u/" + SignUnsubscribeToken(options_.unsubscribe_secret, user.user_id, user.email);
}

EmailProcessor::MailIdentity EmailProcessor::Identity() const {
  MailIdentity id{options_.mail_from, options_.reply_to, options_.postal_address, options_.public_url,
                  options_.shop_url};
  if (!options_.settings) return id;
  const ShopSettings s = options_.settings->Get();
  id.brand = Brand::From(s);
  if (!s.sender_email.empty()) id.from = s.MailFrom();
  if (!s.reply_to.empty()) id.reply_to = s.reply_to;
  if (!s.postal_address.empty()) id.postal_address = s.postal_address;
  if (!s.public_url.empty()) id.public_url = s.public_url;
  if (!s.shop_url.empty()) id.shop_url = s.shop_url;
  return id;
}

namespace {

// Extends a batch's visibility every third of the timeout until destroyed.
class VisibilityKeeper {
 public:
  VisibilityKeeper(Bus& bus, const std::string& queue, std::vector<std::string> receipts,
                   std::chrono::milliseconds visibility)
      : thread_([this, &bus, &queue, receipts = std::move(receipts), period = visibility / 3] {
          std::unique_lock lock(mu_);
          while (!cv_.wait_for(lock, period, [this] { return done_; }))
            if (Status st = bus.Extend(queue, receipts); !st.ok())
              LogWarn("cannot extend visibility", {{"error", st.ToString()}});
        }) {}
  ~VisibilityKeeper() {
    {
      std::lock_guard lock(mu_);
      done_ = true;
    }
    cv_.notify_one();
    thread_.join();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
  std::thread thread_;
};

}  // namespace

bool EmailProcessor::AwaitStore(const std::atomic<bool>& stop) {
  while (store_breaker_.state() != CircuitBreaker::State::kClosed) {
    if (stop.load()) return false;
    // Half-open: one worker probes, the others wait for its answer.
    if (store_breaker_.state() == CircuitBreaker::State::kHalfOpen && store_breaker_.Allow()) {
      if (Status ping = store_.Ping(); ping.ok()) {
        store_breaker_.RecordSuccess();
        LogInfo("store reachable again: receiving");
        return true;
      }
      store_breaker_.RecordFailure();
    }
    std::this_thread::sleep_for(std::min<std::chrono::milliseconds>(options_.store_probe_interval, kStoreWaitStep));
  }
  return true;
}

bool EmailProcessor::IsStoreOutage(const Status& st, std::chrono::milliseconds retry_after,
                                   std::optional<bool>* store_down) {
  // A retryable failure that names no retry time: the store's (or the mailer's, which
  // is the event's to retry) when the store still answers.
  if (st.code() != Code::kUnavailable || retry_after.count() > 0) return false;
  if (!store_down->has_value()) {
    const Status ping = store_.Ping();
    *store_down = !ping.ok();
    if (!ping.ok()) {
      store_breaker_.RecordFailure();
      LogWarn("store unreachable: holding the batch, receiving nothing until it answers", {{"error", ping.ToString()}});
    }
  }
  return **store_down;
}

void EmailProcessor::RunWorker(const std::atomic<bool>& stop, int worker_index) {
  LogInfo("email worker started", {{"worker", worker_index}, {"queue", options_.queue}});
  auto last_purge = std::chrono::steady_clock::now();
  while (!stop.load()) {
    if (!AwaitStore(stop)) break;  // a receive now would only fail, and count
    // Paused: nothing is received, so nothing is sent and no event spends a receive; the
    // events wait on the queue and are handled once sending resumes.
    if (options_.settings && options_.settings->Paused()) {
      std::this_thread::sleep_for(kPausedWaitStep);
      continue;
    }
    auto batch = bus_.Receive(options_.queue, options_.batch_size, std::chrono::milliseconds(500));
    if (!batch.ok()) {
      LogError("receive failed", {{"error", batch.status().ToString()}});
      std::this_thread::sleep_for(std::chrono::seconds(1));
      continue;
    }
    // The batch is handled together (HandleBatch); each message's outcome is its own.
    std::vector<Status> results(batch->size());
    std::vector<std::chrono::milliseconds> retry_after(batch->size(), std::chrono::milliseconds(0));
    std::vector<std::string> receipts;
    for (const Message& m : *batch) receipts.push_back(m.receipt);
    std::optional<VisibilityKeeper> keeper;
    if (!batch->empty()) keeper.emplace(bus_, options_.queue, std::move(receipts), options_.visibility_timeout);
    if (!batch->empty()) results = HandleBatch(*batch, &retry_after);
    // Events that failed because the store went away keep their receive: they stay in
    // hand, still invisible to others, and are handled again once the store answers.
    for (std::optional<bool> store_down;; store_down.reset()) {
      std::vector<size_t> held;
      for (size_t i = 0; i < batch->size(); ++i)
        if (!results[i].ok() && IsStoreOutage(results[i], retry_after[i], &store_down)) held.push_back(i);
      if (held.empty() || !AwaitStore(stop)) break;  // on stop: nacked below, as a crash would
      std::vector<Message> again;
      for (size_t i : held) again.push_back((*batch)[i]);
      std::vector<std::chrono::milliseconds> again_retry;
      const std::vector<Status> again_results = HandleBatch(again, &again_retry);
      for (size_t k = 0; k < held.size(); ++k) {
        results[held[k]] = again_results[k];
        retry_after[held[k]] = again_retry[k];
      }
    }
    keeper.reset();
    std::vector<std::string> acks;
    for (size_t i = 0; i < batch->size(); ++i) {
      const Message& m = (*batch)[i];
      const Status& st = results[i];
      if (st.ok()) {
        acks.push_back(m.receipt);
        continue;
      }
      LogWarn("event failed; will retry",
              {{"error", st.ToString()}, {"receiveCount", m.receive_count}, {"dedupId", m.dedup_id}});
      const auto delay = std::max(Backoff(m.receive_count), retry_after[i]);
      if (Status nack = bus_.Nack(options_.queue, m.receipt, delay, st.ToString()); !nack.ok())
        LogError("nack failed", {{"error", nack.ToString()}});
    }
    // An ack that fails because the bus is away is sent again until the bus answers: a
    // message acked late is not delivered again, so the bus's outage costs it no receive
    // (a stale ack is harmless; see Bus::Ack).
    for (;;) {
      Status ack = bus_.Ack(options_.queue, acks);
      if (ack.ok()) break;
      LogError("ack failed", {{"error", ack.ToString()}});
      if (ack.code() != Code::kUnavailable || stop.load()) break;
      std::this_thread::sleep_for(std::chrono::seconds(1));
    }
    // Retention: one worker purges expired messages now and then.
    if (worker_index == 0 && std::chrono::steady_clock::now() - last_purge > std::chrono::minutes(10)) {
      last_purge = std::chrono::steady_clock::now();
      auto purged = bus_.PurgeExpired();
      if (purged.ok() && *purged > 0) LogInfo("purged expired messages", {{"count", *purged}});
    }
  }
  LogInfo("email worker stopped", {{"worker", worker_index}});
}

}  // namespace rkd

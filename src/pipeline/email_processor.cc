#include "pipeline/email_processor.h"

#include <algorithm>
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
#include "metrics/pipeline_metrics.h"
#include "pipeline/user_event.h"

namespace rkd {
namespace {

constexpr std::chrono::milliseconds kStoreWaitStep{50};  // how often a waiting worker looks
// How often a paused worker looks at the switch again.
constexpr std::chrono::milliseconds kPausedWaitStep{200};

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

std::vector<Status> EmailProcessor::HandleBatch(const std::vector<Message>& messages,
                                                std::vector<std::chrono::milliseconds>* retry_after) {
  const size_t n = messages.size();
  std::vector<Status> results(n);
  std::vector<std::chrono::milliseconds> retry(n, std::chrono::milliseconds(0));
  // Each message's way through the batch: its event, its user, its email.
  struct Item {
    size_t index = 0;
    UserEvent event;
    std::string email_id;
    const User* user = nullptr;
  };
  std::vector<Item> items;
  std::map<std::string, size_t> first_with_email;  // email id → the item that handles it
  std::vector<std::optional<size_t>> same_as(n);   // a second delivery in the batch: its first's outcome
  std::vector<std::string> user_ids, email_ids;
  for (size_t i = 0; i < n; ++i) {
    auto event = DecodeEvent(messages[i].body);
    if (!event.ok()) {
      results[i] = event.status();  // poison: retried, then dead-lettered for a person to see
      continue;
    }
    LogInfo("event",
            {{"eventId", event->event_id}, {"userId", event->user_id}, {"receiveCount", messages[i].receive_count}});
    // Derived from the user and the trigger: a redelivered trigger finds its email.
    std::string email_id = StableId("em-", event->user_id + "|" + event->event_id);
    if (auto it = first_with_email.find(email_id); it != first_with_email.end()) {
      same_as[i] = items[it->second].index;
      continue;
    }
    first_with_email.emplace(email_id, items.size());
    user_ids.push_back(event->user_id);
    email_ids.push_back(email_id);
    items.push_back({i, std::move(event).value(), std::move(email_id), nullptr});
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

  // The users' current state, not the events' images (one read for the batch).
  auto users = store_.GetUsers(user_ids);
  if (!users.ok()) {
    fail(all, users.status());
    return finish();
  }
  std::map<std::string, User> user_by_id;
  for (User& u : *users) user_by_id.emplace(u.user_id, std::move(u));
  auto existing = store_.GetEmails(email_ids);
  if (!existing.ok()) {
    fail(all, existing.status());
    return finish();
  }
  std::map<std::string, Email> existing_by_id;
  for (Email& e : *existing) existing_by_id.emplace(e.email_id, std::move(e));

  const Millis now = clock_.Now();
  std::vector<EmailDraft> drafts;  // to reserve: new drafts, and existing emails to finish
  std::vector<Item*> drafted;      // the item of each draft
  std::vector<Item*> candidates;   // eligible, not yet checked against the suppression list
  std::vector<std::string> rescore;
  std::set<std::string> emailed_in_batch;  // users with a draft in this batch
  for (Item& item : items) {
    auto u = user_by_id.find(item.event.user_id);
    if (u == user_by_id.end()) continue;  // deleted since: nothing to do
    item.user = &u->second;
    // A redelivered trigger finishes what the last attempt started, through the same
    // reservation (and send lease) as a first attempt.
    if (auto e = existing_by_id.find(item.email_id); e != existing_by_id.end()) {
      drafts.push_back({e->second, item.event.event_id});
      drafted.push_back(&item);
      continue;
    }
    const User& user = u->second;
    const double score = ComputeScore(rules_, user, now);
    const bool eligible =
        IsAtRisk(rules_, score) && !(user.last_email_date && now - *user.last_email_date < options_.cooldown);
    if (!eligible) {
      // Store a score that time has moved (a reservation below stores it otherwise).
      if (score != user.engagement_score) rescore.push_back(user.user_id);
      continue;
    }
    // A second trigger for a user this batch already emails falls in the cooldown the
    // first one starts (the store would say so; the writer is spared).
    if (!emailed_in_batch.insert(user.user_id).second) continue;
    u->second.engagement_score = score;
    candidates.push_back(&item);
  }
  if (!rescore.empty()) {
    if (auto refreshed = store_.RefreshScores(rescore); !refreshed.ok())
      for (Item& item : items)
        if (item.user && std::find(rescore.begin(), rescore.end(), item.user->user_id) != rescore.end())
          results[item.index] = refreshed.status();
  }
  if (!candidates.empty()) {
    std::vector<std::string> addresses;
    for (Item* item : candidates) addresses.push_back(item->user->email);
    auto suppressed = store_.SuppressedAmong(addresses);
    if (!suppressed.ok()) {
      fail(candidates, suppressed.status());
      candidates.clear();
    } else {
      const std::set<std::string> off(suppressed->begin(), suppressed->end());
      std::vector<Item*> kept;
      for (Item* item : candidates) {
        if (off.count(item->user->email)) continue;
        if (InHoldout(item->user->user_id, options_.holdout_share)) {
          // Scored and recorded, deliberately not emailed: the baseline for the lift.
          LogInfo("held out", {{"userId", item->user->user_id},
                               {"eventId", item->event.event_id},
                               {"score", item->user->engagement_score}});
          results[item->index] = store_.RecordHoldout(item->user->user_id, item->event.event_id,
                                                      item->user->engagement_score, options_.cooldown);
          continue;
        }
        kept.push_back(item);
      }
      candidates = std::move(kept);
    }
  }
  // Compose: a slow writer (an LLM) writes the batch's emails side by side, so that one
  // worker keeps up to a batch of requests in flight; a fast one writes them in turn.
  std::vector<Result<Email>> composed(candidates.size(), Status::Internal("not composed"));
  auto compose = [&](size_t k) { composed[k] = Compose(*candidates[k]->user, candidates[k]->email_id, now); };
  if (options_.parallel_batch && candidates.size() > 1) {
    std::vector<std::future<void>> pending;
    for (size_t k = 0; k < candidates.size(); ++k) pending.push_back(std::async(std::launch::async, compose, k));
    for (auto& f : pending) f.get();
  } else {
    for (size_t k = 0; k < candidates.size(); ++k) compose(k);
  }
  for (size_t k = 0; k < candidates.size(); ++k) {
    if (!composed[k].ok()) {
      results[candidates[k]->index] = composed[k].status();
      continue;
    }
    drafts.push_back({std::move(composed[k]).value(), candidates[k]->event.event_id});
    drafted.push_back(candidates[k]);
  }
  if (drafts.empty()) return finish();

  // One transaction reserves the batch; the send lease is per email.
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

Result<Email> EmailProcessor::Compose(const User& user, const std::string& email_id, Millis now) {
  const MailIdentity identity = Identity();
  const std::string unsubscribe = UnsubscribeUrl(user, identity.public_url);
  auto composed = writer_.Compose(ComposeRequest{user, user.engagement_score, now, identity.shop_url, unsubscribe});
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

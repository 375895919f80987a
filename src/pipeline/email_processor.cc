#include "pipeline/email_processor.h"

#include <algorithm>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>

#include "base/ids.h"
#include "base/log.h"
#include "delivery/email_footer.h"
#include "delivery/signed_token.h"
#include "delivery/tracking_links.h"
#include "metrics/pipeline_metrics.h"
#include "pipeline/user_event.h"

namespace rkd {

std::chrono::milliseconds EmailProcessor::Backoff(int receive_count) const {
  const int exponent = std::clamp(receive_count - 1, 0, 20);
  return std::min(options_.retry_base * (int64_t{1} << exponent), options_.retry_cap);
}

Status EmailProcessor::Handle(const Message& message, std::chrono::milliseconds* retry_after) {
  auto event = DecodeEvent(message.body);
  if (!event.ok()) return event.status();  // poison: retried, then dead-lettered for a person to see
  LogInfo("event", {{"eventId", event->event_id}, {"userId", event->user_id}, {"receiveCount", message.receive_count}});

  // The user's current state, not the event's image; the score as of now.
  auto current = store_.GetUser(event->user_id);
  if (current.status().IsNotFound()) return Status::Ok();  // deleted since
  if (!current.ok()) return current.status();
  User user = std::move(current).value();
  const Millis now = clock_.Now();
  const double score = ComputeScore(rules_, user, now);

  // A redelivered trigger finds its email and finishes what the last attempt started,
  // through the same reservation (and send lease) as a first attempt.
  const std::string email_id = StableId("em-", user.user_id + "|" + event->event_id);
  auto existing = store_.GetEmail(email_id);
  if (existing.ok()) return Send(*existing, event->event_id, user, message.receive_count, retry_after);
  if (!existing.status().IsNotFound()) return existing.status();

  const bool eligible =
      IsAtRisk(rules_, score) && !(user.last_email_date && now - *user.last_email_date < options_.cooldown);
  if (!eligible) {
    // Store a score that time has moved (a reservation below stores it otherwise).
    if (score != user.engagement_score) {
      auto refreshed = store_.RefreshScores({user.user_id});
      if (!refreshed.ok()) return refreshed.status();
    }
    return Status::Ok();
  }
  user.engagement_score = score;
  auto suppressed = store_.IsSuppressed(user.email);
  if (!suppressed.ok()) return suppressed.status();
  if (*suppressed) return Status::Ok();
  if (InHoldout(user.user_id, options_.holdout_share)) {
    // Scored and recorded, deliberately not emailed: the baseline for the lift.
    LogInfo("held out", {{"userId", user.user_id}, {"eventId", event->event_id}, {"score", score}});
    return store_.RecordHoldout(user.user_id, event->event_id, score, options_.cooldown);
  }

  const std::string unsubscribe = UnsubscribeUrl(user);
  auto composed = writer_.Compose(ComposeRequest{user, user.engagement_score, now, options_.shop_url, unsubscribe});
  if (!composed.ok()) return composed.status();
  // Whatever wrote the body, every email ends with the postal address and the way out.
  AppendFooter(options_.postal_address, unsubscribe, &composed->text, &composed->html);
  if (options_.tracking)
    composed->html = AddTracking(composed->html, options_.public_url, options_.unsubscribe_secret, email_id);

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
  return Send(draft, event->event_id, user, message.receive_count, retry_after);
}

// Reserves the email (or finds it) and sends it when this delivery holds its send lease.
Status EmailProcessor::Send(const Email& draft, const std::string& trigger_id, const User& user, int receive_count,
                            std::chrono::milliseconds* retry_after) {
  auto reservation = store_.ReserveEmail(draft, trigger_id, options_.cooldown, options_.visibility_timeout.count());
  if (reservation.status().IsNotFound()) return Status::Ok();  // the user was deleted
  if (!reservation.ok()) return reservation.status();
  switch (reservation->outcome) {
    case EmailReservation::Outcome::kCooldown:
      return Status::Ok();  // another trigger won the race for this user
    case EmailReservation::Outcome::kClaimed:
      // Another delivery of this event is sending it: come back later and find it sent.
      // The lease lasts at most a visibility timeout; an earlier retry would find it
      // still held (a delivery that died mid-send, e.g. while the database restarted,
      // holds it to the end) and spend the event's receives until it is dead-lettered.
      if (retry_after) *retry_after = options_.visibility_timeout;
      return Status::Unavailable("email " + reservation->email.email_id + " is being sent by another delivery");
    case EmailReservation::Outcome::kExisting:
      if (!reservation->email.AwaitsSending()) return Status::Ok();  // delivered
      [[fallthrough]];
    case EmailReservation::Outcome::kReserved:
      return Deliver(reservation->email, user, receive_count);
  }
  return Status::Ok();
}

Status EmailProcessor::Deliver(const Email& email, const User& user, int receive_count) {
  MailMessage m;
  m.message_id = email.email_id + "@rekindle";
  m.from = options_.mail_from;
  m.to_address = user.email;
  m.to_name = user.name;
  m.subject = email.subject;
  m.text = email.content;
  m.html = email.html;
  m.date = email.generated_at;
  m.reply_to = options_.reply_to;
  m.list_unsubscribe = "<" + UnsubscribeUrl(user) + ">";
  m.one_click_unsubscribe = true;
  const auto started = std::chrono::steady_clock::now();
  SendResult sent = mailer_.Send(m);
  if (options_.metrics)
    options_.metrics->Send(sent.outcome == SendResult::Outcome::kSent        ? MailOutcome::kSent
                           : sent.outcome == SendResult::Outcome::kPermanent ? MailOutcome::kPermanent
                                                                             : MailOutcome::kRetryable,
                           std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  // Counted once the store has it, so the counter and the store's figures agree.
  auto finish = [&](const std::string& status, std::optional<Millis> sent_at) {
    Status st = store_.FinishEmail(email.email_id, status, sent_at, sent.ok() ? "" : sent.detail);
    if (st.ok() && options_.metrics && status != "GENERATED") options_.metrics->Finished(status, email.writer);
    return st;
  };
  switch (sent.outcome) {
    case SendResult::Outcome::kSent:
      LogInfo("email sent",
              {{"emailId", email.email_id}, {"userId", user.user_id}, {"score", email.engagement_score_at_time}});
      return finish("SENT", clock_.Now());
    case SendResult::Outcome::kPermanent:
      LogWarn("email failed", {{"emailId", email.email_id}, {"error", sent.detail}});
      return finish("FAILED", std::nullopt);
    case SendResult::Outcome::kRetryable:
      // On the last receive the message goes to the dead-letter queue: record why. Else
      // the email stays GENERATED with the error, and its send lease ends for the retry.
      RKD_RETURN_IF_ERROR(finish(receive_count >= options_.max_receives ? "FAILED" : "GENERATED", std::nullopt));
      return Status::Unavailable(sent.detail);
  }
  return Status::Ok();
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

std::string EmailProcessor::UnsubscribeUrl(const User& user) const {
  // Bound to the address this email goes to: the link must not act on a later one.
  return options_.public_url + "/u/" + SignUnsubscribeToken(options_.unsubscribe_secret, user.user_id, user.email);
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

void EmailProcessor::RunWorker(const std::atomic<bool>& stop, int worker_index) {
  LogInfo("email worker started", {{"worker", worker_index}, {"queue", options_.queue}});
  auto last_purge = std::chrono::steady_clock::now();
  while (!stop.load()) {
    auto batch = bus_.Receive(options_.queue, 10, std::chrono::milliseconds(500));
    if (!batch.ok()) {
      LogError("receive failed", {{"error", batch.status().ToString()}});
      std::this_thread::sleep_for(std::chrono::seconds(1));
      continue;
    }
    // A slow writer (an LLM) handles the batch's events side by side, so that one
    // worker keeps up to a batch of requests in flight; a fast one handles them in turn.
    std::vector<Status> results(batch->size());
    std::vector<std::chrono::milliseconds> retry_after(batch->size(), std::chrono::milliseconds(0));
    std::vector<std::string> receipts;
    for (const Message& m : *batch) receipts.push_back(m.receipt);
    std::optional<VisibilityKeeper> keeper;
    if (!batch->empty()) keeper.emplace(bus_, options_.queue, std::move(receipts), options_.visibility_timeout);
    if (options_.parallel_batch && batch->size() > 1) {
      std::vector<std::future<Status>> pending;
      for (size_t i = 0; i < batch->size(); ++i)
        pending.push_back(std::async(std::launch::async,
                                     [this, &batch, &retry_after, i] { return Handle((*batch)[i], &retry_after[i]); }));
      for (size_t i = 0; i < pending.size(); ++i) results[i] = pending[i].get();
    } else {
      for (size_t i = 0; i < batch->size(); ++i) results[i] = Handle((*batch)[i], &retry_after[i]);
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
    if (Status ack = bus_.Ack(options_.queue, acks); !ack.ok()) LogError("ack failed", {{"error", ack.ToString()}});
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

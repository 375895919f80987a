// The email processor (the seed's Email Processor Lambda): for each event on its queue,
// reads the client's current state and score (and their churn prediction, when the
// targeting asks for it: domain/targeting.h), their latest journey episode and their
// suppression, and lets the win-back journey decide (pipeline/journey.h): start an
// episode, send its next step, end it at an exit, or nothing. A step to send is asked of
// the sending controls (SendGate) before it is written; a client turned away stays due
// (the due scan hands it over again) and the event is done. Idempotent: the email's id
// derives from the episode and the step, and the email is reserved (stored GENERATED,
// lastEmailDate set, the episode moved to that step, in one transaction) before it is
// sent, so a redelivered event resends the same message at most (which the outbox
// recognises) and never a second one. A reserved step not yet sent (GENERATED, or
// FAILED: a redrive) is sent by the client's next event unless they left the journey.
// Thread-safe: RunWorker runs on several threads.
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "base/circuit_breaker.h"
#include "bus/bus.h"
#include "compose/writer.h"
#include "delivery/mailer.h"
#include "domain/score.h"
#include "domain/targeting.h"
#include "pipeline/experiment_cache.h"
#include "pipeline/journey.h"
#include "pipeline/message_cache.h"
#include "pipeline/send_gate.h"
#include "pipeline/settings_cache.h"
#include "store/store.h"

namespace rkd {

class EmailMetrics;  // metrics/pipeline_metrics.h

struct ProcessorOptions {
  std::string queue = "email-processor";
  Millis cooldown = 7 * kMillisPerDay;
  int max_receives = 5;
  std::chrono::milliseconds retry_base{1000};  // nack delay: base × 2^(receive − 1), capped
  std::chrono::milliseconds retry_cap{300'000};
  // The queue's visibility timeout: a batch still being handled after a third of it is
  // extended (a slow LLM or mail server), so no other worker gets its events meanwhile.
  std::chrono::milliseconds visibility_timeout{300'000};
  std::string shop_url = "https://shop.example.com";
  std::string public_url = "http://127.0.0.1:8080";  // where unsubscribe links point
  std::string mail_from = "Rekindle <hello@rekindle.example>";
  std::string reply_to;
  std::string postal_address;      // in every email's footer
  std::string unsubscribe_secret;  // signs the links in emails (unsubscribe, tracking)
  bool tracking = true;            // rewrite links for click tracking and add an open pixel
  double holdout_share = 0.1;      // of eligible clients, chosen by a stable hash of the id: not emailed
  Targeting targeting;             // who the flow is for (RKD_TARGETING): the score, the churn model, both
  // Messages received (and handled) together: one reservation, one outbox sync and one
  // record per batch (at most 100, the bus's limit).
  int batch_size = 100;
  bool parallel_batch = false;      // handle a batch's events concurrently (for a slow writer)
  EmailMetrics* metrics = nullptr;  // not owned; null: nothing recorded
  // While the store cannot be reached, workers receive nothing and probe it this often.
  std::chrono::milliseconds store_probe_interval{1000};
  // The shop's settings (sending controls): where set, their sender, reply-to, postal
  // address, public URL and shop URL replace the fields above; while they say sending is
  // paused, workers receive nothing, so the events wait on the queue with their receives
  // untouched. Not owned; null: the fields above, never paused.
  SettingsCache* settings = nullptr;
  // The messages stored in the dashboard (issue 12): a step whose message is stored is
  // written from it. Not owned; null: the writer's built-in templates.
  MessageCache* messages = nullptr;
  // The running experiment (issue 12): a step whose message is under test is written
  // from the client's variant, and the email records it. Not owned; null: none.
  ExperimentCache* experiments = nullptr;
  // A client the sending controls turned away without saying until when (SendGate's
  // not_before 0) is due again this much later: the due scan does not hand every waiting
  // client over at every scan while the gate stays shut.
  std::chrono::milliseconds gate_retry{60'000};
};

// True when `user_id` falls in the holdout: a stable hash, so a client stays in (or out)
// for good and the comparison is fair.
bool InHoldout(const std::string& user_id, double share);

class EmailProcessor {
 public:
  // `gate` (the sending controls) is asked before a batch's journey steps are written;
  // without one, the gate is always open.
  EmailProcessor(Store& store, Bus& bus, Writer& writer, Mailer& mailer, SendGate& gate, const ScoreRules& rules,
                 const Clock& clock, ProcessorOptions options)
      : store_(store),
        bus_(bus),
        writer_(writer),
        mailer_(mailer),
        gate_(gate),
        rules_(rules),
        clock_(clock),
        options_(std::move(options)),
        store_breaker_(1, options_.store_probe_interval) {}
  EmailProcessor(Store& store, Bus& bus, Writer& writer, Mailer& mailer, const ScoreRules& rules, const Clock& clock,
                 ProcessorOptions options)
      : EmailProcessor(store, bus, writer, mailer, open_gate_, rules, clock, std::move(options)) {}

  // Handles one delivery. Ok: ack it. An error: nack it (retry later; the bus
  // dead-letters it after the last receive). `retry_after`, when given, is set when the
  // error says how long a retry must wait (another delivery's send lease is running:
  // retrying sooner would only burn receives), and left alone otherwise.
  Status Handle(const Message& message, std::chrono::milliseconds* retry_after = nullptr);
  // Handles a received batch together: one read each of its users, their emails and the
  // suppression list, one transaction reserving its emails, one mailer batch, one
  // transaction recording the outcomes. One status per message, as Handle would return
  // it; a message's failure is its own (a failed send retries that message only), while
  // a failed store call fails the messages that needed it. `retry_after`, when given, is
  // resized to the batch and set as Handle's. Two deliveries of one event in a batch
  // share the first's outcome.
  std::vector<Status> HandleBatch(const std::vector<Message>& messages,
                                  std::vector<std::chrono::milliseconds>* retry_after = nullptr);
  // Receives batches and handles them until `stop`; the batch in hand is finished first.
  // An outage of the store is not the messages' fault and costs them no receive: while
  // the store does not answer, workers receive nothing, and a batch whose events failed
  // because it went away is kept in hand (its visibility extended) and handled again once
  // it answers (docs/invariants.md, "Failures").
  void RunWorker(const std::atomic<bool>& stop, int worker_index);
  std::chrono::milliseconds Backoff(int receive_count) const;

 private:
  // The email for `user` from the writer, with the footer and tracking added.
  // The email of a journey step (`step`: what the journey decided), from the writer.
  Result<Email> Compose(const User& user, const std::string& email_id, const JourneyDecision& step, Millis now);
  // A journey version's definition: read once, kept (a version never changes).
  Result<JourneyVersion> JourneyOf(int64_t version);
  // Sends reserved emails (to users[k], received receive_counts[k] times) and records the
  // outcomes: a status per email, as Handle's. Together (one send batch, one transaction)
  // when the mailer delivers a repeated Message-ID once, else one at a time.
  std::vector<Status> Deliver(const std::vector<Email>& emails, const std::vector<const User*>& users,
                              const std::vector<int>& receive_counts);
  std::vector<Status> DeliverTogether(const std::vector<Email>& emails, const std::vector<const User*>& users,
                                      const std::vector<int>& receive_counts);
  // Who the emails written now come from and where their links point: the shop's
  // settings where set, else the options.
  struct MailIdentity {
    std::string from, reply_to, postal_address, public_url, shop_url;
    Brand brand;
  };
  MailIdentity Identity() const;
  std::string UnsubscribeUrl(const User& user, const std::string& public_url) const;
  // Waits while the store's breaker is open, one worker probing the store every
  // store_probe_interval; true once it answers, false on `stop`.
  bool AwaitStore(const std::atomic<bool>& stop);
  // Whether a failed handling is the store's outage rather than the event's: an
  // Unavailable that says nothing of when to retry, while the store does not answer a
  // probe. Opens the breaker when so.
  bool IsStoreOutage(const Status& st, std::chrono::milliseconds retry_after, std::optional<bool>* store_down);

  Store& store_;
  Bus& bus_;
  Writer& writer_;
  Mailer& mailer_;
  OpenGate open_gate_;  // the gate of a processor constructed without one
  SendGate& gate_;
  const ScoreRules& rules_;
  const Clock& clock_;
  ProcessorOptions options_;
  CircuitBreaker store_breaker_;  // open while the store cannot be reached
  std::mutex journeys_mu_;
  std::map<int64_t, JourneyVersion> journeys_;  // versions read so far
};

}  // namespace rkd

// The NATS JetStream Bus (RKD_BUS_URL=nats://…): the scale-out twin of the embedded bus,
// passing the same contract (bus/bus_contract_test.cc).
//
//   topic  → a stream `<ns>_T_<topic>` on subjects `<ns>.t.<topic>.>` with Interest
//            retention (a message lives until every subscribed queue acked it), file
//            storage, MaxAge = retention, a de-duplication window for Nats-Msg-Id.
//   queue  → a durable pull consumer named after the queue on that stream: AckWait =
//            visibility timeout, MaxDeliver = max receives, explicit acks, NAK with a delay,
//            +WPI ("in progress") to extend.
//   DLQ    → a stream `<ns>_DLQ_<queue>` holding (a) the messages a consumer gave up on at
//            its last receive, with their error, and (b) the server's max-deliveries
//            advisories for messages whose visibility ran out max-receives times (their
//            bodies are read back from the topic's stream by sequence).
//   redrive→ republishes to `<ns>.t.<topic>.to.<queue>`: every queue of the topic sees the
//            subject, and the others ack it unseen.
//
// The server keeps time (visibility, retention), so the Clock is not used; PurgeExpired
// has nothing to do (MaxAge expires messages). A stale receipt's ack still acks the
// message (as SQS allows: "might not be deleted" either way). Thread-safe.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "bus/bus.h"

struct __natsConnection;
struct __jsCtx;
struct __natsSubscription;
struct __natsMsg;

namespace rkd {

struct NatsBusOptions {
  std::string urls;        // "nats://a:4222" or a comma-separated list of a cluster's servers
  std::string ns = "rkd";  // namespace: prefixes every stream and subject
  int replicas = 1;        // stream replicas: 3 on a 3-node cluster
  BusOptions bus;
};

class NatsBus final : public Bus {
 public:
  static Result<std::unique_ptr<NatsBus>> Open(const NatsBusOptions& options);
  ~NatsBus() override;

  Status Subscribe(const std::string& topic, const std::string& queue) override;
  Status Publish(const std::string& topic, const std::vector<OutgoingMessage>& messages) override;
  Result<std::vector<Message>> Receive(const std::string& queue, int max, std::chrono::milliseconds wait) override;
  Status Ack(const std::string& queue, const std::vector<std::string>& receipts) override;
  Status Extend(const std::string& queue, const std::vector<std::string>& receipts) override;
  Status Nack(const std::string& queue, const std::string& receipt, std::chrono::milliseconds delay,
              const std::string& error) override;
  Result<int64_t> Redrive(const std::string& queue) override;
  Result<std::vector<Message>> PeekDeadLetters(const std::string& queue, int max) override;
  Result<std::vector<QueueStats>> Stats() override;
  Result<int64_t> PurgeExpired() override { return int64_t{0}; }

 private:
  struct DeadLetter;
  NatsBus(const NatsBusOptions& options, __natsConnection* nc, __jsCtx* js) : options_(options), nc_(nc), js_(js) {}

  std::string TopicStream(const std::string& topic) const { return options_.ns + "_T_" + topic; }
  std::string TopicSubject(const std::string& topic) const { return options_.ns + ".t." + topic; }
  std::string DlqStream(const std::string& queue) const { return options_.ns + "_DLQ_" + queue; }
  std::string DlqSubject(const std::string& queue) const { return options_.ns + ".dlq." + queue; }

  Status EnsureTopic(const std::string& topic);
  Status EnsureQueue(const std::string& topic, const std::string& queue);
  Result<std::string> TopicOf(const std::string& queue);
  Status PublishAll(const std::vector<struct NatsOutgoing>& messages);
  Status SendAcks(const std::vector<std::string>& receipts, const char* payload);
  Status DeadLetterAtLastReceive(const std::string& queue, uint64_t stream_seq, int receives, const std::string& error);
  Result<std::vector<DeadLetter>> ReadDeadLetters(const std::string& queue, int max);
  struct Puller;
  Puller* TakePuller(const std::string& queue, Status* st);
  void ReturnPuller(const std::string& queue, Puller* puller);
  void Retire(const std::vector<__natsSubscription*>& subs);
  Status PullOnce(const std::string& stream, const std::string& queue, Puller* puller, int batch,
                  std::chrono::milliseconds expires, bool any, std::vector<__natsMsg*>* got);

  NatsBusOptions options_;
  __natsConnection* nc_;
  __jsCtx* js_;
  std::mutex mu_;
  std::set<std::string> topics_ready_;
  std::map<std::string, std::string> queue_topic_;
  std::map<std::string, std::vector<Puller*>> idle_pullers_;  // owned; one per concurrent Receive
  std::vector<__natsSubscription*> retired_;                  // unsubscribed, destroyed by the next flush that works
};

}  // namespace rkd

#include "bus/nats/nats_bus.h"

#include <nats/nats.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <nlohmann/json.hpp>

#include "bus/dead_letter_log.h"

namespace rkd {

struct NatsOutgoing {
  std::string subject;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

// One entry of a dead-letter stream, resolved to the message it stands for.
struct NatsBus::DeadLetter {
  uint64_t dlq_seq = 0;
  Message message;
};

namespace {

using std::chrono::milliseconds;

constexpr int64_t kApiWaitMs = 5000;  // JetStream API requests and publish acks
// A pull request that should not wait: its expiry (nats-server 2.9 answers a no_wait request
// that has one as soon as it has messages, else at the expiry).
constexpr int64_t kShortPullMs = 10;
constexpr const char* kDedupHeader = "Rkd-Dedup-Id";
constexpr const char* kErrorHeader = "Rkd-Error";
constexpr const char* kSentAtHeader = "Rkd-Sent-At";
constexpr const char* kAdvisoryPrefix = "$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.";

int64_t Nanos(std::chrono::nanoseconds d) { return d.count(); }

Status NatsError(const std::string& what, natsStatus s, jsErrCode jerr = static_cast<jsErrCode>(0)) {
  std::string msg = what + ": " + natsStatus_GetText(s);
  if (jerr != 0) msg += " (JetStream error " + std::to_string(static_cast<int>(jerr)) + ")";
  if (const char* last = nats_GetLastError(nullptr); last && *last) msg += ": " + std::string(last);
  return Status::Unavailable(msg);
}

std::string Header(natsMsg* msg, const char* key) {
  const char* v = nullptr;
  return natsMsgHeader_Get(msg, key, &v) == NATS_OK && v ? std::string(v) : std::string();
}

std::string Body(natsMsg* msg) {
  const char* data = natsMsg_GetData(msg);
  return data ? std::string(data, static_cast<size_t>(natsMsg_GetDataLength(msg))) : std::string();
}

// A receipt carries what Nack needs without a lookup: "<receives>:<stream seq>:<ack subject>".
std::string MakeReceipt(uint64_t receives, uint64_t stream_seq, const char* reply) {
  return std::to_string(receives) + ":" + std::to_string(stream_seq) + ":" + reply;
}

bool ParseReceipt(const std::string& receipt, uint64_t* receives, uint64_t* stream_seq, std::string* reply) {
  const size_t a = receipt.find(':');
  const size_t b = a == std::string::npos ? a : receipt.find(':', a + 1);
  if (b == std::string::npos || b + 1 >= receipt.size()) return false;
  try {
    *receives = std::stoull(receipt.substr(0, a));
    *stream_seq = std::stoull(receipt.substr(a + 1, b - a - 1));
  } catch (...) {
    return false;
  }
  *reply = receipt.substr(b + 1);
  return reply->rfind("$JS.ACK.", 0) == 0;
}

// Creates the stream, or brings an existing one to `cfg` (e.g. a changed retention).
Status EnsureStream(jsCtx* js, jsStreamConfig* cfg) {
  jsStreamInfo* si = nullptr;
  jsErrCode jerr = static_cast<jsErrCode>(0);
  natsStatus s = js_AddStream(&si, js, cfg, nullptr, &jerr);
  if (s != NATS_OK && jerr == JSStreamNameExistErr) s = js_UpdateStream(&si, js, cfg, nullptr, &jerr);
  if (si) jsStreamInfo_Destroy(si);
  return s == NATS_OK ? Status::Ok() : NatsError(std::string("cannot create stream ") + cfg->Name, s, jerr);
}

}  // namespace

Result<std::unique_ptr<NatsBus>> NatsBus::Open(const NatsBusOptions& options) {
  std::vector<std::string> urls;
  for (size_t start = 0; start <= options.urls.size();) {
    size_t comma = options.urls.find(',', start);
    if (comma == std::string::npos) comma = options.urls.size();
    if (comma > start) urls.push_back(options.urls.substr(start, comma - start));
    start = comma + 1;
  }
  if (urls.empty()) return Status::InvalidArgument("no NATS server in RKD_BUS_URL", "RKD_BUS_URL");
  std::vector<const char*> servers;
  for (const auto& u : urls) servers.push_back(u.c_str());

  natsOptions* opts = nullptr;
  natsStatus s = natsOptions_Create(&opts);
  if (s == NATS_OK) s = natsOptions_SetServers(opts, servers.data(), static_cast<int>(servers.size()));
  if (s == NATS_OK) s = natsOptions_SetName(opts, "rekindle");
  // A restarted or failed-over server is waited for, forever: the processes hold no
  // state, so there is nothing better to do than to reconnect.
  if (s == NATS_OK) s = natsOptions_SetMaxReconnect(opts, -1);
  if (s == NATS_OK) s = natsOptions_SetReconnectWait(opts, 250);
  if (s == NATS_OK) s = natsOptions_SetTimeout(opts, 5000);
  natsConnection* nc = nullptr;
  if (s == NATS_OK) s = natsConnection_Connect(&nc, opts);
  natsOptions_Destroy(opts);
  if (s != NATS_OK) return NatsError("cannot connect to NATS at " + options.urls, s);
  jsOptions jo;
  jsOptions_Init(&jo);
  jo.Wait = kApiWaitMs;
  jsCtx* js = nullptr;
  if ((s = natsConnection_JetStream(&js, nc, &jo)) != NATS_OK) {
    natsConnection_Destroy(nc);
    return NatsError("cannot open JetStream", s);
  }
  return std::unique_ptr<NatsBus>(new NatsBus(options, nc, js));
}

Status NatsBus::EnsureTopic(const std::string& topic) {
  {
    std::lock_guard lock(mu_);
    if (topics_ready_.count(topic)) return Status::Ok();
  }
  const std::string name = TopicStream(topic);
  const std::string subjects = TopicSubject(topic) + ".>";
  const char* subject_list[] = {subjects.c_str()};
  jsStreamConfig cfg;
  jsStreamConfig_Init(&cfg);
  cfg.Name = name.c_str();
  cfg.Subjects = subject_list;
  cfg.SubjectsLen = 1;
  cfg.Retention = js_InterestPolicy;  // acked by every queue: gone
  cfg.Storage = js_FileStorage;
  cfg.Replicas = options_.replicas;
  cfg.MaxAge = Nanos(options_.bus.retention);
  // Nats-Msg-Id de-duplication: long enough for a restarted stream processor to
  // republish what it had sent before its checkpoint.
  cfg.Duplicates = Nanos(std::min<std::chrono::nanoseconds>(options_.bus.retention, std::chrono::minutes(5)));
  cfg.AllowDirect = true;  // Stats reads the oldest message directly
  RKD_RETURN_IF_ERROR(EnsureStream(js_, &cfg));
  // Its queues too: a server that lost the stream (a wiped store) lost them with it, and
  // an Interest stream without consumers drops what is published to it.
  std::vector<std::string> queues;
  {
    std::lock_guard lock(mu_);
    for (const auto& [queue, of] : queue_topic_)
      if (of == topic) queues.push_back(queue);
  }
  for (const std::string& queue : queues) RKD_RETURN_IF_ERROR(EnsureQueue(topic, queue));
  std::lock_guard lock(mu_);
  topics_ready_.insert(topic);
  return Status::Ok();
}

Status NatsBus::Subscribe(const std::string& topic, const std::string& queue) {
  {
    std::lock_guard lock(mu_);
    queue_topic_[queue] = topic;
    topics_ready_.erase(topic);
  }
  return EnsureTopic(topic);
}

// The queue's dead-letter stream and its durable consumer on the topic's stream.
Status NatsBus::EnsureQueue(const std::string& topic, const std::string& queue) {
  const std::string stream = TopicStream(topic);
  // The dead-letter stream: our own records and the server's max-deliveries advisories.
  const std::string dlq = DlqStream(queue);
  const std::string dlq_subject = DlqSubject(queue);
  const std::string advisories = kAdvisoryPrefix + stream + "." + queue;
  const char* dlq_subjects[] = {dlq_subject.c_str(), advisories.c_str()};
  jsStreamConfig dcfg;
  jsStreamConfig_Init(&dcfg);
  dcfg.Name = dlq.c_str();
  dcfg.Subjects = dlq_subjects;
  dcfg.SubjectsLen = 2;
  dcfg.Storage = js_FileStorage;
  dcfg.Replicas = options_.replicas;
  dcfg.MaxAge = Nanos(options_.bus.retention);
  dcfg.Duplicates = Nanos(std::min<std::chrono::nanoseconds>(options_.bus.retention, std::chrono::minutes(5)));
  RKD_RETURN_IF_ERROR(EnsureStream(js_, &dcfg));

  jsConsumerConfig cc;
  jsConsumerConfig_Init(&cc);
  cc.Durable = queue.c_str();
  cc.AckPolicy = js_AckExplicit;
  cc.DeliverPolicy = js_DeliverAll;
  cc.AckWait = Nanos(options_.bus.visibility_timeout);
  cc.MaxDeliver = options_.bus.max_receives;
  cc.MaxAckPending = 20'000;
  jsConsumerInfo* ci = nullptr;
  jsErrCode jerr = static_cast<jsErrCode>(0);
  natsStatus s = js_AddConsumer(&ci, js_, stream.c_str(), &cc, nullptr, &jerr);
  if (s != NATS_OK && (jerr == JSConsumerNameExistErr || jerr == JSConsumerExistingActiveErr))
    s = js_UpdateConsumer(&ci, js_, stream.c_str(), &cc, nullptr, &jerr);
  if (ci) jsConsumerInfo_Destroy(ci);
  return s == NATS_OK ? Status::Ok() : NatsError("cannot create consumer " + queue, s, jerr);
}

// Publishes every message with a reply inbox and waits for each publish ack: a message
// is on the bus only once its stream has stored it (and, on a cluster, a quorum has).
Status NatsBus::PublishAll(const std::vector<NatsOutgoing>& messages) {
  if (messages.empty()) return Status::Ok();
  natsInbox* inbox = nullptr;
  natsStatus s = natsInbox_Create(&inbox);
  if (s != NATS_OK) return NatsError("cannot create an inbox", s);
  const std::string prefix = std::string(inbox) + ".";
  natsInbox_Destroy(inbox);
  natsSubscription* sub = nullptr;
  if ((s = natsConnection_SubscribeSync(&sub, nc_, (prefix + "*").c_str())) != NATS_OK)
    return NatsError("cannot subscribe for publish acks", s);
  natsSubscription_SetPendingLimits(sub, -1, -1);
  Status result = Status::Ok();
  for (size_t i = 0; i < messages.size() && s == NATS_OK; ++i) {
    const NatsOutgoing& m = messages[i];
    natsMsg* msg = nullptr;
    s = natsMsg_Create(&msg, m.subject.c_str(), (prefix + std::to_string(i)).c_str(), m.body.data(),
                       static_cast<int>(m.body.size()));
    for (const auto& [key, value] : m.headers)
      if (s == NATS_OK && !value.empty()) s = natsMsgHeader_Set(msg, key.c_str(), value.c_str());
    if (s == NATS_OK) s = natsConnection_PublishMsg(nc_, msg);
    natsMsg_Destroy(msg);
  }
  if (s != NATS_OK) result = NatsError("cannot publish", s);
  const auto deadline = std::chrono::steady_clock::now() + milliseconds(kApiWaitMs);
  size_t received = 0;
  for (size_t acked = 0; result.ok() && acked < messages.size(); ++acked) {
    const auto left = std::chrono::duration_cast<milliseconds>(deadline - std::chrono::steady_clock::now());
    natsMsg* reply = nullptr;
    s = natsSubscription_NextMsg(&reply, sub, std::max<int64_t>(1, left.count()));
    if (s == NATS_OK || s == NATS_NO_RESPONDERS) ++received;
    if (s == NATS_NO_RESPONDERS || (s == NATS_OK && natsMsg_IsNoResponders(reply))) {
      result = Status::Unavailable("no stream stores " + messages[0].subject);
      std::lock_guard lock(mu_);
      topics_ready_.clear();  // the server lost it (a wiped store): the next publish makes it again
    } else if (s != NATS_OK) {
      result = NatsError("no publish ack for " + std::to_string(messages.size() - acked) + " message(s)", s);
    } else {
      auto ack = nlohmann::json::parse(Body(reply), nullptr, false);
      if (ack.is_discarded() || ack.contains("error"))
        result = Status::Unavailable("publish refused: " + (ack.is_discarded() ? Body(reply) : ack["error"].dump()));
    }
    natsMsg_Destroy(reply);
  }
  if (received == messages.size()) {
    natsSubscription_Unsubscribe(sub);
    natsSubscription_Destroy(sub);  // every reply is in: nothing more can come
  } else {
    Retire({sub});  // replies for the rest may still be arriving
  }
  return result;
}

Status NatsBus::Publish(const std::string& topic, const std::vector<OutgoingMessage>& messages) {
  if (messages.empty()) return Status::Ok();
  RKD_RETURN_IF_ERROR(EnsureTopic(topic));
  std::vector<NatsOutgoing> out;
  out.reserve(messages.size());
  for (const OutgoingMessage& m : messages)
    out.push_back({TopicSubject(topic) + ".all", m.body, {{"Nats-Msg-Id", m.dedup_id}, {kDedupHeader, m.dedup_id}}});
  return PublishAll(out);
}

Result<std::string> NatsBus::TopicOf(const std::string& queue) {
  {
    std::lock_guard lock(mu_);
    if (auto it = queue_topic_.find(queue); it != queue_topic_.end()) return it->second;
  }
  // Not subscribed by this process: find the topic stream that has this consumer.
  auto stats = Stats();
  if (!stats.ok()) return stats.status();
  std::lock_guard lock(mu_);
  if (auto it = queue_topic_.find(queue); it != queue_topic_.end()) return it->second;
  return Status::NotFound("no queue " + queue, "queue");
}

// An inbox subscription that pull requests answer to. Kept for reuse: a message that
// arrives after its Receive stopped waiting is still there for the next one.
struct NatsBus::Puller {
  natsSubscription* sub = nullptr;
  std::string inbox;
};

NatsBus::Puller* NatsBus::TakePuller(const std::string& queue, Status* st) {
  {
    std::lock_guard lock(mu_);
    auto& idle = idle_pullers_[queue];
    if (!idle.empty()) {
      Puller* p = idle.back();
      idle.pop_back();
      return p;
    }
  }
  auto p = std::make_unique<Puller>();
  natsInbox* inbox = nullptr;
  natsStatus s = natsInbox_Create(&inbox);
  if (s == NATS_OK) {
    p->inbox = inbox;
    natsInbox_Destroy(inbox);
    s = natsConnection_SubscribeSync(&p->sub, nc_, p->inbox.c_str());
  }
  if (s == NATS_OK) s = natsSubscription_SetPendingLimits(p->sub, -1, -1);
  if (s != NATS_OK) {
    *st = NatsError("cannot subscribe for queue " + queue, s);
    if (p->sub) natsSubscription_Destroy(p->sub);
    return nullptr;
  }
  return p.release();
}

void NatsBus::ReturnPuller(const std::string& queue, Puller* p) {
  std::lock_guard lock(mu_);
  idle_pullers_[queue].push_back(p);
}

// Ends subscriptions that messages may still be on their way to. Debian's libnats (3.4)
// can free a subscription while its reader thread is handing it a message, and the process
// aborts (nats.c#637, fixed in 3.6): a burst of "no responders" replies to a publish
// batch, from a cluster that had just lost a stream's leader, did it to `rekindle stream`.
// So: unsubscribe (nothing new is routed to them), then flush: the reader handles the
// server's PONG after every message it was handling before, so once the flush returns none
// is being delivered to them any more, and they can go. When the flush fails (the server
// away), they wait in retired_ for the next flush that works.
void NatsBus::Retire(const std::vector<natsSubscription*>& subs) {
  for (natsSubscription* sub : subs) natsSubscription_Unsubscribe(sub);
  std::vector<natsSubscription*> ending;
  {
    std::lock_guard lock(mu_);
    ending.swap(retired_);  // each unsubscribed before the flush below
  }
  ending.insert(ending.end(), subs.begin(), subs.end());
  if (ending.empty()) return;
  if (natsConnection_FlushTimeout(nc_, kApiWaitMs) == NATS_OK) {
    for (natsSubscription* sub : ending) natsSubscription_Destroy(sub);
  } else {
    std::lock_guard lock(mu_);
    retired_.insert(retired_.end(), ending.begin(), ending.end());
  }
}

NatsBus::~NatsBus() {
  std::vector<natsSubscription*> subs;
  for (auto& [queue, pullers] : idle_pullers_)
    for (Puller* p : pullers) {
      subs.push_back(p->sub);  // a pull request's answer may still be arriving
      delete p;
    }
  Retire(subs);
  // What a failed flush left in retired_ is left to the process's exit: destroying it
  // could still race the reader.
  jsCtx_Destroy(js_);
  natsConnection_Close(nc_);
  natsConnection_Destroy(nc_);
}

// Sends one pull request ($JS.API.CONSUMER.MSG.NEXT) and collects its answer into `got`:
// up to `batch` messages, until the server ends the request (a status message: 404 no
// messages, 408 expired) or it should have (its expiry and a margin). Every request has
// an expiry, so none outlives the call on the server. With `any`, the server answers as
// soon as it has any message instead of waiting for a full batch.
Status NatsBus::PullOnce(const std::string& stream, const std::string& queue, Puller* p, int batch,
                         milliseconds expires, bool any, std::vector<natsMsg*>* got) {
  nlohmann::json request = {{"batch", batch},
                            {"expires", std::chrono::duration_cast<std::chrono::nanoseconds>(expires).count()}};
  if (any) request["no_wait"] = true;
  const milliseconds client_wait = expires + milliseconds(kApiWaitMs);
  const std::string body = request.dump();
  const std::string subject = "$JS.API.CONSUMER.MSG.NEXT." + stream + "." + queue;
  natsStatus s =
      natsConnection_PublishRequest(nc_, subject.c_str(), p->inbox.c_str(), body.data(), static_cast<int>(body.size()));
  if (s != NATS_OK) return NatsError("cannot ask " + queue + " for messages", s);
  const auto deadline = std::chrono::steady_clock::now() + client_wait;
  int received = 0;
  while (received < batch) {
    const auto left = std::chrono::duration_cast<milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    natsMsg* msg = nullptr;
    s = natsSubscription_NextMsg(&msg, p->sub, left.count());
    if (s == NATS_TIMEOUT) break;
    if (s == NATS_NO_RESPONDERS) return Status::NotFound("no consumer " + queue + " on the server", "queue");
    if (s != NATS_OK) return NatsError("cannot receive from " + queue, s);
    const std::string status = Header(msg, "Status");
    if (!status.empty() || !natsMsg_GetReply(msg)) {
      natsMsg_Destroy(msg);
      if (status == "100") continue;  // idle heartbeat
      if (status == "503") return Status::NotFound("no consumer " + queue + " on the server", "queue");
      break;  // no more messages, or the request expired
    }
    got->push_back(msg);
    ++received;
  }
  return Status::Ok();
}

Result<std::vector<Message>> NatsBus::Receive(const std::string& queue, int max, milliseconds wait) {
  auto topic = TopicOf(queue);
  if (!topic.ok()) return topic.status();
  max = std::clamp(max, 1, 100);
  Status st;
  Puller* puller = TakePuller(queue, &st);
  if (!puller) return st;
  const std::string stream = TopicStream(*topic);
  std::vector<natsMsg*> msgs;
  // Wait for one message (returns on the first), then take what came with it.
  st = PullOnce(stream, queue, puller, 1, std::max(wait, milliseconds(kShortPullMs)), false, &msgs);
  if (st.ok() && msgs.size() == 1 && max > 1)
    st = PullOnce(stream, queue, puller, max - 1, milliseconds(kShortPullMs), true, &msgs);
  if (!st.ok()) {
    for (natsMsg* m : msgs) natsMsg_Destroy(m);
    Retire({puller->sub});  // the answer to a pull request may still be arriving
    delete puller;
    // The server lost the consumer (a server whose store was wiped): make it again.
    if (st.code() == Code::kNotFound) {
      {
        std::lock_guard lock(mu_);
        topics_ready_.erase(*topic);
      }
      if (Status again = Subscribe(*topic, queue); !again.ok()) return again;
    }
    return st;
  }
  ReturnPuller(queue, puller);

  std::vector<Message> out;
  std::vector<std::string> not_ours;
  const std::string redrive_prefix = TopicSubject(*topic) + ".to.";
  for (natsMsg* msg : msgs) {
    jsMsgMetaData* meta = nullptr;
    if (natsMsg_GetMetaData(&meta, msg) != NATS_OK) {
      natsMsg_Destroy(msg);
      continue;
    }
    const std::string receipt = MakeReceipt(meta->NumDelivered, meta->Sequence.Stream, natsMsg_GetReply(msg));
    const std::string subject = natsMsg_GetSubject(msg);
    if (subject.rfind(redrive_prefix, 0) == 0 && subject.substr(redrive_prefix.size()) != queue) {
      not_ours.push_back(receipt);  // redriven for another queue of this topic
    } else {
      Message m;
      m.receipt = receipt;
      m.body = Body(msg);
      m.dedup_id = Header(msg, kDedupHeader);
      m.receive_count = static_cast<int>(meta->NumDelivered);
      m.sent_at = meta->Timestamp / 1'000'000;
      out.push_back(std::move(m));
    }
    jsMsgMetaData_Destroy(meta);
    natsMsg_Destroy(msg);
  }
  if (!not_ours.empty()) RKD_RETURN_IF_ERROR(SendAcks(not_ours, "+ACK"));
  return out;
}

// Acks, extensions and NAKs are messages to each delivery's ack subject; the flush makes
// sure the server has read them before we return.
Status NatsBus::SendAcks(const std::vector<std::string>& receipts, const char* payload) {
  natsStatus s = NATS_OK;
  for (const std::string& r : receipts) {
    uint64_t receives = 0, seq = 0;
    std::string reply;
    if (!ParseReceipt(r, &receives, &seq, &reply)) continue;  // not ours: nothing to ack
    s = natsConnection_Publish(nc_, reply.c_str(), payload, static_cast<int>(std::strlen(payload)));
    if (s != NATS_OK) return NatsError("cannot acknowledge", s);
  }
  s = natsConnection_FlushTimeout(nc_, kApiWaitMs);
  return s == NATS_OK ? Status::Ok() : NatsError("cannot acknowledge", s);
}

Status NatsBus::Ack(const std::string&, const std::vector<std::string>& receipts) { return SendAcks(receipts, "+ACK"); }

Status NatsBus::Extend(const std::string&, const std::vector<std::string>& receipts) {
  return SendAcks(receipts, "+WPI");
}

Status NatsBus::Nack(const std::string& queue, const std::string& receipt, milliseconds delay,
                     const std::string& error) {
  uint64_t receives = 0, seq = 0;
  std::string reply;
  if (!ParseReceipt(receipt, &receives, &seq, &reply)) return Status::Ok();
  if (static_cast<int>(receives) >= options_.bus.max_receives) {
    // The last receive: dead-letter it with its error ourselves (the server's advisory
    // would not carry the error), then tell the server to stop delivering it.
    RKD_RETURN_IF_ERROR(DeadLetterAtLastReceive(queue, seq, static_cast<int>(receives), error));
    return SendAcks({receipt}, "+TERM");
  }
  const std::string nak =
      delay.count() > 0
          ? "-NAK {\"delay\":" + std::to_string(std::chrono::duration_cast<std::chrono::nanoseconds>(delay).count()) +
                "}"
          : std::string("-NAK");
  return SendAcks({receipt}, nak.c_str());
}

Status NatsBus::DeadLetterAtLastReceive(const std::string& queue, uint64_t stream_seq, int receives,
                                        const std::string& error) {
  auto topic = TopicOf(queue);
  if (!topic.ok()) return topic.status();
  natsMsg* original = nullptr;
  jsErrCode jerr = static_cast<jsErrCode>(0);
  natsStatus s = js_GetMsg(&original, js_, TopicStream(*topic).c_str(), stream_seq, nullptr, &jerr);
  if (s != NATS_OK) {
    if (jerr == JSNoMessageFoundErr) return Status::Ok();  // expired meanwhile: nothing to keep
    return NatsError("cannot read message " + std::to_string(stream_seq), s, jerr);
  }
  const std::string event = Header(original, kDedupHeader);
  NatsOutgoing record{DlqSubject(queue),
                      Body(original),
                      {{"Nats-Msg-Id", "dlq-" + std::to_string(stream_seq) + "-" + std::to_string(receives)},
                       {kDedupHeader, Header(original, kDedupHeader)},
                       {kErrorHeader, error.empty() ? "failed" : error.substr(0, 2000)},
                       {kSentAtHeader, std::to_string(natsMsg_GetTime(original) / 1'000'000)},
                       {"Rkd-Receives", std::to_string(receives)}}};
  natsMsg_Destroy(original);
  // Header values are single lines.
  for (auto& [key, value] : record.headers) std::replace(value.begin(), value.end(), '\n', ' ');
  for (auto& [key, value] : record.headers) std::replace(value.begin(), value.end(), '\r', ' ');
  RKD_RETURN_IF_ERROR(PublishAll({record}));
  // Only the worker that handled the last receive writes this record (its Nack), so the
  // line is written once. A message whose visibility ran out on every receive is moved by
  // the server (its max-deliveries advisory) with no process in the loop: GET /health and
  // GET /api/alerts count it; no line is logged for it.
  LogDeadLettered(queue, event, receives, error.empty() ? "failed" : error);
  return Status::Ok();
}

// Reads up to `max` (all when negative) dead letters of `queue`, oldest first.
Result<std::vector<NatsBus::DeadLetter>> NatsBus::ReadDeadLetters(const std::string& queue, int max) {
  auto topic = TopicOf(queue);
  if (!topic.ok()) return topic.status();
  jsStreamInfo* si = nullptr;
  jsErrCode jerr = static_cast<jsErrCode>(0);
  natsStatus s = js_GetStreamInfo(&si, js_, DlqStream(queue).c_str(), nullptr, &jerr);
  if (s != NATS_OK) return NatsError("cannot read the dead-letter queue of " + queue, s, jerr);
  const uint64_t first = si->State.FirstSeq, last = si->State.LastSeq, count = si->State.Msgs;
  jsStreamInfo_Destroy(si);
  std::vector<DeadLetter> out;
  if (count == 0) return out;
  for (uint64_t seq = first; seq <= last && (max < 0 || static_cast<int>(out.size()) < max); ++seq) {
    natsMsg* entry = nullptr;
    s = js_GetMsg(&entry, js_, DlqStream(queue).c_str(), seq, nullptr, &jerr);
    if (s != NATS_OK) {
      if (jerr == JSNoMessageFoundErr) continue;
      return NatsError("cannot read dead letter " + std::to_string(seq), s, jerr);
    }
    DeadLetter d;
    d.dlq_seq = seq;
    const std::string subject = natsMsg_GetSubject(entry);
    if (subject.rfind(kAdvisoryPrefix, 0) == 0) {
      // The server gave up after max receives by visibility timeout: read the message back.
      auto advisory = nlohmann::json::parse(Body(entry), nullptr, false);
      natsMsg_Destroy(entry);
      if (advisory.is_discarded() || !advisory.contains("stream_seq")) continue;
      natsMsg* original = nullptr;
      s = js_GetMsg(&original, js_, TopicStream(*topic).c_str(), advisory["stream_seq"].get<uint64_t>(), nullptr,
                    &jerr);
      if (s != NATS_OK) continue;  // expired: nothing left to redrive
      d.message.body = Body(original);
      d.message.dedup_id = Header(original, kDedupHeader);
      d.message.sent_at = natsMsg_GetTime(original) / 1'000'000;
      d.message.receive_count = advisory.value("deliveries", options_.bus.max_receives);
      d.message.last_error =
          "not acknowledged within the visibility timeout, " + std::to_string(d.message.receive_count) + " times";
      natsMsg_Destroy(original);
    } else {
      d.message.body = Body(entry);
      d.message.dedup_id = Header(entry, kDedupHeader);
      d.message.last_error = Header(entry, kErrorHeader);
      d.message.sent_at = std::atoll(Header(entry, kSentAtHeader).c_str());
      d.message.receive_count = std::atoi(Header(entry, "Rkd-Receives").c_str());
      natsMsg_Destroy(entry);
    }
    out.push_back(std::move(d));
  }
  return out;
}

Result<std::vector<Message>> NatsBus::PeekDeadLetters(const std::string& queue, int max) {
  auto dead = ReadDeadLetters(queue, max);
  if (!dead.ok()) return dead.status();
  std::vector<Message> out;
  for (auto& d : *dead) out.push_back(std::move(d.message));
  return out;
}

Result<int64_t> NatsBus::Redrive(const std::string& queue) {
  auto topic = TopicOf(queue);
  if (!topic.ok()) return topic.status();
  auto dead = ReadDeadLetters(queue, -1);
  if (!dead.ok()) return dead.status();
  if (dead->empty()) return int64_t{0};
  std::vector<NatsOutgoing> out;
  for (const DeadLetter& d : *dead)
    out.push_back({TopicSubject(*topic) + ".to." + queue,
                   d.message.body,
                   {{"Nats-Msg-Id", "redrive-" + DlqStream(queue) + "-" + std::to_string(d.dlq_seq)},
                    {kDedupHeader, d.message.dedup_id}}});
  RKD_RETURN_IF_ERROR(PublishAll(out));
  // Only what was read is purged: a message dead-lettered meanwhile stays.
  jsOptions jo;
  jsOptions_Init(&jo);
  jo.Stream.Purge.Sequence = dead->back().dlq_seq + 1;
  jsErrCode jerr = static_cast<jsErrCode>(0);
  const natsStatus s = js_PurgeStream(js_, DlqStream(queue).c_str(), &jo, &jerr);
  if (s != NATS_OK) return NatsError("cannot empty the dead-letter queue of " + queue, s, jerr);
  return static_cast<int64_t>(dead->size());
}

Result<std::vector<QueueStats>> NatsBus::Stats() {
  jsStreamNamesList* names = nullptr;
  jsErrCode jerr = static_cast<jsErrCode>(0);
  natsStatus s = js_StreamNames(&names, js_, nullptr, &jerr);
  if (s == NATS_NOT_FOUND) return std::vector<QueueStats>{};
  if (s != NATS_OK) return NatsError("cannot list streams", s, jerr);
  const std::string topic_prefix = options_.ns + "_T_";
  std::vector<std::string> topics;
  for (int i = 0; i < names->Count; ++i)
    if (std::string name = names->List[i]; name.rfind(topic_prefix, 0) == 0)
      topics.push_back(name.substr(topic_prefix.size()));
  jsStreamNamesList_Destroy(names);

  std::vector<QueueStats> out;
  const int64_t now_ns =
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  for (const std::string& topic : topics) {
    jsConsumerInfoList* consumers = nullptr;
    s = js_Consumers(&consumers, js_, TopicStream(topic).c_str(), nullptr, &jerr);
    if (s == NATS_NOT_FOUND) continue;
    if (s != NATS_OK) return NatsError("cannot list the queues of " + topic, s, jerr);
    for (int i = 0; i < consumers->Count; ++i) {
      const jsConsumerInfo* ci = consumers->List[i];
      QueueStats q;
      q.name = ci->Name;
      q.depth = static_cast<int64_t>(ci->NumPending);
      q.in_flight = ci->NumAckPending;
      if (q.depth + q.in_flight > 0) {
        // The oldest message this queue has not acked: the first one after its ack floor.
        const std::string next = TopicSubject(topic) + ".>";
        jsDirectGetMsgOptions dg;
        std::memset(&dg, 0, sizeof dg);
        dg.Sequence = ci->AckFloor.Stream + 1;
        dg.NextBySubject = next.c_str();
        natsMsg* oldest = nullptr;
        if (js_DirectGetMsg(&oldest, js_, TopicStream(topic).c_str(), nullptr, &dg) == NATS_OK) {
          q.oldest_age_seconds = std::max<double>(0, static_cast<double>(now_ns - natsMsg_GetTime(oldest)) / 1e9);
          natsMsg_Destroy(oldest);
        }
      }
      jsStreamInfo* dlq = nullptr;
      if (js_GetStreamInfo(&dlq, js_, DlqStream(q.name).c_str(), nullptr, &jerr) == NATS_OK) {
        q.dlq_depth = static_cast<int64_t>(dlq->State.Msgs);
        jsStreamInfo_Destroy(dlq);
      }
      {
        std::lock_guard lock(mu_);
        queue_topic_.emplace(q.name, topic);
      }
      out.push_back(std::move(q));
    }
    jsConsumerInfoList_Destroy(consumers);
  }
  std::sort(out.begin(), out.end(), [](const QueueStats& a, const QueueStats& b) { return a.name < b.name; });
  return out;
}

}  // namespace rkd

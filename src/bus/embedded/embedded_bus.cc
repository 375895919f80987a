#include "bus/embedded/embedded_bus.h"

#include <algorithm>

#include "bus/dead_letter_log.h"

namespace rkd {
namespace {

constexpr const char* kExpiredReason = "visibility timeout expired after the last receive";

// A receipt names one delivery: the message id and its receive count at that delivery.
std::string MakeReceipt(int64_t id, int64_t receive_count) {
  return std::to_string(id) + ":" + std::to_string(receive_count);
}

bool ParseReceipt(const std::string& receipt, int64_t* id, int64_t* receive_count) {
  const size_t colon = receipt.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == receipt.size()) return false;
  char* end = nullptr;
  *id = std::strtoll(receipt.c_str(), &end, 10);
  if (end != receipt.c_str() + colon) return false;
  *receive_count = std::strtoll(receipt.c_str() + colon + 1, &end, 10);
  return *end == '\0';
}

}  // namespace

Result<std::unique_ptr<EmbeddedBus>> EmbeddedBus::Open(const std::string& path, const BusOptions& options,
                                                       const Clock* clock) {
  auto db = SqliteDatabase::Open(path, "sql/bus", clock);
  if (!db.ok()) return db.status();
  return std::unique_ptr<EmbeddedBus>(new EmbeddedBus(std::move(db).value(), options, clock));
}

void EmbeddedBus::Wake() {
  {
    std::lock_guard lock(wake_mu_);
    ++generation_;
  }
  wake_cv_.notify_all();
}

Status EmbeddedBus::Subscribe(const std::string& topic, const std::string& queue) {
  return db_->Write([&](SqliteConn& c) -> Status {
    RKD_STMT(s, *db_, c, "subscribe");
    return s.Bind(1, topic).Bind(2, queue).Run();
  });
}

Status EmbeddedBus::Publish(const std::string& topic, const std::vector<OutgoingMessage>& messages) {
  if (messages.empty()) return Status::Ok();
  const Millis now = clock_->Now();
  Status st = db_->Write([&](SqliteConn& c) -> Status {
    std::vector<std::string> queues;
    {
      RKD_STMT(s, *db_, c, "subscribers");
      s.Bind(1, topic);
      for (;;) {
        auto row = s.Step();
        if (!row.ok()) return row.status();
        if (!*row) break;
        queues.push_back(s.Text(0));
      }
    }
    for (const std::string& q : queues) {
      for (const OutgoingMessage& m : messages) {
        RKD_STMT(s, *db_, c, "enqueue");
        s.Bind(1, q).Bind(2, m.body).Bind(4, now);
        s.Bind(3, m.dedup_id.empty() ? std::nullopt : std::optional<std::string>(m.dedup_id));
        RKD_RETURN_IF_ERROR(s.Run());
      }
    }
    return Status::Ok();
  });
  if (st.ok()) Wake();
  return st;
}

Result<std::vector<Message>> EmbeddedBus::TryReceive(const std::string& queue, int max) {
  std::vector<Message> out;
  std::vector<Message> dead;  // moved to the dead-letter queue by this call: logged once it commits
  const Millis now = clock_->Now();
  const Millis invisible_until =
      now + std::chrono::duration_cast<std::chrono::milliseconds>(options_.visibility_timeout).count();
  Status st = db_->Write([&](SqliteConn& c) -> Status {
    out.clear();
    dead.clear();
    struct Row {
      int64_t id, receive_count;
      Message m;
    };
    std::vector<Row> rows;
    {
      RKD_STMT(s, *db_, c, "ready");
      // Read a little more than asked: exhausted messages found here go to the DLQ
      // rather than being delivered.
      s.Bind(1, queue).Bind(2, now).Bind(3, int64_t{max * 2});
      for (;;) {
        auto row = s.Step();
        if (!row.ok()) return row.status();
        if (!*row) break;
        Row r{s.Int(0), s.Int(3), Message{}};
        r.m.body = s.Text(1);
        r.m.dedup_id = s.Text(2);
        r.m.sent_at = s.Int(4);
        rows.push_back(std::move(r));
      }
    }
    for (Row& r : rows) {
      if (r.receive_count >= options_.max_receives) {
        RKD_STMT(s, *db_, c, "dead-letter");
        RKD_RETURN_IF_ERROR(s.Bind(1, r.id).Bind(2, std::string(kExpiredReason)).Run());
        r.m.receive_count = static_cast<int>(r.receive_count);
        dead.push_back(std::move(r.m));
        continue;
      }
      if (static_cast<int>(out.size()) >= max) continue;
      RKD_STMT(s, *db_, c, "mark-received");
      RKD_RETURN_IF_ERROR(s.Bind(1, r.id).Bind(2, invisible_until).Run());
      r.m.receive_count = static_cast<int>(r.receive_count + 1);
      r.m.receipt = MakeReceipt(r.id, r.receive_count + 1);
      out.push_back(std::move(r.m));
    }
    return Status::Ok();
  });
  if (!st.ok()) return st;
  for (const Message& m : dead) LogDeadLettered(queue, m.dedup_id, m.receive_count, kExpiredReason);
  return out;
}

Result<std::vector<Message>> EmbeddedBus::Receive(const std::string& queue, int max, std::chrono::milliseconds wait) {
  max = std::clamp(max, 1, 100);
  const auto deadline = std::chrono::steady_clock::now() + wait;
  for (;;) {
    uint64_t seen;
    {
      std::lock_guard lock(wake_mu_);
      seen = generation_;
    }
    auto got = TryReceive(queue, max);
    if (!got.ok() || !got->empty()) return got;
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) return got;
    // Wake on a publish in this process, or poll for other processes' publishes and
    // for delayed messages becoming visible.
    std::unique_lock lock(wake_mu_);
    wake_cv_.wait_for(lock,
                      std::min<std::chrono::steady_clock::duration>(deadline - now, std::chrono::milliseconds(50)),
                      [&] { return generation_ != seen; });
  }
}

Status EmbeddedBus::Ack(const std::string& queue, const std::vector<std::string>& receipts) {
  if (receipts.empty()) return Status::Ok();
  return db_->Write([&](SqliteConn& c) -> Status {
    for (const std::string& receipt : receipts) {
      int64_t id, count;
      if (!ParseReceipt(receipt, &id, &count)) return Status::InvalidArgument("not a receipt: " + receipt, "receipt");
      RKD_STMT(s, *db_, c, "ack");
      RKD_RETURN_IF_ERROR(s.Bind(1, id).Bind(2, count).Run());
    }
    return Status::Ok();
  });
}

Status EmbeddedBus::Extend(const std::string&, const std::vector<std::string>& receipts) {
  if (receipts.empty()) return Status::Ok();
  const Millis invisible_until =
      clock_->Now() + std::chrono::duration_cast<std::chrono::milliseconds>(options_.visibility_timeout).count();
  return db_->Write([&](SqliteConn& c) -> Status {
    for (const std::string& receipt : receipts) {
      int64_t id, count;
      if (!ParseReceipt(receipt, &id, &count)) return Status::InvalidArgument("not a receipt: " + receipt, "receipt");
      RKD_STMT(s, *db_, c, "extend");
      RKD_RETURN_IF_ERROR(s.Bind(1, id).Bind(2, count).Bind(3, invisible_until).Run());
    }
    return Status::Ok();
  });
}

Status EmbeddedBus::Nack(const std::string& queue, const std::string& receipt, std::chrono::milliseconds delay,
                         const std::string& error) {
  int64_t id, count;
  if (!ParseReceipt(receipt, &id, &count)) return Status::InvalidArgument("not a receipt: " + receipt, "receipt");
  bool dead = false;
  std::string event;  // its dedup id
  const std::string reason = error.empty() ? std::string("failed after the last receive") : error;
  Status st = db_->Write([&](SqliteConn& c) -> Status {
    dead = false;
    {
      RKD_STMT(s, *db_, c, "get-delivery");
      s.Bind(1, id).Bind(2, count);
      auto row = s.Step();
      if (!row.ok()) return row.status();
      if (!*row) return Status::Ok();  // stale receipt: a newer delivery owns the message
      event = s.Text(1);
    }
    if (count >= options_.max_receives) {
      RKD_STMT(s, *db_, c, "dead-letter");
      dead = true;
      return s.Bind(1, id).Bind(2, reason).Run();
    }
    RKD_STMT(s, *db_, c, "nack");
    return s.Bind(1, id).Bind(2, count).Bind(3, clock_->Now() + delay.count()).Bind(4, error).Run();
  });
  if (st.ok() && dead) LogDeadLettered(queue, event, static_cast<int>(count), reason);
  if (st.ok() && delay.count() == 0) Wake();
  return st;
}

Result<int64_t> EmbeddedBus::Redrive(const std::string& queue) {
  int64_t moved = 0;
  Status st = db_->Write([&](SqliteConn& c) -> Status {
    RKD_STMT(s, *db_, c, "redrive");
    RKD_RETURN_IF_ERROR(s.Bind(1, queue).Bind(2, clock_->Now()).Run());
    moved = sqlite3_changes(c.db());
    return Status::Ok();
  });
  if (!st.ok()) return st;
  Wake();
  return moved;
}

Result<std::vector<Message>> EmbeddedBus::PeekDeadLetters(const std::string& queue, int max) {
  RKD_READER(c, *db_);
  RKD_STMT(s, *db_, c, "peek-dead");
  s.Bind(1, queue).Bind(2, int64_t{std::clamp(max, 1, 1000)});
  std::vector<Message> out;
  for (;;) {
    auto row = s.Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    Message m;
    m.body = s.Text(1);
    m.dedup_id = s.Text(2);
    m.receive_count = static_cast<int>(s.Int(3));
    m.sent_at = s.Int(4);
    m.last_error = s.Text(5);
    out.push_back(std::move(m));
  }
  return out;
}

Result<std::vector<QueueStats>> EmbeddedBus::Stats() {
  RKD_READER(c, *db_);
  std::vector<std::string> queues;
  {
    RKD_STMT(s, *db_, c, "queues");
    for (;;) {
      auto row = s.Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      queues.push_back(s.Text(0));
    }
  }
  const Millis now = clock_->Now();
  std::vector<QueueStats> out;
  for (const std::string& q : queues) {
    RKD_STMT(s, *db_, c, "queue-stats");
    s.Bind(1, q).Bind(2, now);
    auto row = s.Step();
    if (!row.ok()) return row.status();
    QueueStats st;
    st.name = q;
    st.depth = s.Int(0);
    st.in_flight = s.Int(1);
    st.oldest_age_seconds = s.IsNull(2) ? 0 : static_cast<double>(now - s.Int(2)) / 1000.0;
    st.dlq_depth = s.Int(3);
    out.push_back(st);
  }
  return out;
}

Result<int64_t> EmbeddedBus::PurgeExpired() {
  int64_t purged = 0;
  const Millis cutoff =
      clock_->Now() - std::chrono::duration_cast<std::chrono::milliseconds>(options_.retention).count();
  Status st = db_->Write([&](SqliteConn& c) -> Status {
    RKD_STMT(s, *db_, c, "purge");
    RKD_RETURN_IF_ERROR(s.Bind(1, cutoff).Run());
    purged = sqlite3_changes(c.db());
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return purged;
}

}  // namespace rkd

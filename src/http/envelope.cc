#include "http/envelope.h"

#include "base/log.h"
#include "base/time.h"

namespace rkd {
namespace {

using nlohmann::json;

std::string Now() {
  static const SystemClock kClock;
  return FormatRfc3339(kClock.Now());
}

std::string Serialize(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

}  // namespace

// The envelope is written around the data's serialization rather than built as a
// json tree: copying a large `data` tree into an envelope object would cost more than
// serializing it.

HttpResponse DataResponse(const json& data, int status) {
  HttpResponse r;
  r.status = status;
  r.body = "{\"success\":true,\"data\":" + Serialize(data) + ",\"timestamp\":\"" + Now() + "\"}";
  return r;
}

HttpResponse ListResponse(const json& items, const std::string& next_cursor) {
  HttpResponse r;
  r.body = "{\"success\":true,\"data\":" + Serialize(items) +
           ",\"nextCursor\":" + (next_cursor.empty() ? std::string("null") : Serialize(next_cursor)) +
           ",\"timestamp\":\"" + Now() + "\"}";
  return r;
}

HttpResponse ListResponse(const json& items, const std::string& next_cursor, int64_t total) {
  HttpResponse r;
  r.body = "{\"success\":true,\"data\":" + Serialize(items) +
           ",\"nextCursor\":" + (next_cursor.empty() ? std::string("null") : Serialize(next_cursor)) +
           ",\"total\":" + std::to_string(total) + ",\"timestamp\":\"" + Now() + "\"}";
  return r;
}

HttpResponse ErrorResponse(int status, const std::string& code, const std::string& message, const std::string& field) {
  json body{{"success", false}, {"error", message}, {"code", code}, {"timestamp", Now()}};
  if (!field.empty()) body["field"] = field;
  HttpResponse r;
  r.status = status;
  r.reason = ReasonPhrase(message);
  r.body = Serialize(body);
  return r;
}

std::string ReasonPhrase(const std::string& message) {
  // RFC 9112: reason-phrase = 1*( HTAB / SP / VCHAR / obs-text ). Only printable ASCII
  // is kept (a CR or LF would end the status line: response splitting), and a long
  // message is cut: the JSON body carries it whole.
  constexpr size_t kMaxLength = 160;
  std::string out;
  for (unsigned char c : message) {
    if (out.size() >= kMaxLength) break;
    if (c >= 0x20 && c < 0x7f)
      out.push_back(static_cast<char>(c));
    else if (c < 0x80 || (c & 0xc0) == 0xc0)  // a control byte, or the first byte of a UTF-8 sequence
      out.push_back('?');
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

int HttpStatusFor(Code code) {
  switch (code) {
    case Code::kOk:
      return 200;
    case Code::kInvalidArgument:
      return 400;
    case Code::kNotFound:
      return 404;
    case Code::kAlreadyExists:
      return 409;
    case Code::kFailedPrecondition:
      return 409;
    case Code::kUnauthenticated:
      return 401;
    case Code::kUnavailable:
      return 503;
    case Code::kInternal:
      return 500;
  }
  return 500;
}

HttpResponse ErrorResponse(const Status& status) {
  // Internal details stay in the log; the client gets a generic message.
  if (status.code() == Code::kInternal || status.code() == Code::kUnavailable)
    LogError("request failed", {{"error", status.ToString()}});
  const std::string message = status.code() == Code::kInternal ? "internal error" : status.message();
  return ErrorResponse(HttpStatusFor(status.code()), CodeName(status.code()), message, status.field());
}

}  // namespace rkd

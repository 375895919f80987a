#include "api/envelope.h"

#include "base/log.h"
#include "base/time.h"

namespace rkd {
namespace {

using nlohmann::json;

std::string Now() {
  static const SystemClock clock;
  return FormatRfc3339(clock.Now());
}

HttpResponse JsonResponse(int status, const json& body) {
  HttpResponse r;
  r.status = status;
  r.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
  return r;
}

}  // namespace

HttpResponse DataResponse(const json& data, int status) {
  return JsonResponse(status, json{{"success", true}, {"data", data}, {"timestamp", Now()}});
}

HttpResponse ListResponse(const json& items, const std::string& next_cursor) {
  return JsonResponse(200, json{{"success", true},
                                {"data", items},
                                {"nextCursor", next_cursor.empty() ? json(nullptr) : json(next_cursor)},
                                {"timestamp", Now()}});
}

HttpResponse ErrorResponse(int status, const std::string& code, const std::string& message,
                           const std::string& field) {
  json body{{"success", false}, {"error", message}, {"code", code}, {"timestamp", Now()}};
  if (!field.empty()) body["field"] = field;
  return JsonResponse(status, body);
}

int HttpStatusFor(Code code) {
  switch (code) {
    case Code::kOk: return 200;
    case Code::kInvalidArgument: return 400;
    case Code::kNotFound: return 404;
    case Code::kAlreadyExists: return 409;
    case Code::kFailedPrecondition: return 409;
    case Code::kUnauthenticated: return 401;
    case Code::kUnavailable: return 503;
    case Code::kInternal: return 500;
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

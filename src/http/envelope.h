// The wire envelope (DESIGN.md): {"success": true, "data": …, "timestamp": …} and
// {"success": false, "error": …, "code": …, "field": …, "timestamp": …}. One place maps
// a Status to its HTTP status.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "base/status.h"
#include "http/http_types.h"

namespace rkd {

HttpResponse DataResponse(const nlohmann::json& data, int status = 200);
// A page of a list: the array in `data`, the next page's cursor beside it (null at the end).
HttpResponse ListResponse(const nlohmann::json& items, const std::string& next_cursor);
// The same with `total` beside the page: how many items the whole list holds.
HttpResponse ListResponse(const nlohmann::json& items, const std::string& next_cursor, int64_t total);
HttpResponse ErrorResponse(int status, const std::string& code, const std::string& message,
                           const std::string& field = {});
HttpResponse ErrorResponse(const Status& status);
// An error's message as a status line's reason phrase: printable ASCII, at most 160
// characters (anything else becomes '?' or is cut).
std::string ReasonPhrase(const std::string& message);
int HttpStatusFor(Code code);

}  // namespace rkd

// POST /api/orders: stores an order and moves the user's order statistics with it.
// Idempotent by the order's externalId (or its Idempotency-Key header): a retry of a
// stored order answers 200 with that order and `Idempotent-Replayed: true`, writing
// nothing; a different order under a taken key is a 409 on "externalId".
#include <optional>
#include <string>

#include "api/api.h"
#include "api/validation.h"
#include "domain/json_codec.h"
#include "http/envelope.h"

namespace rkd {

void RegisterOrderRoutes(Router& router, ApiContext& ctx) {
  router.Add("POST", "/api/orders", [&ctx](HttpRequest& req) {
    auto body = ParseJsonObject(req.body);
    if (!body.ok()) return ErrorResponse(body.status());
    std::optional<std::string> key;
    if (auto it = req.headers.find("idempotency-key"); it != req.headers.end()) key = it->second;
    auto order = ParseNewOrder(*body, ctx.clock.Now(), key);
    if (!order.ok()) return ErrorResponse(order.status());
    auto result = ctx.store.CreateOrder(std::move(order).value());
    if (!result.ok()) return ErrorResponse(result.status());
    nlohmann::json data = ToJson(result->order);
    data["user"] = ToJson(result->user);
    if (!result->replayed) return DataResponse(data, 201);
    HttpResponse resp = DataResponse(data, 200);
    resp.headers.emplace_back("Idempotent-Replayed", "true");
    return resp;
  });
}

}  // namespace rkd

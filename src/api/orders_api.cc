// POST /api/orders: stores an order and moves the user's order statistics with it.
#include "api/api.h"
#include "api/envelope.h"
#include "api/validation.h"
#include "domain/json_codec.h"

namespace rkd {

void RegisterOrderRoutes(Router& router, ApiContext& ctx) {
  router.Add("POST", "/api/orders", [&ctx](HttpRequest& req) {
    auto body = ParseJsonObject(req.body);
    if (!body.ok()) return ErrorResponse(body.status());
    auto order = ParseNewOrder(*body, ctx.clock.Now());
    if (!order.ok()) return ErrorResponse(order.status());
    auto result = ctx.store.CreateOrder(std::move(order).value());
    if (!result.ok()) return ErrorResponse(result.status());
    nlohmann::json data = ToJson(result->order);
    data["user"] = ToJson(result->user);
    return DataResponse(data, 201);
  });
}

}  // namespace rkd

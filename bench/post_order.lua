-- POST /api/orders for random demo users.
local users = tonumber(os.getenv("BENCH_USERS") or "100000")
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  local body = string.format(
    '{"userId":"demo-42-%d","totalValue":%d.99,"items":[{"itemId":"b1","productId":"sku-11","name":"Denim Jacket","category":"Denim","price":%d.99,"quantity":1}]}',
    math.random(1, users), math.random(10, 300), math.random(10, 300))
  return wrk.format(nil, nil, nil, body)
end

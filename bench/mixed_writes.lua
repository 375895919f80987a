-- A mixed write load for the store-growth soak (bench/soak_bench.py): of every ten
-- requests, seven orders for random demo clients, two changes to a client's name and
-- categories, one new client.
local users = tonumber(os.getenv("BENCH_USERS") or "10000")
local counter = 0

-- Each thread has its own id (new clients' addresses must not collide across threads).
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end
function init(args)
  math.randomseed(id * 7919 + os.time())
end
wrk.headers["Content-Type"] = "application/json"
request = function()
  counter = counter + 1
  local kind = counter % 10
  local id = math.random(1, users)
  if kind < 7 then
    local body = string.format(
      '{"userId":"demo-42-%d","totalValue":%d.99,"items":[{"itemId":"b1","productId":"sku-11","name":"Denim Jacket","category":"Denim","price":%d.99,"quantity":1}]}',
      id, math.random(10, 300), math.random(10, 300))
    return wrk.format("POST", "/api/orders", nil, body)
  elseif kind < 9 then
    local body = string.format('{"name":"Client %d","preferredCategories":["Denim","Shoes %d"]}', counter,
      math.random(1, 50))
    return wrk.format("PUT", "/api/users/demo-42-" .. id, nil, body)
  else
    local body = string.format('{"email":"soak-%d-%d@example.com","name":"Soak Client","lastOrderDate":"2026-01-15"}',
      id, counter)
    return wrk.format("POST", "/api/users", nil, body)
  end
end

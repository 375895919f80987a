-- GET /api/users/:id for random demo users (ids are demo-<seed>-<n>).
local users = tonumber(os.getenv("BENCH_USERS") or "100000")
request = function()
  return wrk.format("GET", "/api/users/demo-42-" .. math.random(1, users))
end

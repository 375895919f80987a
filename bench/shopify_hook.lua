-- POST /hooks/shopify: one signed customers/create body (BENCH_HOOK_BODY, its signature
-- BENCH_HOOK_SIG), each request under a fresh X-Shopify-Event-Id, so every delivery is
-- verified, checked, recorded and queued for the applier (none is a duplicate).
local body = os.getenv("BENCH_HOOK_BODY")
local sig = os.getenv("BENCH_HOOK_SIG")
local counter = 0
local prefix = ""
setup = function(thread)
  thread:set("prefix", tostring(math.random(1, 1e9)))
end
init = function()
  prefix = wrk.thread:get("prefix") or tostring(math.random(1, 1e9))
end
request = function()
  counter = counter + 1
  local headers = {
    ["Content-Type"] = "application/json",
    ["X-Shopify-Topic"] = "customers/create",
    ["X-Shopify-Hmac-Sha256"] = sig,
    ["X-Shopify-Event-Id"] = prefix .. "-" .. counter,
  }
  return wrk.format("POST", "/hooks/shopify", headers, body)
end

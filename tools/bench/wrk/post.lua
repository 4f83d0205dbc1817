-- POST /guestbook as JSON, each request a message of its own (thread id and counter).
local counter = 0
local tag = tostring(math.random(1, 1e9))
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

request = function()
  counter = counter + 1
  local body = string.format('{"name": "bench", "message": "%s-%d"}', tag, counter)
  return wrk.format(nil, "/guestbook", nil, body)
end

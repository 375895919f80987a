"""A local OpenAI-compatible server for the LLM writer's tests: POST /v1/chat/completions
in the real wire format (completions with usage, error bodies {"error": {"message",
"type", "param", "code"}}, x-ratelimit-* and x-request-id headers), with faults injected
on demand. Python stdlib only.

Run alone:   python3 tests/fake_openai.py --port 0      (prints the port on its first line)
In Python:   fake = FakeOpenAI(); fake.configure(script=[...], default={...}); fake.url

Control (JSON over HTTP, so that C++ tests can drive it too):
  POST /_control/scenario  {"script": [B, ...], "default": B, "server": {...}}
      The next requests get the script's behaviours in order, then `default` (ok).
      Resets the request log. server: {"json_schema": true, "json_object": true,
      "require_key": "test-key"|null}: a server without json_schema (or JSON mode)
      answers 400 naming response_format, as vLLM, llama.cpp and old models do.
  GET  /_control/requests  {"requests": [{"at", "mode", "max_tokens", "model", "auth",
                            "behaviour"}], "max_concurrent": n, "count": n}

A behaviour B is {"kind": K, ...} with K one of
  ok              a good email (subject, text with the shop link, HTML) from the profile
                  in the prompt; "latency_ms" delays it; "usage": "openai" (default),
                  "none", "total_only", "input_output"; "rate_headers": false drops the
                  x-ratelimit-* headers
  status          HTTP "status" with an OpenAI error body; "headers" (e.g. Retry-After,
                  retry-after-ms, x-should-retry), "message", "type", "code"
  stall           answers nothing for "seconds" (default 30): a timeout for the client
  disconnect      closes the connection without a response
  truncated       sends the headers and half of the body, then closes the connection
  truncated_json  a complete HTTP response whose JSON body is cut in half
  malformed       200 with a body that is not JSON
  missing_fields  200 with JSON that has no choices
  refusal         message.content null, message.refusal set
  length          finish_reason "length" with the content cut off
  script_html     a good email whose HTML carries <script>, onclick and javascript: links
  placeholder     an email with "[Name]" left in it (fails the checks)
  plain           a good email as plain "Subject: ..." text, whatever was asked
"""
import argparse
import json
import re
import socket
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class State:
    def __init__(self):
        self.lock = threading.Lock()
        self.reset({})

    def reset(self, scenario):
        with self.lock:
            self.script = list(scenario.get("script") or [])
            self.default = scenario.get("default") or {"kind": "ok"}
            server = scenario.get("server") or {}
            self.json_schema = server.get("json_schema", True)
            self.json_object = server.get("json_object", True)
            self.require_key = server.get("require_key")
            self.requests = []
            self.in_flight = 0
            self.max_concurrent = 0

    def next_behaviour(self):
        with self.lock:
            return self.script.pop(0) if self.script else dict(self.default)


def profile_from(messages):
    """The customer profile: the JSON object in the last user message."""
    user = next((m.get("content") or "" for m in reversed(messages) if m.get("role") == "user"), "")
    start, end = user.find("{"), user.rfind("}")
    try:
        return json.loads(user[start:end + 1]) if start >= 0 else {}
    except ValueError:
        return {}


def write_email(profile):
    name = profile.get("name") or "there"
    first = name.split(" ")[0]
    link = profile.get("shopLink") or "https://shop.example.com"
    cats = profile.get("preferredCategories") or []
    orders = profile.get("orderCount", 0)
    new_in = (" New in " + " and ".join(cats) + " this season.") if cats else ""
    subject = f"{first}, we saved something for you"
    text = (f"Hi {first},\n\nThank you for your {orders} orders with us; it has been a while since the last one."
            f"{new_in}\n\nCome back and see what is new: {link}\n\nSee you soon,\nThe team")
    html = (f"<p>Hi {first},</p><p>Thank you for your {orders} orders with us; it has been a while since the "
            f"last one.{new_in}</p><p><a href=\"{link.replace('&', '&amp;')}\">Come back and see what is new</a>"
            f"</p><p>See you soon,<br>The team</p>")
    return {"subject": subject, "text": text, "html": html}


def completion(model, content, finish="stop", refusal=None, usage="openai", prompt_tokens=0):
    body = {
        "id": "chatcmpl-" + uuid.uuid4().hex[:24],
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "system_fingerprint": "fp_fake",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content, "refusal": refusal},
                     "logprobs": None, "finish_reason": finish}],
    }
    completion_tokens = len(content or refusal or "") // 4 + 1
    if usage == "openai":
        body["usage"] = {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                         "total_tokens": prompt_tokens + completion_tokens,
                         "prompt_tokens_details": {"cached_tokens": 0},
                         "completion_tokens_details": {"reasoning_tokens": 0}}
    elif usage == "total_only":
        body["usage"] = {"total_tokens": prompt_tokens + completion_tokens}
    elif usage == "input_output":
        body["usage"] = {"input_tokens": prompt_tokens, "output_tokens": completion_tokens}
    return body


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    state = None  # set per server class

    def setup(self):
        super().setup()
        # Headers and body go out in two writes: without this, Nagle's algorithm and the
        # client's delayed ACK add 40 ms to every response.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, *args):
        pass

    def send_json(self, status, obj, headers=None, raw=None):
        data = raw if raw is not None else json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("x-request-id", "req_" + uuid.uuid4().hex[:16])
        for k, v in (headers or {}).items():
            self.send_header(k, str(v))
        self.end_headers()
        self.wfile.write(data)

    def send_error_body(self, status, message, type_="invalid_request_error", code=None, param=None, headers=None):
        self.send_json(status, {"error": {"message": message, "type": type_, "param": param, "code": code}}, headers)

    def read_body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def do_GET(self):
        st = self.state
        if self.path.startswith("/_control/requests"):
            with st.lock:
                self.send_json(200, {"requests": list(st.requests), "max_concurrent": st.max_concurrent,
                                     "count": len(st.requests)})
            return
        self.send_error_body(404, "Unknown path " + self.path)

    def do_POST(self):
        st = self.state
        raw = self.read_body()
        if self.path.startswith("/_control/scenario"):
            st.reset(json.loads(raw or b"{}"))
            self.send_json(200, {"ok": True})
            return
        if not self.path.rstrip("/").endswith("/chat/completions"):
            self.send_error_body(404, "Unknown path " + self.path)
            return
        with st.lock:
            st.in_flight += 1
            st.max_concurrent = max(st.max_concurrent, st.in_flight)
        try:
            self.chat(raw)
        except (BrokenPipeError, ConnectionResetError):
            pass
        finally:
            with st.lock:
                st.in_flight -= 1

    def chat(self, raw):
        st = self.state
        try:
            req = json.loads(raw)
        except ValueError:
            self.send_error_body(400, "We could not parse the JSON body of your request.")
            return
        fmt = (req.get("response_format") or {}).get("type") or "none"
        auth = self.headers.get("Authorization")
        # What the server itself refuses (a wrong key, an unsupported response_format)
        # does not use up a scripted behaviour.
        refused = None
        if st.require_key and auth != "Bearer " + st.require_key:
            refused = "unauthorized"
        elif (fmt == "json_schema" and not st.json_schema) or (fmt == "json_object" and not st.json_object):
            refused = "unsupported_format"
        behaviour = st.next_behaviour() if refused is None else {"kind": refused}
        with st.lock:
            st.requests.append({"at": time.time(), "mode": fmt, "max_tokens": req.get("max_tokens"),
                                "model": req.get("model"), "auth": auth is not None,
                                "behaviour": behaviour.get("kind", "ok")})
        if refused == "unauthorized":
            self.send_error_body(401, "Incorrect API key provided.", code="invalid_api_key")
            return
        if refused:
            self.send_error_body(400, f"response_format of type '{fmt}' is not supported by this server.",
                                 param="response_format")
            return
        kind = behaviour.get("kind", "ok")
        time.sleep(behaviour.get("latency_ms", 0) / 1000.0)
        model = req.get("model") or "fake"
        messages = req.get("messages") or []
        prompt_tokens = sum(len(m.get("content") or "") for m in messages) // 4 + 1
        usage = behaviour.get("usage", "openai")
        headers = {}
        if behaviour.get("rate_headers", True):
            headers = {"x-ratelimit-limit-requests": 500, "x-ratelimit-remaining-requests": 499,
                       "x-ratelimit-reset-requests": "120ms", "x-ratelimit-limit-tokens": 200000,
                       "x-ratelimit-remaining-tokens": 199000, "x-ratelimit-reset-tokens": "300ms"}

        def content_for(email):
            if fmt == "none" or kind == "plain":
                return f"Subject: {email['subject']}\n\n{email['text']}"
            return json.dumps(email)

        if kind == "status":
            status = behaviour.get("status", 500)
            default_type = {429: "requests", 401: "invalid_request_error"}.get(status, "server_error")
            self.send_error_body(status, behaviour.get("message", f"The server had an error ({status})."),
                                 type_=behaviour.get("type", default_type), code=behaviour.get("code"),
                                 headers=behaviour.get("headers"))
        elif kind == "stall":
            time.sleep(behaviour.get("seconds", 30))
            self.close_connection = True
        elif kind == "disconnect":
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
        elif kind in ("truncated", "truncated_json", "malformed", "missing_fields"):
            full = json.dumps(completion(model, content_for(write_email(profile_from(messages))), usage=usage,
                                         prompt_tokens=prompt_tokens)).encode()
            if kind == "truncated":
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(full)))
                self.end_headers()
                self.wfile.write(full[:len(full) // 2])
                self.wfile.flush()
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
            elif kind == "truncated_json":
                self.send_json(200, None, headers, raw=full[:len(full) // 2])
            elif kind == "malformed":
                self.send_json(200, None, headers, raw=b"{\"id\": \"chatcmpl-x\", \"choices\": [oops}")
            else:
                self.send_json(200, {"id": "chatcmpl-x", "object": "chat.completion", "model": model}, headers)
        elif kind == "refusal":
            self.send_json(200, completion(model, None, refusal="I'm sorry, I can't help with that request.",
                                           usage=usage, prompt_tokens=prompt_tokens), headers)
        elif kind == "length":
            full = content_for(write_email(profile_from(messages)))
            self.send_json(200, completion(model, full[:len(full) // 3], finish="length", usage=usage,
                                           prompt_tokens=prompt_tokens), headers)
        else:
            email = write_email(profile_from(messages))
            if kind == "script_html":
                email["html"] = ("<script>alert('x')</script>" + email["html"].replace("<p>", "<p onclick=\"steal()\">", 1)
                                 # Hostile URLs the sanitizer once let through (issue 13): a
                                 # CR LF that a redirect would turn into a header, a script URL
                                 # that merely mentions https, and a CSS remote load.
                                 + "<p><a href=\"https://x.test/&#13;&#10;Set-Cookie: pwned=1\">a</a>"
                                 + "<a href=\"javascript:fetch('https://x.test')\">b</a></p>"
                                 + "<p style=\"background:image-set(url(https://x.test/i.png) 1x)\">c</p>"
                                 + "<p><a href=\"javascript:alert(1)\">more</a><iframe src=\"https://evil.test\">"
                                 "</iframe></p>")
            elif kind == "placeholder":
                email["text"] = email["text"].replace("Hi ", "Hi [Name], dear ", 1)
            self.send_json(200, completion(model, content_for(email), usage=usage, prompt_tokens=prompt_tokens),
                           headers)


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 512  # the listen backlog: many clients connect at once


class FakeOpenAI:
    """The server on a background thread (for Python tests)."""

    def __init__(self, port=0):
        state = State()
        handler = type("BoundHandler", (Handler,), {"state": state})
        self.state = state
        self.httpd = Server(("127.0.0.1", port), handler)
        self.port = self.httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/v1"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def configure(self, script=None, default=None, server=None):
        self.state.reset({"script": script, "default": default, "server": server})

    @property
    def requests(self):
        with self.state.lock:
            return list(self.state.requests)

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    fake = FakeOpenAI(args.port)
    print(fake.port, flush=True)
    try:
        # Runs until the parent closes our stdin (so it never outlives a crashed test),
        # or until a signal.
        while sys.stdin.buffer.read(4096):
            pass
    except KeyboardInterrupt:
        pass
    fake.stop()


if __name__ == "__main__":
    main()

#include "http/request_target.h"

#include "base/text_encoding.h"

namespace rkd {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool PercentDecode(std::string_view in, bool plus_is_space, std::string* out) {
  out->clear();
  out->reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '%') {
      if (i + 2 >= in.size()) return false;
      const int hi = HexValue(in[i + 1]), lo = HexValue(in[i + 2]);
      if (hi < 0 || lo < 0) return false;
      *out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (plus_is_space && in[i] == '+') {
      *out += ' ';
    } else {
      *out += in[i];
    }
  }
  return true;
}

bool HasControl(std::string_view s) {
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == 0x7f) return true;
  }
  return false;
}

Status BadTarget(const std::string& why) { return Status::InvalidArgument("request target " + why, "target"); }

}  // namespace

Result<RequestTarget> NormalizeTarget(std::string_view raw) {
  for (char ch : raw) {
    const auto c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c >= 0x7f) return BadTarget("must be printable ASCII (percent-encode anything else)");
  }
  if (raw.empty() || raw[0] != '/') return BadTarget("must start with \"/\"");
  if (raw.find('#') != std::string_view::npos) return BadTarget("must not carry a fragment");
  const size_t q = raw.find('?');
  std::string_view raw_path = raw.substr(0, q);

  RequestTarget out;
  // One trailing "/" is dropped, so "/api/users/" and "/api/users" are one resource.
  if (raw_path.size() > 1 && raw_path.back() == '/') raw_path.remove_suffix(1);
  if (raw_path.size() > 1) {
    std::string_view rest = raw_path.substr(1);
    while (true) {
      const size_t slash = rest.find('/');
      const std::string_view piece = rest.substr(0, slash);
      if (piece.empty()) return BadTarget("must not have empty segments (\"//\")");
      std::string segment;
      if (!PercentDecode(piece, false, &segment)) return BadTarget("is not validly percent-encoded");
      if (segment == "." || segment == "..") return BadTarget("must not have \".\" or \"..\" segments");
      if (segment.find('/') != std::string::npos || segment.find('\\') != std::string::npos)
        return BadTarget("must not encode \"/\" or \"\\\" in a segment");
      if (HasControl(segment)) return BadTarget("must not contain control characters");
      if (!IsValidUtf8(segment)) return BadTarget("must be valid UTF-8 once decoded");
      out.path += '/';
      out.path += segment;
      out.segments.push_back(std::move(segment));
      if (slash == std::string_view::npos) break;
      rest = rest.substr(slash + 1);
    }
  } else {
    out.path = "/";
  }

  if (q == std::string_view::npos) return out;
  std::string_view rest = raw.substr(q + 1);
  while (!rest.empty()) {
    const size_t amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    if (pair.empty()) continue;
    const size_t eq = pair.find('=');
    std::string key, value;
    if (!PercentDecode(pair.substr(0, eq), true, &key) ||
        (eq != std::string_view::npos && !PercentDecode(pair.substr(eq + 1), true, &value)))
      return Status::InvalidArgument("query is not validly percent-encoded", "query");
    // An error names the parameter when its name can be shown, else the query itself.
    const bool nameable = !key.empty() && IsValidUtf8(key) && !HasControl(key);
    const std::string field = nameable ? key : "query";
    if (HasControl(key) || HasControl(value) || !IsValidUtf8(key) || !IsValidUtf8(value))
      return Status::InvalidArgument(
          "query parameter " + (nameable ? key : "name") + " must be valid UTF-8 without control characters", field);
    if (out.query.count(key))
      return Status::InvalidArgument(
          "query parameter " + (nameable ? key : "(empty name)") + " is given more than once", field);
    out.query.emplace(std::move(key), std::move(value));
  }
  return out;
}

bool PathIsUnder(std::string_view path, std::string_view prefix) {
  if (path.size() < prefix.size() || path.compare(0, prefix.size(), prefix) != 0) return false;
  return path.size() == prefix.size() || path[prefix.size()] == '/';
}

}  // namespace rkd

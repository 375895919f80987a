#include "store/cursor.h"

#include <cstring>

namespace rkd {
namespace {
constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
}

std::string EncodeCursor(const nlohmann::json& position) {
  const std::string in = position.dump();
  std::string out;
  uint32_t buf = 0;
  int bits = 0;
  for (unsigned char c : in) {
    buf = (buf << 8) | c;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += kAlphabet[(buf >> bits) & 63];
    }
  }
  if (bits > 0) out += kAlphabet[(buf << (6 - bits)) & 63];
  return out;
}

Result<nlohmann::json> DecodeCursor(const std::string& cursor) {
  std::string out;
  uint32_t buf = 0;
  int bits = 0;
  for (char c : cursor) {
    const char* p = std::strchr(kAlphabet, c);
    if (c == '\0' || p == nullptr) return Status::InvalidArgument("cursor is not valid", "cursor");
    buf = (buf << 6) | static_cast<uint32_t>(p - kAlphabet);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buf >> bits) & 0xff);
    }
  }
  auto j = nlohmann::json::parse(out, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return Status::InvalidArgument("cursor is not valid", "cursor");
  return j;
}

}  // namespace rkd

#include "http/client_address.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cstring>

namespace rkd {
namespace {

std::string Trim(const std::string& s) {
  const size_t begin = s.find_first_not_of(" \t");
  if (begin == std::string::npos) return "";
  return s.substr(begin, s.find_last_not_of(" \t") - begin + 1);
}

bool InAny(const std::vector<Cidr>& trusted, const std::array<uint8_t, 16>& address) {
  return std::any_of(trusted.begin(), trusted.end(), [&](const Cidr& c) { return CidrContains(c, address); });
}

}  // namespace

std::optional<std::array<uint8_t, 16>> ParseIpAddress(const std::string& text) {
  std::array<uint8_t, 16> out{};
  in_addr v4{};
  if (inet_pton(AF_INET, text.c_str(), &v4) == 1) {
    out[10] = 0xff;
    out[11] = 0xff;
    std::memcpy(out.data() + 12, &v4, 4);
    return out;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, text.c_str(), &v6) == 1) {
    std::memcpy(out.data(), &v6, 16);
    return out;
  }
  return std::nullopt;
}

Result<Cidr> ParseCidr(const std::string& text, const std::string& field) {
  const std::string t = Trim(text);
  const size_t slash = t.find('/');
  auto address = ParseIpAddress(t.substr(0, slash));
  auto bad = [&] {
    return Status::InvalidArgument(
        field + ": '" + t + "' is not an address or a network such as 10.0.0.0/8 or fd00::/8", field);
  };
  if (!address) return bad();
  const bool v4 = t.substr(0, slash).find(':') == std::string::npos;
  Cidr c;
  c.network = *address;
  c.prefix_bits = 128;
  if (slash != std::string::npos) {
    const std::string bits = t.substr(slash + 1);
    if (bits.empty() || bits.size() > 3 || bits.find_first_not_of("0123456789") != std::string::npos) return bad();
    const int n = std::stoi(bits);
    if (n > (v4 ? 32 : 128)) return bad();
    c.prefix_bits = v4 ? 96 + n : n;
  }
  // Keep only the network's bits, so containment compares prefixes alone.
  for (int i = 0; i < 16; ++i) {
    const int keep = std::clamp(c.prefix_bits - i * 8, 0, 8);
    c.network[i] &= static_cast<uint8_t>(keep == 8 ? 0xff : (0xff << (8 - keep)) & 0xff);
  }
  return c;
}

bool CidrContains(const Cidr& cidr, const std::array<uint8_t, 16>& address) {
  for (int i = 0; i < 16; ++i) {
    const int keep = std::clamp(cidr.prefix_bits - i * 8, 0, 8);
    if (keep == 0) return true;
    const auto mask = static_cast<uint8_t>(keep == 8 ? 0xff : (0xff << (8 - keep)) & 0xff);
    if ((address[i] & mask) != cidr.network[i]) return false;
  }
  return true;
}

std::string ClientAddress(const std::string& peer, const std::string& forwarded_for, const std::vector<Cidr>& trusted) {
  auto peer_address = ParseIpAddress(peer);
  if (trusted.empty() || !peer_address || !InAny(trusted, *peer_address)) return peer;
  std::string client = peer;
  size_t end = forwarded_for.size();
  while (end > 0) {
    const size_t comma = forwarded_for.rfind(',', end - 1);
    const size_t begin = comma == std::string::npos ? 0 : comma + 1;
    const std::string hop = Trim(forwarded_for.substr(begin, end - begin));
    auto address = ParseIpAddress(hop);
    if (!address) break;  // a value no proxy of ours wrote: believe nothing beyond it
    client = hop;
    if (!InAny(trusted, *address)) break;  // the first untrusted hop is the client
    if (comma == std::string::npos) break;
    end = comma;
  }
  return client;
}

}  // namespace rkd

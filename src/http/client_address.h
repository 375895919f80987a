// Who a request comes from: the TCP peer, or, when the peer is a trusted reverse proxy
// (RKD_TRUSTED_PROXIES), the address that proxy put in X-Forwarded-For. Anyone can send
// an X-Forwarded-For header, so it is believed only from a proxy the operator named, and
// only as far as the chain of trusted proxies goes. Pure functions; thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"

namespace rkd {

// An IPv4 or IPv6 network: "10.0.0.0/8", "192.168.1.10" (one address), "fd00::/8".
// IPv4 is kept as IPv4-mapped IPv6 (::ffff:a.b.c.d), so "10.0.0.1" and
// "::ffff:10.0.0.1" (how a dual-stack socket names it) are the same address.
struct Cidr {
  std::array<uint8_t, 16> network{};
  int prefix_bits = 128;
};

// Parses one network; InvalidArgument naming `field` when it is not one.
Result<Cidr> ParseCidr(const std::string& text, const std::string& field = "RKD_TRUSTED_PROXIES");
// The address as 16 bytes (IPv4 mapped), or nullopt when `text` is not an IP address.
std::optional<std::array<uint8_t, 16>> ParseIpAddress(const std::string& text);
bool CidrContains(const Cidr& cidr, const std::array<uint8_t, 16>& address);

// The client's address for logs (and any per-client limit): `peer` (the socket's
// remote address) unless it lies in one of `trusted`; then X-Forwarded-For
// (`forwarded_for`, the header's value, possibly comma-separated hops) is read from the
// right, skipping addresses that are themselves trusted proxies, and the first other
// address is the client. A malformed hop stops the walk at the last trusted address
// (never a value the client could have chosen past a proxy it does not control).
std::string ClientAddress(const std::string& peer, const std::string& forwarded_for, const std::vector<Cidr>& trusted);

}  // namespace rkd

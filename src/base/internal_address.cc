#include "base/internal_address.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cctype>
#include <cstdint>
#include <string>

namespace rkd {
namespace {

bool InternalV4(uint32_t a) {
  auto in = [a](uint32_t net, int bits) { return (a >> (32 - bits)) == (net >> (32 - bits)); };
  return in(0x00000000, 8) || in(0x0A000000, 8) || in(0x7F000000, 8) || in(0xA9FE0000, 16) || in(0xAC100000, 12) ||
         in(0xC0A80000, 16) || in(0x64400000, 10) || a >= 0xE0000000;
}

bool InternalV6(const in6_addr& a) {
  const uint8_t* b = a.s6_addr;
  if (IN6_IS_ADDR_V4MAPPED(&a))
    return InternalV4(uint32_t{b[12]} << 24 | uint32_t{b[13]} << 16 | uint32_t{b[14]} << 8 | b[15]);
  return IN6_IS_ADDR_LOOPBACK(&a) || IN6_IS_ADDR_UNSPECIFIED(&a) || (b[0] & 0xfe) == 0xfc ||
         (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) || b[0] == 0xff;
}

}  // namespace

bool IsInternalAddress(const sockaddr* address) {
  if (address->sa_family == AF_INET)
    return InternalV4(ntohl(reinterpret_cast<const sockaddr_in*>(address)->sin_addr.s_addr));
  if (address->sa_family == AF_INET6) return InternalV6(reinterpret_cast<const sockaddr_in6*>(address)->sin6_addr);
  return true;
}

bool IsInternalHost(std::string_view host) {
  std::string h(host);
  for (char& c : h) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (!h.empty() && h.back() == '.') h.pop_back();  // "localhost." is localhost
  if (h == "localhost" || (h.size() > 10 && h.ends_with(".localhost"))) return true;
  if (h.size() >= 2 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
  // inet_aton, not inet_pton: the resolver takes "127.1", "2130706433" and "0x7f.1" too.
  in_addr v4{};
  if (inet_aton(h.c_str(), &v4) != 0) return InternalV4(ntohl(v4.s_addr));
  in6_addr v6{};
  if (inet_pton(AF_INET6, h.c_str(), &v6) == 1) return InternalV6(v6);
  return false;
}

}  // namespace rkd

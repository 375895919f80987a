// Addresses inside the host or its networks, which a URL someone else chose (an outgoing
// webhook's) must not reach: loopback, private (RFC 1918, fc00::/7), link-local (the
// cloud metadata service at 169.254.169.254), carrier-grade NAT, multicast, unspecified,
// and the IPv4-mapped IPv6 form of any of them. Pure; thread-safe.
#pragma once

#include <sys/socket.h>

#include <string_view>

namespace rkd {

// An address of another family than IPv4 and IPv6 counts as internal.
bool IsInternalAddress(const sockaddr* address);

// Whether `host` (a URL's host: a name, an IPv4 literal in any form the resolver takes,
// or an IPv6 literal with or without brackets) is an IP literal of an internal address,
// or localhost. Any other name is checked where it is resolved (HttpCall::public_only).
bool IsInternalHost(std::string_view host);

}  // namespace rkd

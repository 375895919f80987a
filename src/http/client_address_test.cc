#include "http/client_address.h"

#include <gtest/gtest.h>

namespace rkd {
namespace {

std::vector<Cidr> Trusted(std::initializer_list<const char*> networks) {
  std::vector<Cidr> out;
  for (const char* n : networks) out.push_back(ParseCidr(n).value());
  return out;
}

TEST(CidrTest, ContainsItsAddressesOnly) {
  const Cidr net = ParseCidr("10.1.0.0/16").value();
  EXPECT_TRUE(CidrContains(net, *ParseIpAddress("10.1.255.3")));
  EXPECT_FALSE(CidrContains(net, *ParseIpAddress("10.2.0.1")));
  // A dual-stack socket names an IPv4 peer as IPv4-mapped IPv6: the same address.
  EXPECT_TRUE(CidrContains(net, *ParseIpAddress("::ffff:10.1.0.9")));
  const Cidr one = ParseCidr("192.168.1.10").value();
  EXPECT_TRUE(CidrContains(one, *ParseIpAddress("192.168.1.10")));
  EXPECT_FALSE(CidrContains(one, *ParseIpAddress("192.168.1.11")));
  const Cidr v6 = ParseCidr("fd00::/8").value();
  EXPECT_TRUE(CidrContains(v6, *ParseIpAddress("fd12::1")));
  EXPECT_FALSE(CidrContains(v6, *ParseIpAddress("fe80::1")));
  EXPECT_TRUE(CidrContains(ParseCidr("0.0.0.0/0").value(), *ParseIpAddress("8.8.8.8")));
}

TEST(CidrTest, RefusesWhatIsNotANetwork) {
  for (const char* bad :
       {"", "10.0.0.0/33", "10.0.0/8", "example.com", "10.0.0.0/", "10.0.0.0/-1", "::/129", "1.2.3.4/8x"}) {
    auto c = ParseCidr(bad);
    ASSERT_FALSE(c.ok()) << bad;
    EXPECT_EQ(c.status().field(), "RKD_TRUSTED_PROXIES");
  }
}

TEST(ClientAddressTest, BelievesXForwardedForOnlyFromATrustedPeer) {
  const auto trusted = Trusted({"10.0.0.0/8"});
  EXPECT_EQ(ClientAddress("10.0.0.5", "203.0.113.7", trusted), "203.0.113.7");
  // The same header from anyone else is the client's own say-so: ignored.
  EXPECT_EQ(ClientAddress("198.51.100.2", "203.0.113.7", trusted), "198.51.100.2");
  // No trusted proxies (the default): the peer, always.
  EXPECT_EQ(ClientAddress("10.0.0.5", "203.0.113.7", {}), "10.0.0.5");
  // A trusted peer without the header: the peer.
  EXPECT_EQ(ClientAddress("10.0.0.5", "", trusted), "10.0.0.5");
}

TEST(ClientAddressTest, WalksTheChainFromTheRightThroughTrustedProxiesOnly) {
  const auto trusted = Trusted({"10.0.0.0/8"});
  // The client wrote "1.1.1.1" itself; the proxy appended the real address it saw.
  EXPECT_EQ(ClientAddress("10.0.0.5", "1.1.1.1, 203.0.113.7", trusted), "203.0.113.7");
  // Two proxies of ours in a row: the first address they did not write.
  EXPECT_EQ(ClientAddress("10.0.0.5", "1.1.1.1, 203.0.113.7, 10.0.0.9", trusted), "203.0.113.7");
  // Garbage stops the walk at the last address a trusted proxy vouched for.
  EXPECT_EQ(ClientAddress("10.0.0.5", "203.0.113.7, not-an-ip, 10.0.0.9", trusted), "10.0.0.9");
  EXPECT_EQ(ClientAddress("10.0.0.5", "junk", trusted), "10.0.0.5");
  EXPECT_EQ(ClientAddress("::1", " 2001:db8::7 ", Trusted({"::1"})), "2001:db8::7");
}

}  // namespace
}  // namespace rkd

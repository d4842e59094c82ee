// gmp::app::parse_host_port: what the server's --listen, the client's server address and the
// tester's reading of a listening line accept, and every text one of them rightly refuses.
#include "gmp/host_port.hpp"

#include <gtest/gtest.h>

namespace gmp::app {
namespace {

const HostPortRules listen{
    .default_port = std::nullopt, .allow_port_zero = true, .require_ipv4 = true};
const HostPortRules client{.default_port = 16513, .allow_port_zero = false, .require_ipv4 = false};

TEST(HostPort, HostAndPort) {
  EXPECT_EQ(parse_host_port("127.0.0.1:16513"), (HostPort{"127.0.0.1", 16513}));
  EXPECT_EQ(parse_host_port("gmp.example.org:1"), (HostPort{"gmp.example.org", 1}));
  EXPECT_EQ(parse_host_port("localhost:65535"), (HostPort{"localhost", 65535}));
  EXPECT_EQ(parse_host_port("h:00080"), (HostPort{"h", 80}));  // five digits, leading zeros
}

TEST(HostPort, PortRange) {
  std::string why;
  EXPECT_FALSE(parse_host_port("127.0.0.1:65536", {}, &why));
  EXPECT_EQ(why, "port 65536 is above 65535");
  EXPECT_FALSE(parse_host_port("127.0.0.1:99999"));
  EXPECT_FALSE(parse_host_port("127.0.0.1:123456"));  // six digits
  EXPECT_FALSE(parse_host_port("127.0.0.1:0", {}, &why));
  EXPECT_EQ(why, "port 0 is not allowed here");
  EXPECT_FALSE(parse_host_port("127.0.0.1:0", client));
  // A listening address: 0 asks the system for a free port.
  EXPECT_EQ(parse_host_port("127.0.0.1:0", listen), (HostPort{"127.0.0.1", 0}));
}

TEST(HostPort, PortJunk) {
  for (const char* text :
       {"h:", "h:-1", "h:+80", "h: 80", "h:80 ", "h:8o", "h:0x50", "h:80a", "h:1e3", "h:80:"}) {
    SCOPED_TRACE(text);
    EXPECT_FALSE(parse_host_port(text, listen));
    EXPECT_FALSE(parse_host_port(text, client));
    EXPECT_FALSE(parse_host_port(text));
  }
}

TEST(HostPort, HostJunk) {
  std::string why;
  EXPECT_FALSE(parse_host_port(":16513", {}, &why));
  EXPECT_EQ(why, "empty host in ':16513'");
  EXPECT_FALSE(parse_host_port("", client));
  EXPECT_FALSE(parse_host_port(":", client));
  EXPECT_FALSE(parse_host_port("::1:80"));  // a bare IPv6 address is not split
  EXPECT_FALSE(parse_host_port("a b:80"));
  EXPECT_FALSE(parse_host_port("a\tb:80"));
  EXPECT_FALSE(parse_host_port(std::string("a\0b:80", 6)));
  EXPECT_FALSE(parse_host_port(std::string(254, 'a') + ":80"));
  EXPECT_TRUE(parse_host_port(std::string(253, 'a') + ":80"));
}

TEST(HostPort, DefaultPort) {
  EXPECT_EQ(parse_host_port("gmp.example.org", client), (HostPort{"gmp.example.org", 16513}));
  std::string why;
  EXPECT_FALSE(parse_host_port("127.0.0.1", {}, &why));  // no default: the port is required
  EXPECT_EQ(why, "no ':port' in '127.0.0.1'");
  EXPECT_FALSE(parse_host_port("127.0.0.1", listen));
}

TEST(HostPort, RequireIpv4) {
  EXPECT_EQ(parse_host_port("0.0.0.0:16513", listen), (HostPort{"0.0.0.0", 16513}));
  std::string why;
  EXPECT_FALSE(parse_host_port("localhost:16513", listen, &why));
  EXPECT_EQ(why, "host 'localhost' is not an IPv4 address (a.b.c.d)");
  for (const char* text : {"256.0.0.1:1", "1.2.3:1", "1.2.3.4.5:1", "1..2.3:1", "01234.1.1.1:1"}) {
    SCOPED_TRACE(text);
    EXPECT_FALSE(parse_host_port(text, listen));
  }
}

}  // namespace
}  // namespace gmp::app

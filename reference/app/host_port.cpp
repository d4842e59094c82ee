#include "gmp/host_port.hpp"

#include "gmp/types.hpp"

namespace gmp::app {
namespace {

std::optional<HostPort> refuse(std::string* why, std::string reason) {
  if (why) *why = std::move(reason);
  return std::nullopt;
}

bool plain_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u > 0x20 && u != 0x7f && c != ':';
}

}  // namespace

std::optional<HostPort> parse_host_port(std::string_view text, const HostPortRules& rules,
                                        std::string* why) {
  const auto colon = text.rfind(':');
  const std::string_view host = colon == std::string_view::npos ? text : text.substr(0, colon);
  if (host.empty()) return refuse(why, "empty host in '" + std::string(text) + "'");
  if (host.size() > max_host_length)
    return refuse(why, "host longer than " + std::to_string(max_host_length) + " characters");
  for (char c : host)
    if (!plain_char(c))
      return refuse(why,
                    "host '" + std::string(host) + "' holds a ':', a space or a control character");
  if (rules.require_ipv4) {
    Ipv4 ip;
    if (!Ipv4::parse(host, ip))
      return refuse(why, "host '" + std::string(host) + "' is not an IPv4 address (a.b.c.d)");
  }
  HostPort out{std::string(host), 0};
  if (colon == std::string_view::npos) {
    if (!rules.default_port) return refuse(why, "no ':port' in '" + std::string(text) + "'");
    out.port = *rules.default_port;
    return out;
  }
  const std::string_view digits = text.substr(colon + 1);
  if (digits.empty() || digits.size() > 5)
    return refuse(why, "port '" + std::string(digits) + "' is not a number from 0 to 65535");
  std::uint32_t port = 0;
  for (char c : digits) {
    if (c < '0' || c > '9')
      return refuse(why, "port '" + std::string(digits) + "' is not a number from 0 to 65535");
    port = port * 10 + static_cast<std::uint32_t>(c - '0');
  }
  if (port > 65535) return refuse(why, "port " + std::to_string(port) + " is above 65535");
  if (port == 0 && !rules.allow_port_zero) return refuse(why, "port 0 is not allowed here");
  out.port = static_cast<std::uint16_t>(port);
  return out;
}

}  // namespace gmp::app

// One parser for the "host:port" endpoints the gmp-* programs take on their command line and
// read from a server's listening line (gmp-server --listen, gmp-client's server address,
// gmp-conform's --server-cmd output).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gmp::app {

struct HostPort {
  std::string host;
  std::uint16_t port = 0;
  friend bool operator==(const HostPort&, const HostPort&) = default;
};

/// What a caller accepts beyond the common rules (see parse_host_port).
struct HostPortRules {
  /// When set, a text without ":port" means this port ("example.org" -> example.org:16513).
  std::optional<std::uint16_t> default_port;
  /// Port 0 is accepted only where it means "any free port" (a listening address).
  bool allow_port_zero = false;
  /// The host must be a dotted-quad IPv4 address (a listening address: no name lookup).
  bool require_ipv4 = false;
};

inline constexpr std::size_t max_host_length = 253;  // the longest DNS name (RFC 1035)

/// Parses "host:port". The text splits at its last ':'. The host must be non-empty, at most
/// max_host_length characters, without ':', whitespace or control characters (so a bare IPv6
/// address is refused rather than misread), and a dotted-quad IPv4 address with
/// rules.require_ipv4. The port is 1 to 5 decimal digits (no sign, space or other character),
/// at most 65535, and not 0 unless rules.allow_port_zero. Without ':' the text is all host and
/// rules.default_port is the port (refused when there is none); "host:" (an empty port) is
/// always refused. On refusal returns nullopt and, when `why` is given, sets it to a short
/// reason that names the part at fault ("port 70000 is above 65535").
std::optional<HostPort> parse_host_port(std::string_view text, const HostPortRules& rules = {},
                                        std::string* why = nullptr);

}  // namespace gmp::app

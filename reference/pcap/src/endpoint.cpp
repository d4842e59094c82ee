#include "gmp/pcap.hpp"

namespace gmp::pcap {

std::string Endpoint::to_string() const { return ip.to_string() + ":" + std::to_string(port); }

}  // namespace gmp::pcap

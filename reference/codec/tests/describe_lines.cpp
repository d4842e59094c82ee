// Reads lines "sm HEX" or "mm HEX" on stdin and prints, for each, the message's JSON description
// (gmp_json's describe_*_bytes) on one line. tests/vectors/differential.py compares these
// with its own independent reading of the profile.
#include <iostream>
#include <string>

#include "gmp/json.hpp"

int main() {
  std::string line;
  while (std::getline(std::cin, line)) {
    std::vector<std::uint8_t> b;
    if (line.size() < 3 || !gmp::json::from_hex(line.substr(3), b)) {
      std::cout << "null\n";
      continue;
    }
    const auto j = line.rfind("sm", 0) == 0 ? gmp::json::describe_sm_bytes(b)
                                            : gmp::json::describe_mm_bytes(b);
    std::cout << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  }
  return 0;
}

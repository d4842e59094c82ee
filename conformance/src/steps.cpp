#include "steps.hpp"

namespace conform {

std::optional<MsgType> MsgType::parse(std::string_view name) {
  if (auto t = gmp::parse_sm_type(name)) return MsgType{*t};
  if (auto t = gmp::parse_mm_type(name)) return MsgType{*t};
  return std::nullopt;
}

std::string MsgType::name() const {
  return std::visit([](auto t) { return std::string(gmp::name(t)); }, type);
}

}  // namespace conform

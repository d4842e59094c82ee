// gmp-decode's output: one JSON object per message (capture fields first, then the message
// fields of docs/json-format.md in that document's order) and the --summary object.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "gmp/pcap.hpp"

namespace gmp::decode {

using Json = nlohmann::ordered_json;

/// The message fields, keys in docs/json-format.md order: everything a partial decode
/// (decode_*_partial) could read, even of an invalid message, then "error" (the first error
/// a receiver would act on) and, when there is one, "error_offset" (its byte in the message).
Json describe_message(bool sm, std::span<const std::uint8_t> bytes);

/// One output object for a Record: frame, time, src, dst, transport, then the message fields
/// (or, for a framing error, "protocol": "sm" and "error": the framing error name).
Json describe_record(const pcap::Record& r);

/// Counts for --summary.
class Summary {
 public:
  /// Counts one printed object; returns true when it carries an error.
  bool add(const Json& message);
  [[nodiscard]] bool any_error() const { return errors_ > 0; }
  [[nodiscard]] Json to_json(const pcap::ReadStats* stats) const;

 private:
  std::uint64_t messages_ = 0;
  std::uint64_t errors_ = 0;
  std::map<std::string, std::uint64_t> sm_types_, mm_types_, error_names_;
};

}  // namespace gmp::decode

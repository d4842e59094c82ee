#include "support.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <tuple>

#include "gmp/json.hpp"

namespace gmp::test {

std::vector<std::uint8_t> bytes(std::string_view hex) {
  std::vector<std::uint8_t> out;
  EXPECT_TRUE(json::from_hex(hex, out)) << "bad hex: " << hex;
  return out;
}

const nlohmann::json& vectors() {
  static const nlohmann::json all = [] {
    std::ifstream in(GMP_VECTORS_PATH);
    if (!in) throw std::runtime_error("cannot open " GMP_VECTORS_PATH);
    return nlohmann::json::parse(in);
  }();
  return all;
}

const nlohmann::json& vector(std::string_view name) {
  for (const auto& v : vectors())
    if (v.at("name") == name) return v;
  ADD_FAILURE() << "no vector named " << name;
  static const nlohmann::json none = nlohmann::json::object();
  return none;
}

namespace {

// The fields of each option, as a tuple, so that options compare member by member.
auto fields(const opt::ClientName& o) { return std::tie(o.value); }
auto fields(const opt::SessionName& o) { return std::tie(o.value); }
auto fields(const opt::SessionInfo& o) { return std::tie(o.value); }
auto fields(const opt::OwnerInfo& o) { return std::tie(o.value); }
auto fields(const opt::StartTime& o) { return std::tie(o.seconds); }
auto fields(const opt::EndTime& o) { return std::tie(o.seconds); }
auto fields(const opt::MediaInfo& o) { return std::tie(o.value); }
auto fields(const opt::AppInfo& o) { return std::tie(o.value); }
auto fields(const opt::Keepalive& o) { return std::tie(o.period, o.timeout, o.miss_limit); }
auto fields(const opt::BaseMember& o) { return std::tie(o.name); }
auto fields(const opt::Allow& o) { return std::tie(o.name); }
auto fields(const opt::AccessKey& o) { return std::tie(o.bytes); }
auto fields(const opt::MmPort& o) { return std::tie(o.port); }
auto fields(const opt::GroupKey& o) { return std::tie(o.epoch, o.key); }
auto fields(const opt::MemberList& o) { return std::tie(o.entries); }
auto fields(const opt::MemberCount& o) { return std::tie(o.count); }
auto fields(const opt::ListPart& o) { return std::tie(o.index, o.count); }
auto fields(const opt::ReasonCode& o) { return std::tie(o.reason); }
auto fields(const opt::KaSeq& o) { return std::tie(o.round); }
auto fields(const opt::Unknown& o) { return std::tie(o.type, o.value); }

std::string diff_options(const Options& a, const Options& b) {
  if (a.size() != b.size())
    return "option count " + std::to_string(a.size()) + " vs " + std::to_string(b.size());
  for (std::size_t i = 0; i < a.size(); ++i)
    if (!same(a[i], b[i]))
      return "option " + std::to_string(i) + " (code " + std::to_string(option_code(a[i])) +
             " vs " + std::to_string(option_code(b[i])) + ")";
  return "";
}

#define GMP_FIELD(f)                                  \
  if (!(a.f == b.f)) return std::string("field " #f);

}  // namespace

bool same(const Option& a, const Option& b) {
  if (a.index() != b.index()) return false;
  return std::visit(
      [&](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        return fields(x) == fields(std::get<T>(b));
      },
      a);
}

std::string diff(const SmMessage& a, const SmMessage& b) {
  GMP_FIELD(version) GMP_FIELD(type) GMP_FIELD(q) GMP_FIELD(secure) GMP_FIELD(closed)
  GMP_FIELD(info) GMP_FIELD(session) GMP_FIELD(user) GMP_FIELD(key_length) GMP_FIELD(reserved)
  GMP_FIELD(group_port) GMP_FIELD(group_address)
  return diff_options(a.options, b.options);
}

std::string diff(const MmMessage& a, const MmMessage& b) {
  GMP_FIELD(version) GMP_FIELD(type) GMP_FIELD(mode) GMP_FIELD(member_type) GMP_FIELD(r)
  GMP_FIELD(ss) GMP_FIELD(ui) GMP_FIELD(group_port) GMP_FIELD(session) GMP_FIELD(user)
  GMP_FIELD(group_address) GMP_FIELD(ka_period) GMP_FIELD(ka_timeout) GMP_FIELD(key_length)
  GMP_FIELD(reserved)
  return diff_options(a.options, b.options);
}

DecodeError error_of(const DecodeResult& r) {
  if (r.ok()) return DecodeError::ok;
  EXPECT_EQ(&r.error.category(), &decode_category()) << r.error.message();
  return static_cast<DecodeError>(r.error.value());
}

}  // namespace gmp::test

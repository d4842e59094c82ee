#include "matcher.hpp"

#include <gmp/json.hpp>
#include <gmp/message.hpp>

#include <algorithm>
#include <cctype>
#include <sstream>

namespace conform {

namespace {

std::vector<std::string> split_path(const std::string& p) {
  std::vector<std::string> out;
  std::stringstream ss(p);
  std::string part;
  while (std::getline(ss, part, '.')) out.push_back(part);
  return out;
}

bool numeric(const Json& j) { return j.is_number() || j.is_boolean(); }
double as_num(const Json& j) { return j.is_boolean() ? (j.get<bool>() ? 1 : 0) : j.get<double>(); }

bool equal(const Json& a, const Json& b) {
  if (numeric(a) && numeric(b)) return as_num(a) == as_num(b);
  if (a.is_array() && b.is_array()) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
      if (!equal(a[i], b[i])) return false;
    return true;
  }
  return a == b;
}

// Profile 2 [P] "not sequentially": true when the IDs follow a sequence a counter makes: every
// step (mod 65,536) the same (any stride, descending included), or rising (falling) all along
// but for at most one step (a counter with gaps, one wrap allowed). Distinct random draws
// fail this only if their order has at most one descent (or ascent): (2^n - n) / n! each.
bool sequential_ids(const Json& ids) {
  if (!ids.is_array() || ids.size() < 3) return false;
  std::vector<long> v;
  for (const auto& x : ids) v.push_back(static_cast<long>(as_num(x)));
  bool same_step = true;
  std::size_t ups = 0, downs = 0;
  const long step0 = (v[1] - v[0]) & 0xFFFF;
  for (std::size_t i = 1; i < v.size(); ++i) {
    same_step = same_step && ((v[i] - v[i - 1]) & 0xFFFF) == step0;
    if (v[i] > v[i - 1]) ++ups;
    if (v[i] < v[i - 1]) ++downs;
  }
  return same_step || downs <= 1 || ups <= 1;
}

// The message is in the one encoding the profile allows for its fields (profile 4: zero
// padding; reserved bytes 0): re-encoding the decoded message gives the same bytes.
bool canonical(bool sm, std::span<const std::uint8_t> bytes) {
  if (sm) {
    gmp::SmMessage m;
    return gmp::decode_sm(bytes, m).ok() && std::ranges::equal(gmp::encode(m), bytes);
  }
  gmp::MmMessage m;
  return gmp::decode_mm(bytes, m).ok() && std::ranges::equal(gmp::encode(m), bytes);
}

std::string show(const Json& j) {
  if (j.is_null()) return "(absent)";
  std::string s = j.dump();
  return s.size() > 120 ? s.substr(0, 117) + "..." : s;
}

}  // namespace

Json describe(bool sm, std::span<const std::uint8_t> bytes) {
  Json m = sm ? gmp::json::describe_sm_bytes(bytes) : gmp::json::describe_mm_bytes(bytes);
  Json opt = Json::object(), count = Json::object(), order = Json::array();
  Json members = Json::array(), types = Json::array();
  if (m.contains("options") && m["options"].is_array()) {
    for (const auto& o : m["options"]) {
      std::string name = o.value("type", "UNKNOWN");
      if (name == "UNKNOWN") name = "UNKNOWN-" + std::to_string(o.value("code", 0));
      order.push_back(name);
      count[name] = count.value(name, 0) + 1;
      if (!opt.contains(name)) {
        if (o.contains("value")) {
          opt[name] = o["value"];
        } else {
          Json v = o;
          v.erase("type");
          v.erase("code");
          opt[name] = v;
        }
      }
      if (name == "MEMBER-LIST" && o.contains("entries"))
        for (const auto& e : o["entries"]) {
          members.push_back(e.value("user_id", 0));
          types.push_back(e.value("member_type", std::string("invalid")));
        }
    }
  }
  bool sorted = true;
  for (std::size_t i = 1; i < members.size(); ++i)
    if (members[i].get<int>() <= members[i - 1].get<int>()) sorted = false;
  m["size"] = bytes.size();
  m["canonical"] = canonical(sm, bytes);
  m["opt"] = opt;
  m["opt_count"] = count;
  m["option_order"] = order;
  m["members"] = members;
  m["member_types"] = types;
  m["n_members"] = members.size();
  m["sorted"] = sorted;
  m["first_member"] = members.empty() ? Json() : members.front();
  m["last_member"] = members.empty() ? Json() : members.back();
  return m;
}

Json plain(const Json& msg) {
  Json d = msg;
  if (d.is_object())
    for (const char* k : {"opt", "opt_count", "option_order", "members", "member_types", "n_members",
                          "sorted", "first_member", "last_member", "size", "canonical"})
      d.erase(k);
  return d;
}

Json lookup(const Json& msg, const std::string& path) {
  const Json* cur = &msg;
  for (const auto& part : split_path(path)) {
    if (cur->is_object()) {
      auto it = cur->find(part);
      if (it == cur->end()) return nullptr;
      cur = &*it;
    } else if (cur->is_array() && !part.empty() && std::isdigit(static_cast<unsigned char>(part[0]))) {
      std::size_t i = std::stoul(part);
      if (i >= cur->size()) return nullptr;
      cur = &(*cur)[i];
    } else {
      return nullptr;
    }
  }
  return *cur;
}

bool compare(const Json& o, const std::string& op, const Json& e) {
  if (op == "eq") return equal(o, e);
  if (op == "ne") return !equal(o, e);
  if (op == "absent") return o.is_null() == (as_num(e) > 0);
  if (op == "present") return !o.is_null() == (as_num(e) > 0);
  if (op == "in" || op == "not_in") {
    bool found = false;
    if (e.is_array())
      for (const auto& x : e) found = found || equal(o, x);
    return op == "in" ? found : !found;
  }
  if (op == "has") {  // o is a list holding e
    if (!o.is_array()) return false;
    for (const auto& x : o)
      if (equal(x, e)) return true;
    return false;
  }
  if (op == "not_consecutive") {  // o and e are lists of IDs: not all +1 steps
    if (!o.is_array() || o.size() < 2) return true;
    for (std::size_t i = 1; i < o.size(); ++i)
      if (as_num(o[i]) != as_num(o[i - 1]) + 1) return true;
    return false;
  }
  if (op == "not_sequential") return !sequential_ids(o);  // o: a list of IDs
  if (!numeric(o) || !numeric(e)) return false;
  double a = as_num(o), b = as_num(e);
  if (op == "gt") return a > b;
  if (op == "ge") return a >= b;
  if (op == "lt") return a < b;
  if (op == "le") return a <= b;
  return false;
}

std::vector<std::string> mismatches(const Json& msg, const Json& constraints) {
  std::vector<std::string> out;
  for (const auto& [path, c] : constraints.items()) {
    Json observed = lookup(msg, path);
    if (c.is_object()) {
      for (const auto& [op, expected] : c.items()) {
        if (!compare(observed, op, expected))
          out.push_back(path + ": expected " + op + " " + show(expected) + ", observed " + show(observed));
      }
    } else if (c.is_null()) {
      if (!observed.is_null()) out.push_back(path + ": expected absent, observed " + show(observed));
    } else if (!equal(observed, c)) {
      out.push_back(path + ": expected " + show(c) + ", observed " + show(observed));
    }
  }
  return out;
}

}  // namespace conform

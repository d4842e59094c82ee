#include "purpose.hpp"

#include <algorithm>
#include <map>
#include <regex>
#include <set>

namespace conform {

namespace {

bool is_profile_section(const std::string& s) {
  static const std::regex re(R"(^P[0-9]+(\.[0-9]+)*$)");
  return std::regex_match(s, re);
}

std::vector<std::string> scalars(const YAML::Node& n) {
  std::vector<std::string> out;
  if (n.IsSequence())
    for (const auto& e : n) out.push_back(e.Scalar());
  else if (n.IsScalar())
    out.push_back(n.Scalar());
  return out;
}

// Profile 8: a purpose that rests only on the recommendation judges X.602; one that rests on
// a [P] decision judges the profile and names its sections. Derived from the clauses; a
// stated authority must agree with them (its sections among the clauses, X.602 only for a
// purpose that cites a clause of the recommendation).
void authority(const YAML::Node& n, TestPurpose& tp, const NodeError& error) {
  std::vector<std::string> rec, prof;
  for (const auto& c : tp.clauses) (is_profile_section(c) ? prof : rec).push_back(c);
  const YAML::Node a = n["authority"];
  if (!a) {
    tp.authority.profile = prof;
    return;
  }
  tp.authority.stated = true;
  const auto stated = scalars(a);
  if (stated.empty()) return error(a, tp.id + ": 'authority' is X.602 or a list of profile sections");
  if (stated == std::vector<std::string>{"X.602"}) {
    if (rec.empty())
      error(a, tp.id + ": authority X.602, but the purpose cites no clause of the recommendation");
    return;
  }
  for (const auto& s : stated) {
    if (s == "X.602") return error(a, tp.id + ": authority is X.602 alone or profile sections, not both");
    if (!is_profile_section(s)) return error(a, tp.id + ": authority '" + s + "' is neither X.602 nor a profile section (P6.3)");
    if (std::find(prof.begin(), prof.end(), s) == prof.end())
      return error(a, tp.id + ": authority " + s + " is not among the purpose's clauses");
    tp.authority.profile.push_back(s);
  }
}

// The resources a purpose's steps use: each lifeline is one member, or `count` members when
// it registers inside a repeat of a literal count (one socket standing for many); every
// SCREQ is one session. A count given by a variable is not known here (such purposes
// depend on a PICS item already).
struct Use {
  std::map<std::string, long long> members;  // lifeline -> members it stands for
  long long sessions = 0;
};

void walk(const std::vector<Step>& steps, long long times, Use& u) {
  for (const auto& st : steps) {
    if (const auto* r = st.as<RepeatStep>()) {
      long long k = r->count.is_number_integer() ? std::max(1LL, r->count.get<long long>()) : 1;
      walk(r->body, times * k, u);
    } else if (const auto* s = st.as<SendStep>(); s && s->type && s->from.is_string()) {
      const std::string t = s->type->name();
      if (t == "SRREQ") u.members[s->from.get<std::string>()] = std::max(u.members[s->from.get<std::string>()], times);
      if (t == "SCREQ") u.sessions += times;
    }
  }
}

void needs(const YAML::Node& n, TestPurpose& tp, const NodeError& error) {
  Use u;
  walk(tp.steps, 1, u);
  long long members = 0;
  for (const auto& d : tp.lifelines) members += std::max(1LL, u.members[d.name]);
  tp.needs.members = std::max(1LL, members);
  tp.needs.sessions = std::max(1LL, u.sessions);
  const YAML::Node y = n["needs"];
  if (!y) return;
  tp.needs.stated = true;
  if (!y.IsMap()) return error(y, tp.id + ": 'needs' is a mapping {members: N, sessions: N, pixit: [names]}");
  for (const auto& kv : y) {
    const std::string k = kv.first.Scalar();
    try {
      if (k == "members") tp.needs.members = kv.second.as<long long>();
      else if (k == "sessions") tp.needs.sessions = kv.second.as<long long>();
      else if (k == "pixit") tp.needs.pixit = scalars(kv.second);
      else error(kv.first, "needs: unknown key '" + k + "' (members, sessions, pixit)");
    } catch (const YAML::Exception&) {
      error(kv.second, "needs: " + k + " must be a whole number");
    }
  }
  if (tp.needs.members < 1 || tp.needs.sessions < 1) error(y, tp.id + ": needs: at least 1 member and 1 session");
}

void mark(const std::vector<Step>& steps, std::vector<std::string>& out) {
  for (const auto& st : steps) {
    out.push_back(st.where.str());
    if (const auto* r = st.as<RepeatStep>()) mark(r->body, out);
  }
}

}  // namespace

void purpose_keys(const YAML::Node& n, TestPurpose& tp, const NodeError& error) {
  authority(n, tp, error);
  needs(n, tp, error);
  auto end = std::find_if_not(tp.steps.begin(), tp.steps.end(), [](const Step& st) { return st.setup; });
  mark(std::vector<Step>(tp.steps.begin(), end), tp.setup);
}

void check_authorities(const std::vector<ScenarioFile>& files, const std::vector<Clause>& clauses,
                       std::vector<std::string>& errors) {
  std::set<std::string> known;
  for (const auto& c : clauses) known.insert(c.id);
  if (known.empty()) return;
  for (const auto& f : files)
    for (const auto& tp : f.purposes)
      for (const auto& s : tp.authority.profile)
        if (!known.count(s)) errors.push_back(tp.where.str() + ": " + tp.id + ": authority " + s + " is not a clause of clauses.yaml");
}

std::string needs_unmet(const Pixit& p, const Needs& n) {
  auto value = [&](const std::string& k) {
    return p.values.contains(k) && p.values[k].is_number_integer() ? p.values[k].get<long long>() : 0LL;
  };
  for (const auto& k : n.pixit)
    if (value(k) == 0) return "the PIXIT does not declare " + k;
  const long long mm = value("max_members");
  if (mm > 0 && n.members > mm)
    return "needs " + std::to_string(n.members) + " members in one session; the PIXIT max_members gives " + std::to_string(mm);
  const auto sl = p.pics.find("session_limit");
  const long long ms = value("max_sessions");
  if (sl != p.pics.end() && sl->second && ms > 0 && n.sessions > ms)
    return "needs " + std::to_string(n.sessions) + " sessions; the PIXIT max_sessions gives " + std::to_string(ms);
  return "";
}

std::string fails_phrase(const Authority& a) {
  if (a.x602()) return "fails X.602";
  std::string s = a.profile.size() == 1 ? "fails profile decision" : "fails profile decisions";
  for (std::size_t i = 0; i < a.profile.size(); ++i) s += (i ? ", " : " ") + a.profile[i];
  return s + " only";
}

}  // namespace conform

// The PIXIT file's `client:` section (docs/client-adapter.md "PICS and PIXIT").
#include <yaml-cpp/yaml.h>

#include <set>

#include "client_case.hpp"

namespace conform::client {

bool load_client_pixit(const std::string& path, ClientPixit& out,
                       std::vector<std::string>& errors) {
  const std::size_t before = errors.size();
  auto err = [&](const YAML::Node& n, const std::string& m) {
    errors.push_back(path + ":" + std::to_string(n.Mark().line + 1) + ": " + m);
  };
  try {
    const YAML::Node sec = YAML::LoadFile(path)["client"];
    if (!sec) return true;
    if (!sec.IsMap()) {
      err(sec, "'client' takes a mapping");
      return false;
    }
    for (const auto& kv : sec) {
      const std::string k = kv.first.Scalar();
      if (k == "commands") {
        if (!kv.second.IsSequence())
          err(kv.second, "commands: a list of adapter commands");
        else
          for (const auto& c : kv.second) out.commands.push_back(c.Scalar());
      } else if (out.values.contains(k)) {
        try {
          long long v = kv.second.as<long long>();
          if (v < 1 || v > 600000) err(kv.second, k + ": 1..600000 expected");
          out.values[k] = v;
        } catch (const YAML::Exception&) {
          err(kv.second, k + ": integer expected");
        }
      } else {
        err(kv.first, "unknown client item '" + k + "'");
      }
    }
  } catch (const YAML::Exception& e) {
    errors.push_back(path + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
  return errors.size() == before;
}

}  // namespace conform::client

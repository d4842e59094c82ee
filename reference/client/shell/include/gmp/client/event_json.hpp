// Client events as JSON objects (docs/client.md, "Events"): messages in the
// docs/json-format.md form through gmp_json.
#pragma once

#include <nlohmann/json.hpp>

#include "gmp/client/event.hpp"

namespace gmp::client {

/// {"event": name, ...fields of that kind}. The caller adds "membership" and "t_ms".
nlohmann::json to_json(const Event& e);

}  // namespace gmp::client

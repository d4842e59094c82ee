// The robustness campaign's hands on the wire: what one case run sends in and around the
// typed sends of a test purpose (RunConfig::before_send), following what each anomaly's
// receiver must do (anomalies.hpp, profile 1 and 7).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "anomalies.hpp"
#include "runner.hpp"

namespace conform::robustness {

/// For each typed send of the purpose (SendHook::index), the IDs of the anomalies to use.
using Injection = std::map<std::size_t, std::vector<std::string>>;

/// What a case run actually sent: (typed send index, anomaly ID).
struct Sent {
  std::vector<std::pair<std::size_t, std::string>> items;
};

/// The derivation seed of one typed send of one purpose: the campaign seed, the purpose and
/// the send's place, so that one anomaly can be replayed alone.
std::uint64_t step_seed(std::uint64_t seed, const std::string& tp_id, std::size_t index);

/// Whom a campaign tests: the server (the tester plays its clients) or a client (the tester
/// plays its server). Only the messages that flow towards the implementation get anomalies.
enum class Side { server, client };

/// The anomalies of the message a hooked send is about to send (none for a message that does
/// not decode, one that flows the wrong way, or a frame whose length prefix the scenario wrote
/// itself).
std::vector<Anomaly> anomalies_of(const SendHook& h, std::uint64_t seed, const std::string& tp_id, Side side);

/// One short-lived connection per `close` anomaly (profile 1: a framing error makes the
/// receiver close). All are sent at once; each must be closed by the server, without a
/// message, within `window_ms`, and the server must then still take a new connection.
/// "" when so, else why not (naming the anomaly).
std::string check_closes(const Target& t, const std::vector<const Anomaly*>& closes, double window_ms);

/// RunConfig::before_send for one case run. At a planned send: the `discard` anomalies go
/// first on the lifeline's own connection or socket (the receiver must drop them silently, so
/// the valid message that follows gets its usual answer); the `equivalent` anomaly, if any, is
/// sent in place of the valid message. A `close` anomaly (profile 1, a framing error):
///   server side: each goes on a connection of its own, which the server must close within
///     `close_window_ms` without answering (the lifelines' connections and the session are
///     untouched);
///   client side: the tester cannot open a connection to a client, so the framing error
///     replaces the valid message on the membership's own connection (SendHook::close_within_ms);
///     the client must close it, and the purpose ends there (plan: one per case run).
std::function<std::string(SendHook&)> injector(Injection plan, std::uint64_t seed, std::string tp_id, Side side,
                                               Target target, double close_window_ms, std::shared_ptr<Sent> sent);

}  // namespace conform::robustness

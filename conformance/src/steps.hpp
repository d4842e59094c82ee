// The typed steps of a test purpose, as the loader produces them from the scenario language
// (docs/conformance.md). Every step keeps its file:line (with the macro call chain) and a
// short label for the sequence diagram. Values that may hold $variables or arithmetic
// ("2 * $ka_ms + 50") stay as `Expr` and are resolved by the runner when the step is played;
// everything the loader can decide (message types and their channel, lifeline names that are
// not variables, operators, which form a send takes) is typed here, so that a mistake is a
// load error with file:line rather than a run-time error.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include <gmp/types.hpp>
#include <nlohmann/json.hpp>

namespace conform {

using Json = nlohmann::json;

/// A scenario value resolved at run time: a literal, "$var", "text $var" or "= expression".
using Expr = Json;

/// Where a step or test purpose was written (yaml-cpp Mark), for every message we print.
struct Where {
  std::string file;
  int line = 0;
  [[nodiscard]] std::string str() const { return file + ":" + std::to_string(line); }
};

/// SM (TCP, profile 1-2) or MM (UDP, profile 3).
enum class Channel { sm, mm };

/// A message type named in a scenario. The channel is the table the name belongs to
/// (gmp::parse_sm_type / gmp::parse_mm_type), never a guess from its spelling.
struct MsgType {
  std::variant<gmp::SmType, gmp::MmType> type;

  /// "SCREQ", "KAREQ"... or nothing for a name of neither table.
  static std::optional<MsgType> parse(std::string_view name);
  [[nodiscard]] Channel channel() const { return type.index() == 0 ? Channel::sm : Channel::mm; }
  [[nodiscard]] std::string name() const;
  friend bool operator==(const MsgType&, const MsgType&) = default;
};

/// `send`: a typed message (fields override the codec's defaults, even to invalid values:
/// profile 7 robustness) or bytes given in hex.
struct SendStep {
  enum class Form {
    typed,     // type + fields, built by the codec (msgbuild.hpp)
    raw,       // SM message bytes; the length prefix is added
    frame,     // a whole TCP frame, prefix included
    datagram,  // an MM datagram
  };
  Expr from;                     // lifeline
  Form form = Form::typed;
  std::optional<MsgType> type;   // form == typed
  Json fields;                   // the step's mapping (header overrides, options, hex...): resolved, then built
  bool alt_port = false;         // MM from the lifeline's second UDP socket (spoofing purposes)
};

/// `expect`: one message of `type` at a lifeline, within a window, satisfying `match`.
struct ExpectStep {
  Expr at;
  MsgType type;
  std::optional<Expr> within;    // ms after the previous step; default PIXIT window_ms
  std::optional<Expr> after;     // earliest arrival, ms after the previous step
  Json match = Json::object();   // field constraints (matcher.hpp), may hold $variables
  std::vector<std::pair<Expr, std::string>> capture;  // variable <- field path
  std::vector<MsgType> ignore;   // skipped while waiting, beyond the purpose's list
};

/// `unordered`: expect steps satisfied in any order (each a Step holding an ExpectStep).
struct Step;
struct UnorderedStep {
  std::vector<Step> expects;
};

/// `nothing`: no message (of `types`, else none outside the purpose's ignore list) at the
/// lifelines for `during` ms. A closed connection counts as a message.
struct NothingStep {
  Expr at = "all";               // a lifeline, a list of them, or "all"
  Expr during;
  std::vector<MsgType> types;
  std::optional<Channel> channel;  // only this channel
};

/// `closed`: the server closes the lifeline's TCP connection within the window.
struct ClosedStep {
  Expr at;
  std::optional<Expr> within;
};

/// `mute` / `unmute`: stop or resume answering KAREQ automatically (profile 6.1).
struct MuteStep {
  Expr who;
  bool mute = true;
};

/// `close`: the tester closes the lifeline's TCP connection.
struct CloseStep {
  Expr who;
};

struct WaitStep {
  Expr ms;
};

/// `set`: variables, in the mapping's order; a value "= expr" is computed.
struct SetStep {
  std::vector<std::pair<std::string, Expr>> values;
};

/// `check`: `a op b` over variables (matcher.hpp compare), `why` explains a failure.
struct CheckStep {
  Expr a;
  std::string op;
  Expr b;
  std::string why;
};

/// `repeat`: the body `count` times, counter in `var` from 1.
struct RepeatStep {
  Expr count = 1;
  std::string var = "i";
  std::vector<Step> body;
};

/// Client purposes (GMP/CLI/..., docs/conformance.md "Client suite"): the tester plays the
/// server and drives the client through its adapter (docs/client-adapter.md).
/// `command`: one line to the adapter ($variables interpolated).
struct CommandStep {
  Expr line;
};
/// `event`: an adapter event satisfying `match` (the message matcher's syntax) within the
/// window; events that do not match are passed over (adapters print others too).
struct EventStep {
  Json match = Json::object();
  std::optional<Expr> within;
  std::vector<std::pair<Expr, std::string>> capture;
};
/// `no_event`: no adapter event satisfying `match` for `during` ms.
struct NoEventStep {
  Json match = Json::object();
  Expr during;
};
struct AdapterStep {
  std::variant<CommandStep, EventStep, NoEventStep> kind;
};

// `call` (macros) is expanded by the loader: a macro's steps carry the call chain in `where`.
// A purpose's `setup:` becomes its first steps, each marked `setup`.

using StepBody = std::variant<SendStep, ExpectStep, UnorderedStep, NothingStep, ClosedStep, MuteStep,
                              CloseStep, WaitStep, SetStep, CheckStep, RepeatStep, AdapterStep>;

struct Step {
  StepBody body;
  Where where;
  std::string label;  // short text for the sequence diagram ("creator -> SCREQ")
  bool setup = false; // from the purpose's `setup:` (played first, shown as set-up)

  template <class T>
  [[nodiscard]] const T* as() const { return std::get_if<T>(&body); }
};

}  // namespace conform

// Internal to the scenario loader (loader.cpp, macros.cpp, validate.cpp): the state of one
// load and the pieces the three files share. Every error is "file:line: message", the line
// taken from the yaml-cpp Mark of the node at fault.
#pragma once

#include <yaml-cpp/yaml.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "model.hpp"

namespace conform::load {

/// A macro of lib/*.yaml: `params` are written {{name}} in its body (macros.cpp).
struct Macro {
  YAML::Node steps;
  std::vector<std::string> params;
  std::string file;
};

/// The parameters in force while a macro body is expanded: empty outside a macro.
struct Subst {
  std::string macro;                          // the macro being expanded ("" outside)
  std::map<std::string, std::string> values;  // parameter -> the call's value
};

struct Ctx {
  std::string file;
  std::map<std::string, Macro>* macros = nullptr;
  std::vector<std::string>* errors = nullptr;
  std::set<std::string> lifelines;
  int depth = 0;
  bool setup = false;  // parsing a purpose's `setup:` (its steps are marked set-up)
  // The variables of the purpose being loaded (note_vars): names a set or a capture writes,
  // and the dotted references ($X.user) with where they were written.
  std::set<std::string> written;
  std::vector<std::pair<std::string, std::string>> dotted;
  bool dynamic_names = false;  // a name built at run time ("u$i"): nothing is knowable
  void error(const YAML::Node& n, const std::string& msg) const {
    errors->push_back(file + ":" + std::to_string(n.Mark().line + 1) + ": " + msg);
  }
};

// macros.cpp
/// `s` with every {{param}} replaced; a {{name}} outside a macro body is an error.
std::string substitute(const Ctx& c, const YAML::Node& at, const std::string& s, const Subst& subst);
/// A YAML node as JSON, parameters substituted, scalars typed (quoted: always text).
Json to_json(const Ctx& c, const YAML::Node& n, const Subst& subst);
/// Reads `macros:` of one library file; checks each body's {{params}} against its params.
void load_macros(Ctx& c, const YAML::Node& root);
/// One argument of a macro call: the parameter, where it was written, its value.
struct Arg {
  std::string name;
  YAML::Node at;
  std::string value;
};
/// Expands macro `name` called at `at` with `args` (values already substituted).
void expand(Ctx& c, const YAML::Node& at, const std::string& name, const std::vector<Arg>& args,
            std::vector<Step>& out, const std::string& via);
/// `- call: NAME` / `with: {...}` (a step of `steps:` or `setup:`).
void parse_call(Ctx& c, const YAML::Node& n, const Subst& subst, std::vector<Step>& out, const std::string& via);
/// An item of `setup:`: a step, a `call`, or the short form `MACRO: value` (macros.cpp).
void parse_setup_item(Ctx& c, const YAML::Node& n, std::vector<Step>& out);

// loader.cpp
extern const std::set<std::string> step_kinds;
void parse_steps(Ctx& c, const YAML::Node& seq, const Subst& subst, std::vector<Step>& out, const std::string& via);
void parse_step(Ctx& c, const YAML::Node& n, const Subst& subst, std::vector<Step>& out, const std::string& via);

// validate.cpp
/// The keys and the shape of a step's mapping; for send and expect also field names, flag
/// names (one spelling, `flags.m`, in send and match), option names, match operators and
/// the syntax of every expression.
void validate_args(const Ctx& c, const std::string& kind, const YAML::Node& n, const Json& a);
void check_lifeline(const Ctx& c, const YAML::Node& n, const Json& v, bool allow_all);
bool check_type(const Ctx& c, const YAML::Node& n, const Json& v);
/// A value the runner computes (within, during, wait, count...): a number or an expression.
void check_expression(const Ctx& c, const YAML::Node& n, const std::string& what, const Json& v);
/// Every "= ..." string anywhere in `v` must be a well-formed expression.
void check_computed(const Ctx& c, const YAML::Node& n, const Json& v);
/// Records the variables step `a` (of `kind`) writes and the dotted ones it reads.
void note_vars(Ctx& c, const YAML::Node& n, const std::string& kind, const Json& a);
/// A dotted variable ($Z.user) of the purpose that neither a lifeline nor a set or capture
/// can give is an error where it was read.
void check_vars(Ctx& c);
/// Field constraints (matcher.hpp) of an expect of `type`, or of an adapter event (no type).
void check_match(const Ctx& c, const YAML::Node& n, const Json& match, const MsgType* type);

}  // namespace conform::load

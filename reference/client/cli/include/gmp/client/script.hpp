// The scripted mode's command language (docs/client.md, "Script language"): one command per
// line, words separated by blanks, `key=value` arguments, double quotes for values with
// blanks, `#` starts a comment. This header is the parser only (no I/O).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gmp/client/core.hpp"

namespace gmp::client::script {

struct Command {
  std::size_t line = 0;
  std::string text;    // the line as written
  std::string verb;    // hello, create, register, join, activate, members, leave, terminate, delete,
                       // mute, unmute, wait-for, sleep, quit
  std::string target;  // the membership's name (empty for sleep, quit)
  std::string as;      // `as CLIENT-NAME`
  std::vector<std::string> words;                          // bare words, in order
  std::vector<std::pair<std::string, std::string>> args;  // key=value, in order (repeatable)

  [[nodiscard]] const std::string* get(std::string_view key) const;
  [[nodiscard]] std::vector<std::string> get_all(std::string_view key) const;
  [[nodiscard]] bool has_word(std::string_view w) const;
};

/// True for a verb of the language (an unknown one is reported as `unsupported`).
bool known_verb(std::string_view verb);

/// Splits a line into tokens (quotes and backslash escapes inside quotes). False on an
/// unterminated quote.
bool tokenize(std::string_view line, std::vector<std::string>& out, std::string& error);

/// Parses one line. nullopt with `error` empty: a blank or comment line. nullopt with `error`
/// set: a syntax error (unknown verb, missing name, unknown argument...).
std::optional<Command> parse_line(std::string_view line, std::size_t line_no, std::string& error);

/// "a,b,c" -> {"a","b","c"} (empty items dropped).
std::vector<std::string> split_list(std::string_view s);

/// Byte strings: `hex:0a0b...`, `text:secret` (UTF-8 bytes), or bare hex.
bool parse_bytes(std::string_view spec, std::vector<std::uint8_t>& out);

/// An ACCESS-KEY (profile section 4: 1..64 opaque bytes) in the parse_bytes forms.
bool parse_access_key(std::string_view spec, std::vector<std::uint8_t>& out);

/// An unsigned number: decimal or 0x-hex, at most `max`.
bool parse_number(std::string_view s, std::uint64_t max, std::uint64_t& out);

/// The create command's SCREQ and SCINF content (every SCINF option of profile section 4).
bool parse_create(const Command& c, CreateParams& out, std::string& error);

/// `keepalive=P,T[,M]` (100 ms units, miss limit).
bool parse_keepalive(std::string_view s, opt::Keepalive& out);

}  // namespace gmp::client::script

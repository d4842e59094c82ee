// gmp-decode: prints every GMP message of a pcap/pcapng capture (or one hex message) as one
// JSON object per line. Usage and exit codes: docs/gmp-decode.md and --help.
#include <CLI/CLI.hpp>

#include "gmp/app.hpp"
#include <cstdio>
#include <iostream>
#include <iterator>
#include <string>

#include "decode_output.hpp"
#include "gmp/json.hpp"
#include "gmp/pcap.hpp"

namespace {

constexpr int exit_ok = 0;
constexpr int exit_decode_error = 1;  // only with --strict
constexpr int exit_usage = 2;
constexpr std::size_t max_hex_input = 1 << 20;  // characters read from stdin in --hex mode

struct Args {
  std::string file;
  std::uint16_t port = gmp::default_port;
  std::size_t max_message = 65535;
  bool hex = false, sm = false, mm = false, pretty = false, summary = false, strict = false;
};

void print(const gmp::decode::Json& j, bool pretty, std::ostream& out) {
  // Invalid UTF-8 in a string option is shown as U+FFFD rather than aborting the output.
  out << j.dump(pretty ? 2 : -1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
}

int run_hex(const Args& a) {
  std::string text;
  char buf[4096];
  while (std::cin.read(buf, sizeof buf) || std::cin.gcount() > 0) {
    text.append(buf, static_cast<std::size_t>(std::cin.gcount()));
    if (text.size() > max_hex_input) {
      std::cerr << "gmp-decode: --hex input above " << max_hex_input << " characters\n";
      return exit_usage;
    }
  }
  std::vector<std::uint8_t> bytes;
  if (!gmp::json::from_hex(text, bytes)) {
    std::cerr << "gmp-decode: stdin is not hex (odd digit count or a non-hex character)\n";
    return exit_usage;
  }
  const auto j = gmp::decode::describe_message(a.sm, bytes);
  gmp::decode::Summary summary;
  const bool error = summary.add(j);
  print(j, a.pretty, std::cout);
  if (a.summary) print(summary.to_json(nullptr), a.pretty, std::cerr);
  return (error && a.strict) ? exit_decode_error : exit_ok;
}

int run_file(const Args& a) {
  gmp::pcap::ReadOptions options;
  options.port = a.port;
  options.max_message = a.max_message;
  gmp::pcap::ReadStats stats;
  gmp::decode::Summary summary;
  try {
    gmp::pcap::read_each(
        a.file, options,
        [&](const gmp::pcap::Record& r) {
          const auto j = gmp::decode::describe_record(r);
          summary.add(j);
          print(j, a.pretty, std::cout);
        },
        &stats);
  } catch (const std::exception& e) {
    std::cout.flush();
    std::cerr << "gmp-decode: " << e.what() << '\n';
    return exit_usage;
  }
  if (a.summary) {
    std::cout.flush();
    print(summary.to_json(&stats), a.pretty, std::cerr);
  }
  return (summary.any_error() && a.strict) ? exit_decode_error : exit_ok;
}

}  // namespace

int main(int argc, char** argv) {
  Args a;
  CLI::App app{
      "Decode GMP (ITU-T X.602 | ISO/IEC 16513) messages: every message of a pcap or pcapng\n"
      "capture, SM over TCP (streams reassembled, 2-byte length prefix removed) and MM over UDP\n"
      "on --port, or one message given as hex on stdin (--hex with --sm or --mm). Prints one\n"
      "JSON object per message (docs/json-format.md): frame, time, src, dst, transport, then\n"
      "every field and option, checksum_status and error.\n\n"
      "Exit status: 0 done (messages with decode errors are printed, not fatal); 1 with\n"
      "--strict when some message had a decode or framing error; 2 usage error, unreadable\n"
      "file or bad hex input.",
      "gmp-decode"};
  app.footer(
      "Examples:\n"
      "  gmp-decode capture.pcapng                      one JSON object per line\n"
      "  gmp-decode --port 7000 --summary capture.pcap  another port; counts on stderr\n"
      "  echo 1401bb29 00000000 00000000 00000000 0105616c 69636500 | gmp-decode --hex --sm\n"
      "  gmp-decode --strict capture.pcap || echo 'some message is invalid'");
  gmp::app::add_version(app, "gmp-decode");
  auto* file = app.add_option("FILE", a.file, "capture to read (pcap or pcapng)");
  app.add_option("-p,--port", a.port, "GMP port: SM on this TCP port, MM on this UDP port")
      ->default_val(gmp::default_port)
      ->check(CLI::Range(1, 65535));
  app.add_option("--max-message", a.max_message,
                 "largest SM message accepted on TCP; a longer length prefix is frame_too_large")
      ->default_val(65535)
      ->check(CLI::Range(16, 65535));
  auto* hex =
      app.add_flag("-x,--hex", a.hex, "decode one message read as hex from stdin")->excludes(file);
  auto* sm = app.add_flag("--sm", a.sm, "with --hex: the message is SM (no TCP length prefix)");
  auto* mm = app.add_flag("--mm", a.mm, "with --hex: the message is MM");
  sm->excludes(mm)->needs(hex);
  mm->needs(hex);
  app.add_flag("--pretty", a.pretty, "indent the JSON (objects then span several lines)");
  app.add_flag("-s,--summary", a.summary,
               "at the end, print {\"summary\": ...} on stderr: messages by type, errors by "
               "name, packets skipped");
  app.add_flag("--strict", a.strict, "exit 1 if any message had a decode or framing error");
  if (const auto rc = gmp::app::parse(app, argc, argv)) return *rc;
  try {
    if (a.hex && !a.sm && !a.mm) throw CLI::ValidationError("--hex", "needs --sm or --mm");
    if (!a.hex && a.file.empty())
      throw CLI::ValidationError("FILE", "a capture file (or --hex) is required");
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? exit_ok : exit_usage;
  }
  return a.hex ? run_hex(a) : run_file(a);
}

// gmp-client-faulty: gmp-client with fault switches (test only). `--fault NAME` (repeatable)
// breaks one client behaviour each; docs/client.md "The faulty build" lists them. It exists
// so that gmp-conform's client suite can prove each of its checks catches a faulty client.
#include <iostream>
#include <string>
#include <vector>

#include "faulty_membership.hpp"
#include "gmp/client/program.hpp"

int main(int argc, char** argv) {
  using namespace gmp::client;
  std::vector<std::string> names;
  FaultSet faults;
  Program p;
  p.name = "gmp-client-faulty";
  p.description = "TEST BUILD: --fault NAME breaks one behaviour the profile requires.";
  p.add_options = [&names](CLI::App& app) {
    std::string all;
    for (std::size_t i = 0; i < fault_count; ++i)
      all += (i ? ", " : "") + std::string(fault_name(static_cast<Fault>(i)));
    app.add_option("--fault", names, "a fault to switch on (repeatable): " + all)
        ->check([](const std::string& v) {
          return parse_fault(v) ? std::string() : "unknown fault '" + v + "'";
        });
  };
  p.make_membership = [&names, &faults]() -> decltype(Runner::Options::make_membership) {
    for (const auto& n : names) faults.set(*parse_fault(n));
    return [faults](asio::io_context& io, ServerEndpoints server, Role role, Timing timing,
                    Membership::EventHandler on_event) {
      return FaultyMembership::make(io, server, role, timing, std::move(on_event), faults);
    };
  };
  return program_main(argc, argv, p);
}

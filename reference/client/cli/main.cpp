// gmp-client: the reference GMP client (docs/client.md). One-shot subcommands for humans and a
// scripted mode (--script) for tests and the conformance tester's client adapter.
#include "gmp/client/program.hpp"

int main(int argc, char** argv) { return gmp::client::program_main(argc, argv, {}); }

// The C++ API of the reference client: one membership (creator or participant) of one session
// driven over real sockets by standalone Asio. A thin shell around ClientCore: it owns the
// TCP connection (SM, profile 1 framing), the MM UDP socket and one timer, feeds the core and
// writes what it asks for. Events go to the handler in the order the core produced them.
//
//   asio::io_context io;
//   auto server = gmp::client::resolve_server("127.0.0.1", 16513, 16513);
//   auto m = gmp::client::Membership::make(io, server, gmp::client::Role::participant, {},
//                                          [](const gmp::client::Event& e) { ... });
//   m->register_to({gmp::SessionId{id}, "bob", {}});
//   io.run();
#pragma once

// A standard header first: asio/detail/config.hpp decides between aligned_alloc and operator
// new from _GLIBCXX_HAVE_ALIGNED_ALLOC, which only a libstdc++ header defines. Without this,
// translation units disagree (an ODR violation that ASan reports as alloc-dealloc-mismatch;
// chriskohlhoff/asio#1139).
#include <cstddef>
// clang-format off
#include <asio.hpp>
// clang-format on
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "gmp/client/core.hpp"
#include "gmp/framer.hpp"

namespace gmp::client {

struct ServerEndpoints {
  asio::ip::tcp::endpoint sm;  // SM over TCP (profile 1)
  asio::ip::udp::endpoint mm;  // MM over UDP
};

/// Resolves `host` (numeric or a name) once; throws std::system_error when it cannot.
ServerEndpoints resolve_server(const std::string& host, std::uint16_t sm_port, std::uint16_t mm_port);

class Membership : public std::enable_shared_from_this<Membership> {
 public:
  using EventHandler = std::function<void(const Event&)>;

  static std::shared_ptr<Membership> make(asio::io_context& io, ServerEndpoints server, Role role,
                                          Timing timing, EventHandler on_event);
  virtual ~Membership() = default;
  Membership(const Membership&) = delete;
  Membership& operator=(const Membership&) = delete;

  // Commands: see ClientCore. The SM connection is opened on the first SM request.
  void create(const CreateParams& p);
  void register_to(const RegisterParams& p);
  void join();
  /// Opens (or keeps) the MM socket, bound to the local address of the SM connection and
  /// `port` (0: any), and sends SAREQ announcing it (profile 1, MM addressing).
  void activate(std::uint16_t port = 0);
  void request_members();
  void leave();
  void terminate();
  void remove();
  void set_muted(bool muted);
  /// Closes both sockets and the timer; no event is delivered afterwards.
  void close();

  [[nodiscard]] const ClientCore& core() const { return *core_; }
  [[nodiscard]] std::uint16_t local_mm_port() const;

 protected:
  /// For a test build that wraps the core (reference/client/faulty/): `core` is any ClientCore.
  Membership(asio::io_context& io, ServerEndpoints server, std::unique_ptr<ClientCore> core,
             EventHandler on_event);
  /// Puts one MM message on the wire to the server's MM address, from the MM socket.
  virtual void send_mm(std::span<const std::uint8_t> bytes);
  [[nodiscard]] asio::ip::udp::socket& mm_socket() { return mm_; }
  [[nodiscard]] const ServerEndpoints& server() const { return server_; }
  void report_error(const std::string& why) { shell_event(EventKind::error, why, Channel::mm); }

 private:
  /// One command to the core at the current time, then what it produced goes out.
  template <class Command>
  void command(Command&& c) {
    c(*core_, now());
    pump();
  }
  void pump();
  void shell_event(EventKind kind, std::string detail, Channel c = Channel::sm,
                   std::vector<std::uint8_t> raw = {});
  void connect();
  void start_sm_read();
  void start_sm_write();
  void sm_failed(const std::string& why);
  void start_mm_read();
  void arm_timer();
  static Time now();

  asio::io_context& io_;
  ServerEndpoints server_;
  std::unique_ptr<ClientCore> core_;
  EventHandler on_event_;
  bool closed_ = false;

  asio::ip::tcp::socket sm_;
  enum class Link { down, connecting, up } link_ = Link::down;
  SmFramer framer_;
  std::vector<std::uint8_t> sm_buf_;
  std::deque<std::vector<std::uint8_t>> sm_out_;  // framed, not yet handed to a write
  bool writing_ = false;                          // one write outstanding
  std::uint64_t link_gen_ = 0;  // bumped per connection and failure: stale completions see it

  asio::ip::udp::socket mm_;
  asio::ip::udp::endpoint mm_from_;
  std::vector<std::uint8_t> mm_buf_;

  asio::steady_timer timer_;
  std::optional<Time> armed_;
};

}  // namespace gmp::client

// The announcement endpoint (profile 5.2): cpp-httplib on its own thread serving the last
// snapshot the loop published (under a mutex). GET / (the HTML page, rendered here from
// that snapshot), GET /sessions, GET /sessions/<id> and GET /counters (JSON).
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "snapshot.hpp"

namespace httplib {
class Server;
}

namespace gmp::server {

class HttpAnnouncer {
 public:
  /// Connections served at once; more wait in the pool's queue (each holds a thread at most
  /// 1 s while it sends nothing).
  static constexpr std::size_t http_threads = 32;
  HttpAnnouncer();
  ~HttpAnnouncer();
  /// Binds host:port (0: any free port) and starts the thread; returns the bound port.
  std::uint16_t start(const std::string& host, std::uint16_t port);
  void stop();
  void publish(std::string sessions, std::string counters);
  /// The SM/MM address the page tells clients to use (host 0.0.0.0 or empty: the address
  /// the page was requested on).
  void set_join(JoinInfo join);

 private:
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  std::mutex mutex_;
  std::string sessions_ = R"({"sessions":[]})";
  std::string counters_ = "{}";
  JoinInfo join_;
};

}  // namespace gmp::server

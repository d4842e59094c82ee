// The announcement endpoint (profile 5.2): cpp-httplib on its own thread serving the last
// snapshot the loop published (under a mutex). GET / (live HTML page), GET /sessions and
// GET /counters (JSON).
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace httplib {
class Server;
}

namespace gmp::server {

class HttpAnnouncer {
 public:
  HttpAnnouncer();
  ~HttpAnnouncer();
  /// Binds host:port (0: any free port) and starts the thread; returns the bound port.
  std::uint16_t start(const std::string& host, std::uint16_t port);
  void stop();
  void publish(std::string sessions, std::string counters);

 private:
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  std::mutex mutex_;
  std::string sessions_ = R"({"sessions":[]})";
  std::string counters_ = "{}";
};

}  // namespace gmp::server

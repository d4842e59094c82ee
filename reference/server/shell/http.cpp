#include "http.hpp"

#include <httplib.h>

#include <chrono>
#include <stdexcept>

#include "snapshot.hpp"

namespace gmp::server {

HttpAnnouncer::HttpAnnouncer() : server_(std::make_unique<httplib::Server>()) {
  // cpp-httplib serves each connection on a pool thread for as long as it stays open, waiting
  // up to the keep-alive timeout (5 s by default) for a request, and its pool has 8 threads on
  // a small machine: 8 idle connections made /counters wait. A bigger pool, and 1 s for a
  // request to come (and to be read or written), keep the page answering; a connection that
  // sends nothing frees its thread after 1 s.
  server_->new_task_queue = [] { return new httplib::ThreadPool(http_threads); };
  server_->set_keep_alive_timeout(1);
  server_->set_keep_alive_max_count(100);
  server_->set_read_timeout(1, 0);
  server_->set_write_timeout(1, 0);
  server_->Get("/", [this](const httplib::Request& req, httplib::Response& res) {
    std::string sessions;
    JoinInfo join;
    {
      std::lock_guard lock(mutex_);
      sessions = sessions_;
      join = join_;
    }
    if (join.host.empty() || join.host == "0.0.0.0") join.host = req.local_addr;
    res.set_header("Cache-Control", "no-store");
    res.set_content(announcement_page(nlohmann::json::parse(sessions, nullptr, false), join),
                    "text/html; charset=utf-8");
  });
  server_->Get(R"(/sessions/(\d{1,5}))", [this](const httplib::Request& req, httplib::Response& res) {
    std::string sessions;
    {
      std::lock_guard lock(mutex_);
      sessions = sessions_;
    }
    const auto j = nlohmann::json::parse(sessions, nullptr, false);
    const unsigned long id = std::stoul(req.matches[1].str());
    res.set_header("Cache-Control", "no-store");
    if (!j.is_discarded() && j.contains("sessions"))
      for (const auto& s : j["sessions"])
        if (s.value("session_id", 0ul) == id) return res.set_content(s.dump(), "application/json");
    res.status = 404;
    res.set_content(R"({"error":"no such session"})", "application/json");
  });
  server_->Get("/sessions", [this](const httplib::Request&, httplib::Response& res) {
    std::lock_guard lock(mutex_);
    res.set_header("Cache-Control", "no-store");
    res.set_content(sessions_, "application/json");
  });
  server_->Get("/counters", [this](const httplib::Request&, httplib::Response& res) {
    std::lock_guard lock(mutex_);
    res.set_header("Cache-Control", "no-store");
    res.set_content(counters_, "application/json");
  });
}

HttpAnnouncer::~HttpAnnouncer() { stop(); }

std::uint16_t HttpAnnouncer::start(const std::string& host, std::uint16_t port) {
  int bound = port;
  if (port == 0) {
    bound = server_->bind_to_any_port(host);
  } else if (!server_->bind_to_port(host, port)) {
    bound = -1;
  }
  if (bound <= 0) throw std::runtime_error("cannot bind HTTP to " + host + ":" + std::to_string(port));
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  return static_cast<std::uint16_t>(bound);
}

void HttpAnnouncer::stop() {
  if (!thread_.joinable()) return;
  // cpp-httplib's stop() does nothing until listen_after_bind() has marked the server as
  // running: a stop that comes sooner (SIGTERM right at start-up) left the thread in accept()
  // and join() blocked for ever. Wait for it to run first, bounded (a listen that failed
  // never runs; its thread has ended or is about to).
  for (int i = 0; i < 2000 && !server_->is_running(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  server_->stop();
  thread_.join();
}

void HttpAnnouncer::set_join(JoinInfo join) {
  std::lock_guard lock(mutex_);
  join_ = std::move(join);
}

void HttpAnnouncer::publish(std::string sessions, std::string counters) {
  std::lock_guard lock(mutex_);
  sessions_ = std::move(sessions);
  counters_ = std::move(counters);
}

}  // namespace gmp::server

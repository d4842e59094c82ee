// The faulty build's shell (gmp-client-faulty): the shipped Membership around a FaultyCore,
// and the one fault the core cannot make: kares_from_other_port, KARES sent from a second UDP
// socket, not the one whose port SAREQ announced (profile 1, MM addressing).
#pragma once

#include <memory>

#include "faults.hpp"
#include "gmp/client/membership.hpp"

namespace gmp::client {

class FaultyMembership : public Membership {
 public:
  static std::shared_ptr<Membership> make(asio::io_context& io, ServerEndpoints server, Role role,
                                          Timing timing, EventHandler on_event, FaultSet faults);

 protected:
  void send_mm(std::span<const std::uint8_t> bytes) override;

 private:
  FaultyMembership(asio::io_context& io, ServerEndpoints server, Role role, Timing timing,
                   EventHandler on_event, FaultSet faults);
  FaultSet faults_;
  asio::ip::udp::socket other_;  // kares_from_other_port: opened on the first KARES
};

}  // namespace gmp::client

// The faulty build's shell: a Membership around a FaultyCore; kares_from_other_port.
#include "faulty_membership.hpp"

#include "faulty_core.hpp"

namespace gmp::client {

std::shared_ptr<Membership> FaultyMembership::make(asio::io_context& io, ServerEndpoints server,
                                                   Role role, Timing timing, EventHandler on_event,
                                                   FaultSet faults) {
  return std::shared_ptr<Membership>(
      new FaultyMembership(io, server, role, timing, std::move(on_event), faults));
}

FaultyMembership::FaultyMembership(asio::io_context& io, ServerEndpoints server, Role role,
                                   Timing timing, EventHandler on_event, FaultSet faults)
    : Membership(io, server, std::make_unique<FaultyCore>(role, timing, faults),
                 std::move(on_event)),
      faults_(faults),
      other_(io) {}

void FaultyMembership::send_mm(std::span<const std::uint8_t> bytes) {
  MmMessage m;
  if (!faults_.has(Fault::kares_from_other_port) || !decode_mm(bytes, m) || m.type != MmType::KARES)
    return Membership::send_mm(bytes);
  std::error_code ec;
  if (!other_.is_open()) {  // same address as the MM socket, another port
    const auto local = mm_socket().local_endpoint(ec);
    if (!ec) other_.open(asio::ip::udp::v4(), ec);
    if (!ec) other_.bind(asio::ip::udp::endpoint(local.address(), 0), ec);
    if (ec) {
      other_.close(ec);
      return report_error("kares_from_other_port: cannot open a second socket");
    }
  }
  other_.send_to(asio::buffer(bytes.data(), bytes.size()), server().mm, 0, ec);
  if (ec) report_error("MM send failed: " + ec.message());
}

}  // namespace gmp::client

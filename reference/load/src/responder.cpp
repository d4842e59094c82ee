#include "responder.hpp"

#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstring>
#include <limits>
#include <memory>

#include "gmp/message.hpp"
#include "gmp/udp_batch.hpp"
#include "net.hpp"

namespace gmp::load {

namespace {

constexpr std::size_t max_datagram = 1200;  // profile 3: no MM message is longer

std::uint32_t be32(const std::uint8_t* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3];
}

/// Active members in a UIRES (profile 6.4): MEMBER-COUNT of part 1 (open mode: the
/// participants) plus the entries listed in every part (open mode: creator and base members;
/// closed mode: everyone).
void note_uires(std::span<const std::uint8_t> d, Rounds& rounds) {
  MmMessage m;
  if (!decode_mm(d, m) || m.type != MmType::UIRES) return;
  const std::int32_t slot = rounds.slot_of_session[m.session.value];
  if (slot < 0) return;
  const auto k = static_cast<std::size_t>(slot);
  std::uint64_t listed = 0, counted = 0;
  bool first = false;
  for (const auto& o : m.options) {
    if (const auto* c = std::get_if<opt::MemberCount>(&o)) counted = c->count;
    if (const auto* l = std::get_if<opt::MemberList>(&o)) listed += l->entries.size();
    if (const auto* p = std::get_if<opt::ListPart>(&o)) first = p->index == 1;
  }
  if (first) {
    rounds.listed[k].store(listed);
    rounds.member_count[k].store(counted);
  } else {
    rounds.listed[k].fetch_add(listed);
  }
}

/// The KARES for a KAREQ, into `out` (24 bytes for the usual layout, KA-SEQ first); or by
/// the codec when the server laid its options out otherwise. 0: not a KAREQ with KA-SEQ.
std::size_t answer(std::span<const std::uint8_t> d, std::uint8_t* out, Rounds& rounds) {
  if (d.size() >= 24 && d[0] == 0x11 && d[16] == 19 && d[17] == 4) {
    const std::uint32_t round = be32(&d[18]);
    rounds.saw_round(SessionId{static_cast<std::uint16_t>((d[4] << 8) | d[5])},
                     UserId{static_cast<std::uint16_t>((d[6] << 8) | d[7])}, round);
    std::memcpy(out, d.data(), 24);
    out[0] = 0x12;                                    // KARES
    out[1] = static_cast<std::uint8_t>(d[1] & 0xF8);  // same mode and member type, no flags
    std::memset(out + 2, 0, 2);                       // group port: 0 in a member's message
    std::memset(out + 8, 0, 8);                       // group, KA fields: 0
    return 24;
  }
  MmMessage m;
  if (!decode_mm(d, m) || m.type != MmType::KAREQ) return 0;
  for (const auto& o : m.options) {
    if (const auto* seq = std::get_if<opt::KaSeq>(&o)) {
      rounds.saw_round(m.session, m.user, seq->round);
      const auto mode = static_cast<Mode>(m.mode);
      const auto bytes = encode(build::kares(m.session, m.user, static_cast<MemberType>(m.member_type), mode, seq->round));
      if (bytes.size() > 64) return 0;
      std::memcpy(out, bytes.data(), bytes.size());
      return bytes.size();
    }
  }
  return 0;
}

}  // namespace

Rounds::Rounds(const std::vector<SessionId>& sessions)
    : by_slot(sessions.size(), std::vector<Seen>(65536)),
      member_count(sessions.size()),
      listed(sessions.size()) {
  for (std::size_t i = 0; i < sessions.size(); ++i) {
    slot_of_session[sessions[i].value] = static_cast<std::int32_t>(i);
    member_count[i].store(std::numeric_limits<std::uint64_t>::max());
  }
}

void Rounds::saw_round(SessionId s, UserId u, std::uint32_t round) {
  const std::int32_t slot = slot_of_session[s.value];
  if (slot < 0) return;
  Seen& seen = by_slot[static_cast<std::size_t>(slot)][u.value];
  if (seen.count == 0) {
    seen.first = round;
    polled.fetch_add(1, std::memory_order_relaxed);
  }
  if (round > seen.last) seen.last = round;
  ++seen.count;
}

void respond(const std::vector<int>& fds, bool big_first, bool offload, Ipv4 server, std::uint16_t mm_port,
             const std::atomic<bool>& stop, Counters& counters, Rounds& rounds) {
  // KAREQs are 24 bytes: without GRO small slots keep recvmmsg's buffer in cache. Only the
  // first socket (the creators', where UIRES comes back) needs room for a whole datagram.
  // With GRO a slot takes a train of KAREQs; the KARES go back as trains (GSO), all to the
  // server's MM port (gmp/udp_batch.hpp).
  struct Socket {
    udp::Receiver rx;
    udp::Sender tx;
  };
  std::vector<std::unique_ptr<Socket>> socks;
  for (int fd : fds) {
    const std::size_t limit = fd == fds.front() && big_first ? max_datagram : std::size_t{64};
    udp::Receiver rx(fd, 64, limit, offload);
    if (!rx.gro()) rx = udp::Receiver(fd, batch, limit, false);
    socks.push_back(std::make_unique<Socket>(Socket{std::move(rx), udp::Sender(fd, offload)}));
  }
  constexpr std::size_t most = 64 * udp::max_segments;  // datagrams one receive() can bring
  std::vector<std::uint8_t> tx(most * 64);
  std::vector<udp::Sender::Datagram> answers;
  answers.reserve(most);
  const sockaddr_in to = address(server, mm_port);
  std::vector<pollfd> pfds;
  for (int fd : fds) pfds.push_back(pollfd{fd, POLLIN, 0});
  const auto on_datagram = [&](const sockaddr_in&, std::span<const std::uint8_t> d, bool) {
    if (answers.size() >= most) return;
    std::uint8_t* out = tx.data() + answers.size() * 64;
    const std::size_t len = answer(d, out, rounds);
    if (len == 0) {
      counters.other.fetch_add(1, std::memory_order_relaxed);
      if (!d.empty() && (d[0] & 0x0F) == 4) note_uires(d, rounds);
      return;
    }
    answers.push_back(udp::Sender::Datagram{to, out, len});
  };
  while (!stop.load(std::memory_order_relaxed)) {
    if (::poll(pfds.data(), pfds.size(), 50) <= 0) continue;
    for (std::size_t k = 0; k < pfds.size(); ++k) {
      if (!(pfds[k].revents & POLLIN)) continue;
      Socket& s = *socks[k];
      for (;;) {
        answers.clear();
        const int n = s.rx.receive(on_datagram);
        if (n <= 0) break;
        counters.kares.fetch_add(answers.size(), std::memory_order_relaxed);
        int waits = 0;
        s.tx.send(answers, [&] {  // a full send buffer: wait for room, 50 ms at most
          pollfd p{pfds[k].fd, POLLOUT, 0};
          return ++waits <= 5 && ::poll(&p, 1, 10) >= 0;
        });
        if (static_cast<std::size_t>(n) < s.rx.slots()) break;
      }
    }
  }
}

}  // namespace gmp::load

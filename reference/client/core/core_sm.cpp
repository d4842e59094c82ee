// ClientCore, SM side: the answers to the client's SM requests (profile 5, client view).
// Every answer must match the one request outstanding; anything else is reported as
// `unexpected` and changes nothing (profile 7).
#include <string>

#include "gmp/client/core.hpp"

namespace gmp::client {

namespace {

/// The request a server SM message answers (Table 2); nullopt for client-sent types.
std::optional<SmType> request_of(SmType t) {
  switch (t) {
    case SmType::SCACC: return SmType::SCREQ;
    case SmType::SCCON: return SmType::SCINF;
    case SmType::SRRES:
    case SmType::SRACC:
    case SmType::SRREJ: return SmType::SRREQ;
    case SmType::SJRES: return SmType::SJREQ;
    case SmType::SDRES: return SmType::SDREQ;
    default: return std::nullopt;  // SCREJ answers SCREQ or SCINF: handled by the caller
  }
}

Reason reason_of(const SmMessage& m) {
  const auto* r = find<opt::ReasonCode>(m.options);
  return r ? r->reason : Reason::success;
}

}  // namespace

void ClientCore::handle_sm_bytes(std::span<const std::uint8_t> bytes, Time now) {
  SmMessage m;
  const DecodeResult r = decode_sm(bytes, m);
  if (!report(Channel::sm, bytes, r)) return;  // profile 7: discarded, reported
  on_sm_message(m, bytes, now);
}

void ClientCore::on_sm_message(const SmMessage& m, std::span<const std::uint8_t> raw, Time now) {
  if (!sent_by_server(m.type))
    return unexpected(Channel::sm, raw, std::string(name(m.type)) + " flows the wrong way");
  std::optional<SmType> answers = request_of(m.type);
  if (m.type == SmType::SCREJ) answers = awaited_;  // refuses SCREQ or SCINF (profile 5.1)
  if (!awaited_ || !answers || *answers != *awaited_ ||
      (m.type == SmType::SCREJ && *awaited_ != SmType::SCREQ && *awaited_ != SmType::SCINF))
    return unexpected(Channel::sm, raw,
                      std::string(name(m.type)) + " answers no request outstanding" +
                          (awaited_ ? " (waiting for the answer to " + std::string(name(*awaited_)) + ")"
                                    : ""));
  // Everything but SCACC and SCREJ names our session (and SJRES our user).
  if (*awaited_ != SmType::SCREQ && m.type != SmType::SCREJ && m.session != session_)
    return unexpected(Channel::sm, raw,
                      std::string(name(m.type)) + " for session " + std::to_string(m.session.value) +
                          ", ours is " + std::to_string(session_.value));
  switch (*awaited_) {
    case SmType::SCREQ: return on_screq_answer(m, raw, now);
    case SmType::SCINF: return on_scinf_answer(m, raw);
    case SmType::SRREQ: return on_srreq_answer(m, raw, now);
    case SmType::SJREQ: return on_sjreq_answer(m, raw);
    case SmType::SDREQ: return on_sdreq_answer(m, raw);
    default: return unexpected(Channel::sm, raw, "internal: no handler");
  }
}

void ClientCore::rejected(const SmMessage& m) {
  Event e;
  e.kind = EventKind::rejected;
  e.reason = reason_of(m);
  e.detail = std::string(name(m.type));
  emit(std::move(e));
}

// Figures 4 and 5: SCACC -> SCINF at once on the same connection; SCREJ -> failed.
void ClientCore::on_screq_answer(const SmMessage& m, std::span<const std::uint8_t> raw, Time now) {
  if (m.type == SmType::SCREJ) {
    awaited_.reset();
    rejected(m);
    apply(Input::screj);
    return;
  }
  if (m.session.value == 0 || m.user.value == 0)
    return unexpected(Channel::sm, raw, "SCACC with session or user ID 0");
  awaited_.reset();
  session_ = m.session;
  user_ = m.user;
  SmMessage inf = build::scinf(session_, user_, create_.closed, create_.secure,
                               create_.session_name, create_.group_port, create_.group_address);
  inf.options.insert(inf.options.end(), create_.extra.begin(), create_.extra.end());
  send_sm(inf, SmType::SCINF, now);
  apply(Input::scacc);
}

// Figures 4 and 5: SCCON -> registered on our own session; SCREJ 5 -> failed.
void ClientCore::on_scinf_answer(const SmMessage& m, std::span<const std::uint8_t> raw) {
  if (m.type == SmType::SCREJ) {
    awaited_.reset();
    rejected(m);
    apply(Input::screj);
    return;
  }
  if (m.user != user_)
    return unexpected(Channel::sm, raw, "SCCON for user " + std::to_string(m.user.value));
  awaited_.reset();
  group_port_ = m.group_port;
  group_address_ = m.group_address;
  apply(Input::sccon);
}

// Figures 6, 7, 8: SRRES (closed mode) then SRACC or SRREJ.
void ClientCore::on_srreq_answer(const SmMessage& m, std::span<const std::uint8_t> raw, Time now) {
  (void)now;
  if (m.type == SmType::SRRES) {
    if (!allowed(Input::srres)) return refuse_message(Channel::sm, raw, "a second SRRES");
    if (!m.closed) return unexpected(Channel::sm, raw, "SRRES for an open session");
    apply(Input::srres);  // still waiting: the deadline stays
    return;
  }
  if (m.type == SmType::SRREJ) {
    awaited_.reset();
    rejected(m);
    apply(Input::srrej);
    return;
  }
  if (m.user.value == 0) return unexpected(Channel::sm, raw, "SRACC with user ID 0");
  // Figures 7, 8 and profile 5.3: a closed session answers SRRES first, before any check. An
  // SRACC with M = 1 before SRRES breaks that order: it is ignored, and we go on waiting.
  if (m.closed && state_ == State::registering)
    return unexpected(Channel::sm, raw, "SRACC with M = 1 before SRRES (closed mode: SRRES comes first)");
  awaited_.reset();
  user_ = m.user;
  mode_ = m.closed ? Mode::closed : Mode::open;
  secure_ = m.secure;
  group_port_ = m.group_port;
  group_address_ = m.group_address;
  apply(Input::sracc);
}

// Figure 9 (and Figure 23: the key in SJRES with S = 1).
void ClientCore::on_sjreq_answer(const SmMessage& m, std::span<const std::uint8_t> raw) {
  if (m.user != user_)
    return unexpected(Channel::sm, raw, "SJRES for user " + std::to_string(m.user.value));
  const auto* key = find<opt::GroupKey>(m.options);
  if (m.secure && (!key || key->key.size() != m.key_length || key->key.empty()))
    return unexpected(Channel::sm, raw, "SJRES with S = 1 but no usable GROUP-KEY");
  awaited_.reset();
  group_port_ = m.group_port;
  group_address_ = m.group_address;
  if (m.secure) {
    secure_ = true;
    install_key(*key, "SJRES");
  } else if (secure_) {
    error("SJRES without a key in a secure session");
  }
  const bool was_polled = before_join_ == State::activating || before_join_ == State::active;
  apply(was_polled ? Input::sjres_polled : Input::sjres);
}

// Table 1: SDRES 0 -> the session is gone; another REASON -> nothing changed.
void ClientCore::on_sdreq_answer(const SmMessage& m, std::span<const std::uint8_t> raw) {
  (void)raw;
  awaited_.reset();
  if (reason_of(m) != Reason::success) return rejected(m);
  Event e;
  e.kind = EventKind::deleted;
  emit(std::move(e));
  if (state_ != State::ended) end_session(Input::deleted, "SDRES");  // TRIND may have come first
}

}  // namespace gmp::client

// The sequence diagram of one case: the expected sequence (the scenario's steps, as run) on
// the left, the observed one (the wire log) on the right. Red: the failing step and every
// unexpected or mismatching message; grey: steps not run, ignored messages, automatic KARES.
#include <fmt/core.h>

#include <map>

#include "report.hpp"

namespace conform {

namespace {

constexpr int col_w = 120, row_h = 20, top = 46, max_rows = 250;

struct Panel {
  int x0 = 0;
  std::map<std::string, int> col;  // lifeline -> x
  int server_x = 0;
};

Panel layout(const CaseResult& r, int x0) {
  Panel p;
  p.x0 = x0;
  int x = x0 + 60;
  for (const auto& l : r.tp->lifelines) {
    p.col[l.name] = x;
    x += col_w;
  }
  p.server_x = x;
  return p;
}

int panel_width(const CaseResult& r) { return 60 + col_w * static_cast<int>(r.tp->lifelines.size() + 1); }

void heads(std::string& s, const Panel& p, int height, const std::string& title) {
  s += fmt::format("<text x=\"{}\" y=\"14\" font-weight=\"bold\">{}</text>", p.x0 + 4, title);
  auto head = [&](int x, const std::string& name) {
    s += fmt::format("<rect x=\"{}\" y=\"20\" width=\"90\" height=\"18\" rx=\"3\" fill=\"#eef\" stroke=\"#336\"/>"
                     "<text x=\"{}\" y=\"33\" text-anchor=\"middle\">{}</text>"
                     "<line x1=\"{}\" y1=\"38\" x2=\"{}\" y2=\"{}\" stroke=\"#99a\" stroke-dasharray=\"3,3\"/>",
                     x - 45, x, xml_escape(name), x, x, height);
  };
  for (const auto& [name, x] : p.col) head(x, name);
  head(p.server_x, "IUT (server)");
}

void arrow(std::string& s, int x1, int x2, int y, const std::string& color, bool dashed,
           const std::string& label, const std::string& tip) {
  int dir = x2 > x1 ? 1 : -1;
  s += fmt::format("<g><title>{}</title><line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"1.5\"{}/>"
                   "<polygon points=\"{},{} {},{} {},{}\" fill=\"{}\"/>"
                   "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"{}\">{}</text></g>",
                   xml_escape(tip), x1, y, x2, y, color, dashed ? " stroke-dasharray=\"4,3\"" : "",
                   x2, y, x2 - 7 * dir, y - 4, x2 - 7 * dir, y + 4, color,
                   (x1 + x2) / 2, y - 3, color, xml_escape(label));
}

}  // namespace

std::string sequence_svg(const CaseResult& r) {
  const int w = panel_width(r);
  Panel exp = layout(r, 0), obs = layout(r, w + 20);
  int rows_e = std::min<int>(static_cast<int>(r.trace.size()), max_rows);
  int rows_o = 0;
  for (const auto& e : r.log) rows_o += e.kind == WireKind::tcp_open ? 0 : 1;
  rows_o = std::min(rows_o, max_rows);
  int height = top + row_h * (std::max(rows_e, rows_o) + 1);
  std::string body;
  heads(body, exp, height, "expected (scenario steps)");
  heads(body, obs, height, "observed (wire)");
  int y = top;
  for (int i = 0; i < rows_e; ++i) {
    const auto& t = r.trace[static_cast<std::size_t>(i)];
    y += row_h;
    std::string color = t.status == "fail" ? "#d00" : t.status == "notrun" ? "#aaa" : "#222";
    auto it = exp.col.find(t.lifeline);
    if ((t.kind == "send" || t.kind == "expect" || t.kind == "closed") && it != exp.col.end()) {
      bool to = t.kind == "send";
      arrow(body, to ? it->second : exp.server_x, to ? exp.server_x : it->second, y, color,
            t.status == "notrun", t.kind == "closed" ? "close expected" : t.type, t.label + " (" + t.where + ")");
    } else {
      body += fmt::format("<text x=\"{}\" y=\"{}\" fill=\"{}\" font-style=\"italic\">{}</text>", exp.x0 + 64, y,
                          color, xml_escape(t.kind == "nothing" ? t.label : t.type));
    }
  }
  if (static_cast<int>(r.trace.size()) > rows_e)
    body += fmt::format("<text x=\"4\" y=\"{}\">... {} more steps</text>", y + row_h, r.trace.size() - static_cast<std::size_t>(rows_e));
  y = top;
  int shown = 0;
  for (const auto& e : r.log) {
    if (e.kind == WireKind::tcp_open) continue;
    if (++shown > rows_o) break;
    y += row_h;
    auto it = obs.col.find(e.lifeline);
    if (it == obs.col.end()) continue;
    std::string type = e.kind == WireKind::data ? e.decoded.value("type", std::string("raw bytes"))
                                                : std::string(e.kind == WireKind::tcp_close_by_server ? "TCP close (server)" : "TCP close");
    if (e.kind == WireKind::data && !e.decoded.is_null() && !e.decoded["error"].is_null())
      type += " [" + e.decoded["error"].get<std::string>() + "]";
    bool quiet = e.note == "auto KARES" || e.note == "ignored";
    std::string color = e.highlight ? "#d00" : quiet ? "#999" : "#222";
    std::string tip = fmt::format("{:.1f} ms {} {}", e.t_ms, type, e.note);
    int from = e.to_server ? it->second : obs.server_x, to = e.to_server ? obs.server_x : it->second;
    arrow(body, from, to, y, color, quiet || e.kind != WireKind::data, type, tip);
    body += fmt::format("<text x=\"{}\" y=\"{}\" fill=\"#888\" font-size=\"9\">{:.0f}</text>", obs.x0 + 2, y + 3, e.t_ms);
  }
  return fmt::format("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" font-family=\"sans-serif\" "
                     "font-size=\"11\"><line x1=\"{}\" y1=\"0\" x2=\"{}\" y2=\"{}\" stroke=\"#ccc\"/>{}</svg>",
                     2 * w + 20, height + 10, w + 10, w + 10, height, body);
}

}  // namespace conform

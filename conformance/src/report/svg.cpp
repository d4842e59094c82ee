// The sequence diagram of one case: the expected sequence (the scenario's steps, as run) on
// the left, the observed one (the wire log) on the right. Red: the failing step and every
// unexpected or mismatching message; grey: steps not run, ignored messages, automatic KARES.
#include <fmt/core.h>

#include <algorithm>
#include <cstdlib>
#include <map>

#include "report/report.hpp"

namespace conform {

namespace {

constexpr int col_w = 120, row_h = 20, top = 46, max_rows = 250;
constexpr const char* halo = "stroke=\"#fff\" stroke-width=\"3\" paint-order=\"stroke\"";

struct Panel {
  int x0 = 0;
  std::map<std::string, int> col;  // lifeline -> x
  int server_x = 0;
  bool client = false;  // a client purpose: the tester is the server
};

Panel layout(const CaseResult& r, int x0) {
  Panel p;
  p.x0 = x0;
  p.client = r.tp->id.rfind("GMP/CLI/", 0) == 0;
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
  s += fmt::format("<text x=\"{}\" y=\"33\" fill=\"#888\" font-size=\"9\">ms</text>", p.x0 + 2);
  // Client purposes (GMP/CLI): the tester plays the server, one lifeline per membership of
  // the client under test, which is the IUT column.
  const bool client = p.client;
  for (const auto& [name, x] : p.col) head(x, client ? "server: " + name : name);
  head(p.server_x, client ? "IUT (client)" : "IUT (server)");
}

// Labels stay within their arrow's span (about 6 px a character at 11 px): a longer one is
// cut with an ellipsis, the full text stays in the tooltip. A white halo keeps the
// lifelines it passes over from striking it through.
std::string fit(const std::string& s, int px) {
  std::size_t n = static_cast<std::size_t>(std::max(4, px / 6));
  return s.size() > n ? s.substr(0, n - 1) + "\u2026" : s;
}

void arrow(std::string& s, int x1, int x2, int y, const std::string& color, bool dashed,
           const std::string& label, const std::string& tip) {
  int dir = x2 > x1 ? 1 : -1;
  s += fmt::format("<g><title>{}</title><line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"1.5\"{}/>"
                   "<polygon points=\"{},{} {},{} {},{}\" fill=\"{}\"/>"
                   "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"{}\" {}>{}</text></g>",
                   xml_escape(label + " \u2014 " + tip), x1, y, x2, y, color, dashed ? " stroke-dasharray=\"4,3\"" : "",
                   x2, y, x2 - 7 * dir, y - 4, x2 - 7 * dir, y + 4, color,
                   (x1 + x2) / 2, y - 3, color, halo, xml_escape(fit(label, std::abs(x2 - x1) - 12)));
}

// What the colours and dashes of both panels mean, drawn under them (wrapped to `width`);
// returns the height it took.
int legend(std::string& s, int y, int width) {
  struct Item {
    const char* color;
    bool dashed;
    const char* text;
  };
  const Item items[] = {{"#222", false, "message"},
                        {"#d00", false, "difference / failing step"},
                        {"#999", true, "automatic KARES, ignored"},
                        {"#222", true, "TCP close"},
                        {"#aaa", true, "step not run"}};
  int x = 4, y0 = y;
  for (const auto& it : items) {
    int item_w = 44 + 7 * static_cast<int>(std::string(it.text).size());
    if (x > 4 && x + item_w > width) {
      x = 4;
      y += 16;
    }
    s += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"1.5\"{}/>"
                     "<text x=\"{}\" y=\"{}\" fill=\"#444\">{}</text>",
                     x, y - 4, x + 24, y - 4, it.color, it.dashed ? " stroke-dasharray=\"4,3\"" : "", x + 28, y, it.text);
    x += item_w;
  }
  return y - y0 + 16;
}

// The expected value of the field that decided the verdict ("opt.REASON: expected 2"),
// written on the failing step's arrow.
std::string decisive(const CaseResult& r) {
  Finding f = finding(r);
  if (f.differences.empty()) return "";
  const std::string& d = f.differences.front();
  return d.substr(0, d.find(", observed"));
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
  std::string body, why = decisive(r);
  heads(body, exp, height, "expected (scenario steps)");
  heads(body, obs, height, "observed (wire)");
  int y = top;
  for (int i = 0; i < rows_e; ++i) {
    const auto& t = r.trace[static_cast<std::size_t>(i)];
    y += row_h;
    std::string color = t.status == StepStatus::fail ? "#d00" : t.status == StepStatus::notrun ? "#aaa" : "#222";
    auto it = exp.col.find(t.lifeline);
    if ((t.kind == "send" || t.kind == "expect" || t.kind == "closed") && it != exp.col.end()) {
      bool to = t.kind == "send";
      std::string label = t.kind == "closed" ? "close expected" : t.type;
      if (t.status == StepStatus::fail && !why.empty()) label += " " + why;
      arrow(body, to ? it->second : exp.server_x, to ? exp.server_x : it->second, y, color,
            t.status == StepStatus::notrun, label, t.label + " (" + t.where + ")");
    } else {
      std::string text = t.kind == "nothing" ? t.label : t.type;
      body += fmt::format("<text x=\"{}\" y=\"{}\" fill=\"{}\" font-style=\"italic\" {}><title>{}</title>{}</text>",
                          exp.x0 + 64, y, color, halo, xml_escape(text), xml_escape(fit(text, w - 70)));
    }
    if (t.status != StepStatus::notrun)
      body += fmt::format("<text x=\"{}\" y=\"{}\" fill=\"#888\" font-size=\"9\">{:.0f}</text>", exp.x0 + 2, y + 3, t.t_ms);
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
  int total_h = height + 10 + legend(body, height + 24, 2 * w + 20);
  return fmt::format("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" font-family=\"sans-serif\" "
                     "font-size=\"11\"><line x1=\"{}\" y1=\"0\" x2=\"{}\" y2=\"{}\" stroke=\"#ccc\"/>{}</svg>",
                     2 * w + 20, total_h, w + 10, w + 10, height, body);
}

}  // namespace conform

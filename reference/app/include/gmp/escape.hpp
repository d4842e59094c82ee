// Text put into HTML or XML (the conformance reports, the certification report, the
// announcement page): the five markup characters escaped, control characters other than
// newline and tab shown as a space (XML 1.0 forbids most of them).
#pragma once

#include <string>
#include <string_view>

namespace gmp::app {

inline std::string markup_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') out += ' ';
        else out += c;
    }
  }
  return out;
}

}  // namespace gmp::app

// The certification report: both files verify as written, and any one-byte edit fails.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "pctr.hpp"

namespace {

conform::pctr::Input sample() {
  conform::pctr::Input in;
  in.implementation_name = "acme-gmpd";
  in.implementation_version = "2.1 <beta>";
  in.tester_version = "0.1.0";
  in.tester_commit = "0123abcd";
  in.date_utc = "2026-12-01T03:00:00Z";
  in.command_line = {"gmp-conform", "--target", "127.0.0.1:16513", "--pctr"};
  in.files = {{"scenario", "fig04-creation.yaml", std::string(64, 'a')}, {"pixit", "acme.yaml", std::string(64, 'b')}};
  in.cases = {{"GMP/SM/CRE/01", "open session created", "pass", "X.602", ""},
              {"GMP/MM/UI/03", "split list", "fail", "profile P6.4", "part 2 missing"},
              {"GMP/SEC/SCR/01", "secure refused", "n/a", "X.602", "PICS !secure_mode"}};
  return in;
}

}  // namespace

TEST(Pctr, Sha256OfKnownText) {
  const std::string abc = "abc";
  EXPECT_EQ(conform::pctr::sha256_hex({reinterpret_cast<const std::uint8_t*>(abc.data()), abc.size()}),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Pctr, BothReportsVerifyAsWritten) {
  for (const auto& text : {conform::pctr::json_report(sample()), conform::pctr::html_report(sample())}) {
    const auto v = conform::pctr::verify_bytes(text);
    EXPECT_TRUE(v.ok) << v.detail;
    EXPECT_EQ(v.digest.size(), 64u);
    EXPECT_NE(v.digest, std::string(64, '0'));
  }
}

TEST(Pctr, AnyOneByteEditFailsVerification) {
  for (const auto& text : {conform::pctr::json_report(sample()), conform::pctr::html_report(sample())}) {
    for (std::size_t i = 0; i < text.size(); i += 7) {  // every 7th byte: all regions of the file
      std::string edited = text;
      edited[i] = static_cast<char>(edited[i] ^ 0x01);
      EXPECT_FALSE(conform::pctr::verify_bytes(edited).ok) << "byte " << i << " of " << text.substr(0, 20);
    }
  }
}

TEST(Pctr, JsonHoldsIdentityFilesVerdictsAndAuthority) {
  const auto j = nlohmann::json::parse(conform::pctr::json_report(sample()));
  EXPECT_EQ(j["implementation"]["name"], "acme-gmpd");
  EXPECT_EQ(j["tester"]["commit"], "0123abcd");
  EXPECT_EQ(j["files"][1]["sha256"], std::string(64, 'b'));
  EXPECT_EQ(j["verdict"], "FAIL");
  EXPECT_EQ(j["summary"]["pass"], 1);
  EXPECT_EQ(j["cases"][1]["authority"], "profile P6.4");
  EXPECT_EQ(j["fails_by_authority"]["profile_only"], 1);
  EXPECT_EQ(j["fails_by_authority"]["x602"], 0);
  EXPECT_EQ(j["cases"][1]["reason"], "part 2 missing");
}

TEST(Pctr, HtmlEscapesWhatItShows) {
  const auto h = conform::pctr::html_report(sample());
  EXPECT_NE(h.find("2.1 &lt;beta&gt;"), std::string::npos);
  EXPECT_EQ(h.find("2.1 <beta>"), std::string::npos);
}

TEST(Pctr, NotAReportIsSaidSo) {
  const auto v = conform::pctr::verify_bytes("{\"cases\": []}");
  EXPECT_FALSE(v.ok);
  EXPECT_NE(v.detail.find("no report digest"), std::string::npos);
}

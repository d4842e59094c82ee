// The capacity campaign's settings and ladder (the campaign itself runs against real servers
// in tests/conformance/test_capacity.py).
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "capacity.hpp"

namespace {

std::string write_temp(const std::string& text) {
  char name[] = "/tmp/gmp-capacity-XXXXXX";
  const int fd = mkstemp(name);
  close(fd);
  std::ofstream(name) << text;
  return name;
}

}  // namespace

TEST(CapacityLadder, OneTwoFiveUpToTheTarget) {
  EXPECT_EQ(conform::capacity::ladder(1000, 200000),
            (std::vector<int>{1000, 2000, 5000, 10000, 20000, 50000, 100000, 200000}));
  EXPECT_EQ(conform::capacity::ladder(1000, 1000), (std::vector<int>{1000}));
  EXPECT_EQ(conform::capacity::ladder(300, 4000), (std::vector<int>{500, 1000, 2000, 4000}));
}

TEST(CapacitySettings, ReadsTheSectionAndKeepsDefaultsElsewhere) {
  const auto path = write_temp("pixit:\n  ka_period: 1\ncapacity:\n  target: 5000\n  ka_period: 20\n  ka_timeout: 10\n");
  conform::capacity::Settings s;
  std::vector<std::string> errors;
  ASSERT_TRUE(conform::capacity::load_settings(path, s, errors)) << errors.front();
  EXPECT_EQ(s.target, 5000);
  EXPECT_EQ(s.ka_period, 20);
  EXPECT_EQ(s.ka_timeout, 10);
  EXPECT_EQ(s.miss_limit, 1);
  std::remove(path.c_str());
}

TEST(CapacitySettings, ErrorsCarryFileAndLine) {
  const auto path = write_temp("capacity:\n  target: 5000\n  ka_perod: 20\n  miss_limit: 0\n");
  conform::capacity::Settings s;
  std::vector<std::string> errors;
  EXPECT_FALSE(conform::capacity::load_settings(path, s, errors));
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0], path + ":3: capacity.ka_perod: unknown item");
  EXPECT_EQ(errors[1], path + ":4: capacity.miss_limit: 0 is outside 1..255");
  std::remove(path.c_str());
}

TEST(CapacitySettings, TimeoutAbovePeriodIsRefused) {
  const auto path = write_temp("capacity:\n  ka_period: 5\n  ka_timeout: 6\n");
  conform::capacity::Settings s;
  std::vector<std::string> errors;
  EXPECT_FALSE(conform::capacity::load_settings(path, s, errors));
  std::remove(path.c_str());
}

// Publication times: day ranges, their order, and their bounds at the ends of the int64 range.
#include <gtest/gtest.h>

#include <limits>

#include "storytrace/time.hpp"

namespace storytrace {
namespace {

constexpr std::int64_t kHour = std::int64_t{3600} * 1'000'000'000;

TEST(Time, ADaySpansFourteenHoursBeforeToThirtySixAfterItsMidnight) {
  const TimeRange day = time_range(48 * kHour, true);
  EXPECT_EQ(day.earliest, 34 * kHour);
  EXPECT_EQ(day.latest, 84 * kHour);
  EXPECT_TRUE(day.day());
  const TimeRange exact = time_range(48 * kHour, false);
  EXPECT_EQ(exact.earliest, exact.latest);
  EXPECT_FALSE(exact.day());
  EXPECT_FALSE(time_range(kNoTime, true).known());
}

TEST(Time, TheBoundsOfADaySaturateInsteadOfWrapping) {
  constexpr std::int64_t max = std::numeric_limits<std::int64_t>::max();
  const TimeRange last = time_range(max - kHour, true);
  EXPECT_EQ(last.latest, max);
  EXPECT_GT(last.latest, last.earliest);
  const TimeRange first = time_range(kNoTime + 1 + kHour, true);
  EXPECT_TRUE(first.known());
  EXPECT_EQ(first.earliest, kNoTime + 1);
  // A time two days before the last day is surely earlier; the last day is never the earliest.
  const TimeRange before = time_range(max - 60 * kHour, false);
  EXPECT_TRUE(surely_before(before, last));
  EXPECT_FALSE(surely_before(last, before));
  EXPECT_TRUE(orders_before(before, last));
}

TEST(Time, OrderAndPrecedence) {
  const TimeRange wire = time_range(29 * kHour, false); // 05:00 on day 1
  const TimeRange day1 = time_range(24 * kHour, true);  // day 1
  const TimeRange day2 = time_range(48 * kHour, true);  // day 2
  const TimeRange unknown = time_range(kNoTime, false);
  EXPECT_FALSE(surely_before(wire, day1)); // the day overlaps the time
  EXPECT_FALSE(surely_before(day1, wire));
  EXPECT_TRUE(orders_before(wire, day1)); // but a day follows a known time that day
  EXPECT_TRUE(surely_before(day1, day2)); // two days by their dates, though their ranges overlap
  EXPECT_TRUE(may_precede(day2, wire) == false);
  EXPECT_TRUE(may_precede(day1, wire));
  EXPECT_TRUE(may_precede(unknown, wire) && may_precede(wire, unknown));
  EXPECT_TRUE(orders_before(wire, unknown)); // dated documents first
  EXPECT_FALSE(orders_before(unknown, unknown));
}

} // namespace
} // namespace storytrace

// Publication times and the order they set: one set of rules for trace, attribution and the index.
#pragma once

#include <cstdint>
#include <limits>

namespace storytrace {

// A missing publication time.
inline constexpr std::int64_t kNoTime = std::numeric_limits<std::int64_t>::min();
// A date without a time or zone ("2024-03-31") is a local day somewhere between UTC+14 and
// UTC-12: it may have been published from 14 hours before its UTC midnight to 36 hours after.
inline constexpr std::int64_t kDayBeforeNs = std::int64_t{14} * 3600 * 1'000'000'000;
inline constexpr std::int64_t kDayAfterNs = std::int64_t{36} * 3600 * 1'000'000'000;

// When a document may have been published, in nanoseconds since the epoch (UTC): from `earliest`
// to `latest` (equal for an exact time), both kNoTime when it is not known.
struct TimeRange {
  std::int64_t earliest = kNoTime;
  std::int64_t latest = kNoTime;

  bool known() const { return earliest != kNoTime; }
  // A day, not a time: the range is wider than one instant.
  bool day() const { return latest != earliest; }
  // The time a document is ordered by: the latest it may have been published, so that a document
  // known only by its day never counts as earlier than one published at a known time that day.
  std::int64_t order_time() const { return latest; }
  bool operator==(const TimeRange &) const = default;
};

// The range of a publication time (kNoTime: unknown) that gives a time, or only a day (its UTC
// midnight). The day's bounds saturate at the ends of the int64 range instead of wrapping.
inline TimeRange time_range(std::int64_t published, bool day_only) {
  if (published == kNoTime) return {};
  if (!day_only) return {published, published};
  constexpr std::int64_t lo = std::numeric_limits<std::int64_t>::min() + 1; // above kNoTime
  constexpr std::int64_t hi = std::numeric_limits<std::int64_t>::max();
  return {published < lo + kDayBeforeNs ? lo : published - kDayBeforeNs,
          published > hi - kDayAfterNs ? hi : published + kDayAfterNs};
}

// Whether `a` was surely published before `b`: its range ends before b's begins, or both are days
// and a's day is the earlier one.
inline bool surely_before(const TimeRange &a, const TimeRange &b) {
  return a.known() && b.known() && (a.latest < b.earliest || (a.day() && b.day() && a.earliest < b.earliest));
}

// Whether `a` may have been published no later than `b` (so that b may have copied a): unless b
// was surely first. True when either time is unknown.
inline bool may_precede(const TimeRange &a, const TimeRange &b) { return !surely_before(b, a); }

// The order of documents in time: dated ones first, by their order time; false for a tie (the
// caller breaks it, by corpus order).
inline bool orders_before(const TimeRange &a, const TimeRange &b) {
  if (a.known() != b.known()) return a.known();
  return a.known() && a.order_time() < b.order_time();
}

} // namespace storytrace

// Tools for uniform 64-bit hashes (shingles, words): sorting elements led by one in linear time,
// and a bit filter of a set of them.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

namespace storytrace::detail {

// Bits of the hash to place n elements by, below the `known` top bits they all share: about two
// elements a bucket, at most 2^20 buckets (8 MB of counts) and at least 2.
inline unsigned hash_bucket_bits(std::size_t n, unsigned known) {
  unsigned bits = 1;
  while (bits < 20 && (std::size_t{2} << bits) < n) ++bits;
  return std::min(bits, 64 - known);
}

// Sorts each bucket [at[b], at[b+1]) of `first` by `less` (operator< unless given). Buckets of a
// few elements (the usual case) by insertion, larger ones (a hash many times over) by std::sort.
template <class T, class Less = std::less<>>
void sort_buckets(T *first, const std::vector<std::size_t> &at, Less less = {}) {
  for (std::size_t b = 0; b + 1 < at.size(); ++b) {
    T *lo = first + at[b], *hi = first + at[b + 1];
    if (hi - lo < 2) continue;
    if (hi - lo > 24) {
      std::sort(lo, hi, less);
      continue;
    }
    for (T *i = lo + 1; i < hi; ++i) {
      T x = *i, *j = i;
      for (; j > lo && less(x, j[-1]); --j) *j = j[-1];
      *j = x;
    }
  }
}

// Sorts [first, last) by `less` (operator< unless given), for elements whose order starts with a hash, key(x), uniform
// in its bits below the `known` top ones that all of them share: what std::sort gives. `tmp` is
// scratch.
template <class T, class Key, class Less = std::less<>>
void sort_by_hash(T *first, T *last, Key key, unsigned known, std::vector<T> &tmp, std::vector<std::size_t> &at,
                  Less less = {}) {
  const std::size_t n = static_cast<std::size_t>(last - first);
  if (n < 32) {
    at.assign({0, n});
    sort_buckets(first, at, less);
    return;
  }
  const unsigned bits = hash_bucket_bits(n, known), shift = 64 - known - bits;
  const std::uint64_t low = (std::uint64_t{1} << bits) - 1;
  at.assign((std::size_t{1} << bits) + 1, 0);
  for (const T *e = first; e != last; ++e) ++at[((key(*e) >> shift) & low) + 1];
  for (std::size_t b = 1; b < at.size(); ++b) at[b] += at[b - 1];
  tmp.resize(n);
  for (const T *e = first; e != last; ++e) tmp[at[(key(*e) >> shift) & low]++] = *e;
  // at[b] is now the end of bucket b: shifted back to starts.
  for (std::size_t b = at.size() - 1; b > 0; --b) at[b] = at[b - 1];
  at[0] = 0;
  sort_buckets(tmp.data(), at, less);
  std::copy(tmp.begin(), tmp.end(), first);
}

// First of [from, end), sorted by key(x), whose key is not less than h: galloping from `from`, so
// that walking a short sorted list through a long one costs O(short * log(long)).
template <class It, class Key> It gallop(It from, It end, std::uint64_t h, Key key) {
  It lo = from, hi = from;
  for (std::ptrdiff_t step = 1; hi != end && key(*hi) < h; step *= 2)
    lo = hi + 1, hi = end - hi > step ? hi + step : end;
  return std::lower_bound(lo, hi, h, [&](const auto &x, std::uint64_t v) { return key(x) < v; });
}

// A set of hashes as one bit per slot of their low bits, about 8 slots a hash: may_hold is true
// for every hash added, and for about one in eight of the others.
class BitFilter {
public:
  BitFilter() = default; // holds nothing: add nor may_hold may be called before one is assigned
  explicit BitFilter(std::size_t hashes) {
    std::size_t slots = 512;
    while (slots < 8 * hashes) slots *= 2;
    bits_.assign(slots / 64, 0);
    slot_ = slots - 1;
  }
  void add(std::uint64_t h) { bits_[(h & slot_) >> 6] |= std::uint64_t{1} << (h & 63); }
  bool may_hold(std::uint64_t h) const { return (bits_[(h & slot_) >> 6] >> (h & 63)) & 1; }

private:
  std::vector<std::uint64_t> bits_;
  std::uint64_t slot_ = 0;
};

// The hashes added more than once, as two bit filters of about 16 slots a hash: one of every hash
// added, one of those added when the first may hold them already. may_repeat is true for every
// hash added twice or more, and for a few in a hundred of those added once.
class RepeatFilter {
public:
  explicit RepeatFilter(std::size_t hashes) : seen_(2 * hashes), again_(2 * hashes) {}
  void add(std::uint64_t h) {
    if (seen_.may_hold(h))
      again_.add(h);
    else
      seen_.add(h);
  }
  bool may_repeat(std::uint64_t h) const { return again_.may_hold(h); }

private:
  BitFilter seen_, again_;
};

} // namespace storytrace::detail

// Sorting elements led by a 64-bit hash in linear time: placed by the hash's top bits (a counting
// sort), then each small bucket sorted. Used wherever shingles are sorted by hash.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace storytrace::detail {

// Bits of the hash to place n elements by, below the `known` top bits they all share: about two
// elements a bucket, at most 2^20 buckets (8 MB of counts) and at least 2.
inline unsigned hash_bucket_bits(std::size_t n, unsigned known) {
  unsigned bits = 1;
  while (bits < 20 && (std::size_t{2} << bits) < n) ++bits;
  return std::min(bits, 64 - known);
}

// Sorts each bucket [at[b], at[b+1]) of `first` by operator<. Buckets of a few elements (the
// usual case) by insertion, larger ones (a hash many times over) by std::sort.
template <class T> void sort_buckets(T *first, const std::vector<std::size_t> &at) {
  for (std::size_t b = 0; b + 1 < at.size(); ++b) {
    T *lo = first + at[b], *hi = first + at[b + 1];
    if (hi - lo < 2) continue;
    if (hi - lo > 24) {
      std::sort(lo, hi);
      continue;
    }
    for (T *i = lo + 1; i < hi; ++i) {
      T x = *i, *j = i;
      for (; j > lo && x < j[-1]; --j) *j = j[-1];
      *j = x;
    }
  }
}

// Sorts [first, last) by operator<, for elements whose order starts with a hash, key(x), uniform
// in its bits below the `known` top ones that all of them share: what std::sort gives. `tmp` is
// scratch.
template <class T, class Key>
void sort_by_hash(T *first, T *last, Key key, unsigned known, std::vector<T> &tmp, std::vector<std::size_t> &at) {
  const std::size_t n = static_cast<std::size_t>(last - first);
  if (n < 32) {
    at.assign({0, n});
    sort_buckets(first, at);
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
  sort_buckets(tmp.data(), at);
  std::copy(tmp.begin(), tmp.end(), first);
}

} // namespace storytrace::detail

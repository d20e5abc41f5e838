// Shared types and the thread pool used by every stage.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "storytrace/time.hpp"

namespace storytrace {

// Version of the hashing scheme (token normalization, shingle layout, seed). Any change that
// alters a shingle hash must bump it: saved indexes record it and refuse a mismatch.
inline constexpr std::uint32_t kHashVersion = 1;
// The XXH3-64 seed of every token and shingle hash ("storytr1" read as a little-endian u64).
inline constexpr std::uint64_t kHashSeed = 0x31727479726f7473ULL;
// A missing outlet / agency / document reference.
inline constexpr std::int32_t kNone = -1;

// A document's text held elsewhere (a Python str, in place): UTF-8 bytes (width 0), or `length`
// code points of 1, 2 or 4 bytes each (width 1, 2, 4: Latin-1, UCS-2 without surrogates, UCS-4),
// which CorpusView::doc encodes to UTF-8 when it is read.
struct TextRef {
  const void *data = nullptr;
  std::uint64_t length = 0; // bytes (width 0) or code points
  std::uint32_t width = 0;
};

// The most UTF-8 bytes `ref` can take: its length, or at most 2, 3 or 4 bytes a code point of
// 1, 2 or 4 bytes.
inline std::size_t utf8_bound(const TextRef &ref) {
  return ref.width == 0 ? ref.length : ref.length * (ref.width == 1 ? 2 : ref.width == 2 ? 3 : 4);
}

// Appends the UTF-8 form of `ref` to `out`.
void append_utf8(const TextRef &ref, std::string &out);

// A corpus as the core sees it: either one UTF-8 buffer and the byte offsets of each document in
// it, or (when `refs` is not empty) one TextRef per document, read in place without a copy of
// the corpus.
struct CorpusView {
  std::string_view text;               // all documents, back to back
  std::vector<std::uint64_t> offsets;  // size n+1: document d is text[offsets[d], offsets[d+1])
  std::vector<TextRef> refs;           // or, when not empty: document d is refs[d]
  std::vector<std::int64_t> published; // size n, nanoseconds since the epoch (UTC) or kNoTime
  // Optional, size n: 1 where `published` gives a day, not a time (its UTC midnight; see
  // time_range); empty when every time is exact.
  std::vector<std::uint8_t> day_only;
  std::vector<std::int32_t> outlet; // size n, an outlet code or kNone
  // Optional, size n: each document's global id (types.hpp); empty: that of its corpus index.
  std::vector<std::uint64_t> global_id;
  std::vector<std::int32_t> outlet_agency; // per outlet code: the agency it is, or kNone

  std::size_t size() const { return !refs.empty() ? refs.size() : offsets.empty() ? 0 : offsets.size() - 1; }
  // When document d may have been published.
  TimeRange time(std::size_t d) const { return time_range(published[d], !day_only.empty() && day_only[d] != 0); }
  // Every document's.
  std::vector<TimeRange> times() const {
    std::vector<TimeRange> out(size());
    for (std::size_t d = 0; d < out.size(); ++d) out[d] = time(d);
    return out;
  }
  // Document d as UTF-8: a view of the buffer or of UTF-8 held in place, else encoded into
  // `scratch` (the view is valid until scratch changes).
  std::string_view doc(std::size_t d, std::string &scratch) const {
    if (refs.empty()) return text.substr(offsets[d], offsets[d + 1] - offsets[d]);
    const TextRef &r = refs[d];
    if (r.width == 0) return {static_cast<const char *>(r.data), r.length};
    scratch.clear();
    append_utf8(r, scratch);
    return scratch;
  }
  // The same, for a corpus in one buffer (std::logic_error otherwise).
  std::string_view doc(std::size_t d) const {
    if (!refs.empty()) throw std::logic_error("CorpusView::doc(d) needs a scratch string when documents are refs");
    return text.substr(offsets[d], offsets[d + 1] - offsets[d]);
  }
  // Document d's size in UTF-8 bytes, or an upper bound when it is not UTF-8 yet.
  std::size_t doc_bytes(std::size_t d) const {
    return refs.empty() ? offsets[d + 1] - offsets[d] : utf8_bound(refs[d]);
  }
};

// Raised when a progress callback asks the work to stop (Ctrl-C in Python).
struct Cancelled : std::runtime_error {
  Cancelled() : std::runtime_error("cancelled") {}
};

// Progress report: a stage name, how much of it is done and its total. Returns false to cancel.
// Only ever called from the thread that started the work.
using Progress = std::function<bool(std::string_view stage, std::size_t done, std::size_t total)>;

namespace detail {

// More threads than this are not started, whatever is asked.
inline constexpr std::size_t kMaxThreads = 256;

// Number of worker threads for a request of `threads` (0 = all cores; at most kMaxThreads).
std::size_t resolve_threads(std::size_t threads);

// Runs fn(i) for i in [0, n) on `threads` threads in blocks of `grain`. The calling thread takes
// part and reports progress between blocks; a false from progress stops the work and throws
// Cancelled. The first exception thrown by fn stops the work and is rethrown here.
void parallel_for(std::size_t n, std::size_t threads, std::size_t grain, const std::function<void(std::size_t)> &fn,
                  const Progress *progress = nullptr, std::string_view stage = {});

// For work done in parts: reports a part's progress as done = `first` + its own, of `total`,
// to `progress` (which may be null or empty).
inline Progress progress_from(const Progress *progress, std::size_t first, std::size_t total) {
  return [progress, first, total](std::string_view stage, std::size_t done, std::size_t) {
    return !progress || !*progress || (*progress)(stage, first + done, total);
  };
}

// An allocator whose value-less construct leaves a trivial element uninitialized, so that
// resize() on a large array of numbers writes nothing: the memory is first touched by whatever
// fills it (on the threads that fill it), not zeroed beforehand on one.
template <class T> struct UninitAllocator : std::allocator<T> {
  template <class U> struct rebind { using other = UninitAllocator<U>; };
  UninitAllocator() = default;
  template <class U> UninitAllocator(const UninitAllocator<U> &) noexcept {}
  template <class U> void construct(U *p) noexcept(std::is_nothrow_default_constructible_v<U>) { ::new (p) U; }
  template <class U, class... Args> void construct(U *p, Args &&...args) { ::new (p) U(std::forward<Args>(args)...); }
};

} // namespace detail

// A vector of numbers (or other trivial values) that resize() does not zero.
template <class T> using uninit_vector = std::vector<T, detail::UninitAllocator<T>>;

// Empties a container and gives its memory back. (`v = {}` does not: it assigns an empty
// initializer list and keeps the capacity.)
template <class V> void release(V &v) { V().swap(v); }

} // namespace storytrace

// Stage 5: alignment. Passages shared by two documents, tolerant of small edits.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "storytrace/common.hpp"
#include "storytrace/index.hpp"
#include "storytrace/shingle.hpp"
#include "storytrace/types.hpp"

namespace storytrace {

struct AlignOptions {
  std::size_t ngram = 5;
  // Passages with fewer tokens of exactly shared text than this are dropped (stock phrases).
  std::size_t min_tokens = 15;
  // Largest run of unmatched tokens, on either side, bridged inside one passage (a changed word or
  // phrase). A run on one side only, while the other text runs on (a sentence cut from one text or
  // added to it), is bridged up to twice as long.
  std::size_t max_gap = 24;
  // A shingle repeated more often than this inside one document seeds only in order (its k-th
  // occurrence in one text with its k-th in the other), not every pair.
  std::size_t max_repeats = 8;
};

// A shingle and its position, for joining two texts' shingles.
struct Seed {
  std::uint64_t hash;
  std::uint32_t pos;
  bool operator<(const Seed &o) const { return hash != o.hash ? hash < o.hash : pos < o.pos; }
};

// The unmasked shingles of a text (mask may be null) as seeds sorted by (hash, position).
void sorted_seeds(const std::uint64_t *shingles, std::size_t n, const std::uint8_t *mask, std::vector<Seed> &out);
// The same into `out` (room for n seeds); returns how many.
std::size_t sorted_seeds(const std::uint64_t *shingles, std::size_t n, const std::uint8_t *mask, Seed *out);

// The same for document d of `tok` (mask relative to the document), from tok.sh_order when it is
// there.
void sorted_seeds(const Tokenized &tok, std::size_t d, const std::uint8_t *mask, std::vector<Seed> &out);
// The same into `out` (room for the document's shingle_count seeds); returns how many.
std::size_t sorted_seeds(const Tokenized &tok, std::size_t d, const std::uint8_t *mask, Seed *out);

// Working memory of align_sorted, kept by a caller that aligns many pairs so that each pair
// does not allocate its own.
struct AlignScratch {
  std::vector<std::pair<std::uint32_t, std::uint32_t>> matches, runs, sorted; // (a position, b position)
  std::vector<std::uint32_t> at;
  struct Chain {
    std::uint32_t a_first, b_first, a_last, b_last;
    std::uint32_t matched, a_covered_until, b_matched, b_covered_until;
  };
  std::vector<Chain> open, closed;
  std::vector<Span> spans;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> kept_a, kept_b; // [begin, end) kept, sorted
};

// Aligns two texts given their sorted seeds; the work is about the smaller list times the log
// of the larger, plus the matches. `scratch` may be null.
std::vector<Span> align_sorted(const Seed *a, std::size_t na, const Seed *b, std::size_t nb,
                               const AlignOptions &options, AlignScratch *scratch = nullptr);

// Aligns two shingle sequences. Masked shingles (mask may be null) never seed a passage.
// Spans are one-to-one (no two overlap on either side) and sorted by a_begin.
std::vector<Span> align(const std::uint64_t *a, std::size_t na, const std::uint8_t *amask, const std::uint64_t *b,
                        std::size_t nb, const std::uint8_t *bmask, const AlignOptions &options);

struct RewriteOptions;

// The memory alignment may keep documents' entries in between pairs (DocCache, scorers.hpp), unless
// told otherwise (TraceOptions::cache_mb).
inline constexpr std::size_t kAlignCacheBytes = std::size_t{640} << 20;

// Aligns every candidate pair in parallel; passages come out in candidate order. With `rewrite`
// (and the corpus texts), each pair's verbatim passages are followed by the rewritten passages of
// its second document found in its first, which take in the verbatim ones inside them (see
// find_rewrites). The driver and its scorers are in
// scorers.hpp: this runs align_pairs with verbatim_scorer, then rewrite_scorer, keeping documents'
// entries between pairs within `cache_bytes` (kAlignCacheBytes).
std::vector<Passage> align_candidates(const Tokenized &tok, const std::vector<std::uint8_t> &mask,
                                      const std::vector<Candidate> &candidates, const AlignOptions &options,
                                      std::size_t threads, const Progress *progress = nullptr,
                                      const CorpusView *corpus = nullptr, const RewriteOptions *rewrite = nullptr,
                                      std::size_t cache_bytes = kAlignCacheBytes);

} // namespace storytrace

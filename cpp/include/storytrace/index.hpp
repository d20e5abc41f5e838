// Stage 4: postings sorted by hash, and candidate pairs of documents that share text.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "storytrace/common.hpp"
#include "storytrace/shingle.hpp"
#include "storytrace/types.hpp"

namespace storytrace {

// Documents in time order: CorpusView::order_time ascending (undated last), then corpus order.
// rank[d] is the position of document d in that order.
std::vector<std::uint32_t> time_rank(const CorpusView &corpus);

// The unmasked shingle hashes held by two or more documents (for trace: a shingle of one document
// alone pairs nothing; the monitoring index keeps every one, for the texts it is asked about),
// each with its holders: one entry per (hash, document), the hash stored once. Of a hash's
// holders only the `max_holders` earliest are kept. A holder is stored by its rank (time_rank for
// trace, the order of adding for the index), which is what candidate search compares.
struct Postings {
  uninit_vector<std::uint64_t> hash;  // distinct, ascending
  uninit_vector<std::uint32_t> begin; // size hash.size()+1: the holders of hash[k] are rank[begin[k], begin[k+1])
  uninit_vector<std::uint32_t> rank;  // ascending within each hash
  std::size_t size() const { return rank.size(); } // entries
  // The holders of `h` (none when it is not held), ascending.
  std::span<const std::uint32_t> holders(std::uint64_t h) const;
};

// find_candidates reads no more than `fanout` holders of a hash (the earliest): built with
// max_holders = fanout, the postings give the same candidates and a story reprinted by a
// thousand outlets costs `fanout` entries a shingle, not a thousand.
// The (hash, document) pairs are sorted in up to 16 passes of at most `pass_entries` pairs (or a
// sixteenth of them): more passes hold less at once, fewer walk the documents fewer times.
// A hash is kept when at least `min_holders` documents hold it (2 for trace, 1 for the index).
inline constexpr std::size_t kPassEntries = std::size_t{16} << 20;
Postings build_postings(const Tokenized &tok, const std::vector<std::uint8_t> &mask,
                        const std::vector<std::uint32_t> &rank, std::size_t threads, const Progress *progress = nullptr,
                        std::size_t max_holders = SIZE_MAX, std::size_t pass_entries = kPassEntries,
                        std::size_t min_holders = 2);

// The postings of two sets of documents in one, every rank of `earlier` below every rank of
// `later` (documents added later): each hash's holders are those of `earlier`, then `later`'s, the
// first `max_holders` kept. Linear in the entries.
Postings merge_postings(const Postings &earlier, const Postings &later, std::size_t max_holders = SIZE_MAX);

struct CandidateOptions {
  // A shingle in many documents pairs each of them only with its `fanout` earliest holders:
  // enough to find every origin, linear in the number of documents.
  std::size_t fanout = 16;
  // Minimum number of distinct shared shingles for a pair to be aligned.
  std::size_t min_shared = 3;
};

// Candidate search reports its progress in blocks of this many documents.
inline constexpr std::size_t kCandidateBlock = 256;

// Candidate pairs, sorted by (second, first). Work is linear in the postings times `fanout`.
std::vector<Candidate> find_candidates(const Tokenized &tok, const std::vector<std::uint8_t> &mask,
                                       const Postings &postings, const std::vector<std::uint32_t> &rank,
                                       const CandidateOptions &options, std::size_t threads,
                                       const Progress *progress = nullptr);

// Pairs that share much of their rarer vocabulary, whatever text they share: what a rewritten
// story and its source share once every sentence is reworded. Every document's form sample
// (Tokenized::sample, one distinct form in eight) is posted; a form in more than `max_holders`
// documents (a topic's or the language's word) is left out, so a document is paired with at most
// `max_holders` documents a sampled form, linear in the corpus. A document is paired with the
// earlier documents (by rank) holding at least `min_shared` of its sampled forms and at least
// `min_share` of those its sample holds that another document holds too (forms of its own alone
// say nothing of its source), the `partners` holding most of them. The rewrite scorer then decides
// whether the pair shares a passage: two reports of one event share names and places as well.
struct FormCandidateOptions {
  std::size_t max_holders = 64;
  std::size_t min_shared = 3;
  double min_share = 0.25;
  std::size_t partners = 3;
};

// Candidate pairs by their form samples, sorted by (second, first), each with `shared` 0 (no
// shingle counted). Empty when tok has no form sample.
std::vector<Candidate> find_form_candidates(const Tokenized &tok, const std::vector<std::uint32_t> &rank,
                                            const FormCandidateOptions &options, std::size_t threads,
                                            const Progress *progress = nullptr);

// The union of shingle candidates and form candidates (both sorted by (second, first)), sorted so;
// a pair in both is kept as the shingles found it.
std::vector<Candidate> merge_candidates(const std::vector<Candidate> &shingles, const std::vector<Candidate> &forms);

} // namespace storytrace

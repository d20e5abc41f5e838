// Pair scorers: what alignment runs on each candidate pair, in order, each adding the spans it
// finds. align_pairs is the driver: it sorts each pair's seeds once (from a cache of the
// documents in the most pairs, within a budget) and hands every scorer the pair, the seeds and the
// spans the scorers before it found. A new kind of passage is a new scorer (a new file), not an
// edit of the driver.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "storytrace/align.hpp"
#include "storytrace/common.hpp"
#include "storytrace/rewrite.hpp"
#include "storytrace/shingle.hpp"
#include "storytrace/types.hpp"

namespace storytrace {

// What the scorers share: the documents' tokens and boilerplate mask, the texts (null when only
// shingles are used), the candidate pairs, and which documents are first in many pairs (a story's
// first holders, against each reprint), for the scorers' own caches.
struct AlignContext {
  const Tokenized &tok;
  const std::vector<std::uint8_t> &mask; // over the shingles; empty: none
  const std::vector<Candidate> &candidates;
  const CorpusView *corpus = nullptr;
  std::vector<std::uint32_t> first_of; // per document: pairs it is first in
  std::vector<std::uint32_t> often;    // the documents first in two or more pairs, most first

  AlignContext(const Tokenized &tok, const std::vector<std::uint8_t> &mask, const std::vector<Candidate> &candidates,
               const CorpusView *corpus);
  const std::uint8_t *mask_of(std::uint32_t d) const { // relative to d, or null
    return mask.empty() ? nullptr : mask.data() + tok.sh_begin[d];
  }
};

// One candidate pair as a scorer sees it.
struct PairInput {
  const Candidate &pair;
  std::span<const Seed> first_seeds, second_seeds; // unmasked shingles, sorted by (hash, position)
};

class PairScorer {
public:
  // A scorer's working state on one thread, for one block of candidates (grouped by their second
  // document): what it keeps from pair to pair.
  class Worker {
  public:
    virtual ~Worker() = default;
    // Appends the spans this scorer finds in the pair to `found`, which holds those of the
    // scorers before it.
    virtual void score(const PairInput &pair, std::vector<Span> &found) = 0;
  };
  virtual ~PairScorer() = default;
  virtual std::unique_ptr<Worker> worker() const = 0;
};

// Verbatim passages, small edits bridged (align_sorted).
std::unique_ptr<PairScorer> verbatim_scorer(const AlignOptions &options);
// Rewritten sentences of the second document, outside the spans found before (find_rewrites);
// needs context.corpus.
std::unique_ptr<PairScorer> rewrite_scorer(const AlignContext &context, const RewriteOptions &options);

// Every candidate pair scored by each scorer in turn, pairs in parallel; passages come out in
// candidate order, each pair's in scorer order.
std::vector<Passage> align_pairs(const AlignContext &context, const std::vector<const PairScorer *> &scorers,
                                 std::size_t threads, const Progress *progress = nullptr);

} // namespace storytrace

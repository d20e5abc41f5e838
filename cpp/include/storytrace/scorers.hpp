// Pair scorers: what alignment runs on each candidate pair, in order, each adding the spans it
// finds. align_pairs is the driver: it sorts each pair's seeds once and hands every scorer the
// pair, the seeds and the spans the scorers before it found. What the driver and the scorers keep
// of a document from one pair to the next (its sorted seeds, a scorer's sentence units) is kept in
// one DocCache, within one memory budget. A new kind of passage is a new scorer (a new file), not
// an edit of the driver.
#pragma once

#include <atomic>
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

// What alignment keeps of a document from one pair to the next, within one memory budget shared by
// the driver (a document's sorted seeds) and the scorers (the rewrite scorer's sentence units and
// word forms). Before any pair is scored, each asks for room for an entry of one of its kinds
// for a document: its bytes and the time keeping it saves (the times it would be built again, by
// its cost; benchmarks/speed/cache_costs.cpp measures the costs). grant() gives the budget to the
// entries that save the most time per byte, in that order, and numbers each kind's granted
// entries (slots). A granted entry is then built by its owner beforehand (kept(kind) lists them),
// or at most once, by whichever thread needs it first (keep, get). Which entries are kept changes
// only the speed, never a result.
class DocCache {
public:
  DocCache(std::size_t budget_bytes, std::size_t documents) : budget_(budget_bytes), documents_(documents) {}
  DocCache(const DocCache &) = delete;
  DocCache &operator=(const DocCache &) = delete;
  ~DocCache();

  // The kind of entry (values of type T) named by its owner and a tag: made on the first call,
  // the same after. find gives it to a reader (SIZE_MAX when never made).
  template <class T> std::size_t kind(const void *owner, int tag) {
    return make_kind(owner, tag, [](void *v) { delete static_cast<T *>(v); });
  }
  std::size_t find(const void *owner, int tag) const;

  // Before grant: room asked for one entry.
  void ask(std::size_t kind, std::uint32_t doc, std::size_t bytes, double saves_ns);
  void grant();

  // After grant: the slot of doc's entry of `kind` (-1: not kept), a kind's documents in slot
  // order, and the bytes granted (at most the budget).
  std::int32_t slot(std::size_t kind, std::uint32_t doc) const { return kinds_[kind]->slot[doc]; }
  const std::vector<std::uint32_t> &kept(std::size_t kind) const { return kinds_[kind]->kept; }
  std::size_t granted_bytes() const { return granted_; }

  // The value in a slot (null until kept; always null for slot -1).
  template <class T> const T *get(std::size_t kind, std::int32_t slot) const {
    return slot < 0 ? nullptr : static_cast<const T *>(kinds_[kind]->values[static_cast<std::size_t>(slot)].load());
  }
  // Fills a slot with `fresh` unless another thread filled it first (then `fresh` is dropped).
  template <class T> void keep(std::size_t kind, std::int32_t slot, std::unique_ptr<T> fresh) const {
    void *none = nullptr;
    if (slot >= 0 && kinds_[kind]->values[static_cast<std::size_t>(slot)].compare_exchange_strong(none, fresh.get()))
      fresh.release();
  }

private:
  struct Kind {
    const void *owner;
    int tag;
    void (*destroy)(void *);
    std::vector<std::int32_t> slot; // per document
    std::vector<std::uint32_t> kept;
    mutable std::vector<std::atomic<void *>> values; // per slot
  };
  struct Ask {
    double saves_per_byte;
    std::size_t bytes;
    std::uint32_t kind, doc;
  };
  std::size_t make_kind(const void *owner, int tag, void (*destroy)(void *));
  std::size_t budget_, documents_, granted_ = 0;
  bool granted_once_ = false;
  std::vector<std::unique_ptr<Kind>> kinds_;
  std::vector<Ask> asks_;
};

// What the scorers share: the documents' tokens and boilerplate mask, the texts (null when only
// shingles are used), the candidate pairs, which documents are first in many pairs (a story's
// first holders, against each reprint: those whose entries are worth keeping), and the memory
// budget of the DocCache each run of the driver keeps them in.
struct AlignContext {
  const Tokenized &tok;
  const std::vector<std::uint8_t> &mask; // over the shingles; empty: none
  const std::vector<Candidate> &candidates;
  const CorpusView *corpus = nullptr;
  std::size_t cache_bytes = kAlignCacheBytes;
  std::vector<std::uint32_t> first_of; // per document: pairs it is first in
  std::vector<std::uint32_t> often;    // the documents first in two or more pairs, most first

  AlignContext(const Tokenized &tok, const std::vector<std::uint8_t> &mask, const std::vector<Candidate> &candidates,
               const CorpusView *corpus, std::size_t cache_bytes = kAlignCacheBytes);
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
    // Adds the spans this scorer finds in the pair to `found`, which holds those of the
    // scorers before it; it may replace some of them (a rewritten passage takes in the verbatim
    // spans inside it).
    virtual void score(const PairInput &pair, std::vector<Span> &found) = 0;
  };
  virtual ~PairScorer() = default;
  // Asks the driver's cache for room for what the workers keep of documents from pair to pair
  // (DocCache::kind named by this scorer, DocCache::ask), before any pair is scored.
  virtual void plan(DocCache & /*cache*/) const {}
  // A worker; what it keeps is in `cache`, granted as plan asked.
  virtual std::unique_ptr<Worker> worker(const DocCache &cache) const = 0;
};

// Verbatim passages, small edits bridged (align_sorted).
std::unique_ptr<PairScorer> verbatim_scorer(const AlignOptions &options);
// Rewritten passages of the second document in the first, taking in the spans found before
// inside them (find_rewrites, apply_rewrites); needs context.corpus.
std::unique_ptr<PairScorer> rewrite_scorer(const AlignContext &context, const RewriteOptions &options);

// Every candidate pair scored by each scorer in turn, pairs in parallel; passages come out in
// candidate order, each pair's in scorer order.
std::vector<Passage> align_pairs(const AlignContext &context, const std::vector<const PairScorer *> &scorers,
                                 std::size_t threads, const Progress *progress = nullptr);

} // namespace storytrace

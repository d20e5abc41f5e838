#include "storytrace/align.hpp"

#include <algorithm>
#include <atomic>
#include <climits>
#include <cstdlib>
#include <iterator>
#include <memory>
#include <span>

#include "storytrace/boilerplate.hpp"
#include "storytrace/hashes.hpp"
#include "storytrace/rewrite.hpp"
#include "storytrace/scorers.hpp"

namespace storytrace {
std::size_t sorted_seeds(const std::uint64_t *s, std::size_t n, const std::uint8_t *mask, Seed *out) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < n; ++i)
    if (!mask || !mask[i]) out[count++] = Seed{s[i], static_cast<std::uint32_t>(i)};
  std::sort(out, out + count);
  return count;
}

void sorted_seeds(const std::uint64_t *s, std::size_t n, const std::uint8_t *mask, std::vector<Seed> &out) {
  out.resize(n);
  out.resize(sorted_seeds(s, n, mask, out.data()));
}

std::size_t sorted_seeds(const Tokenized &tok, std::size_t d, const std::uint8_t *mask, Seed *out) {
  const std::size_t s0 = tok.sh_begin[d], n = tok.shingle_count(d);
  const std::uint64_t *sh = tok.shingles.data() + s0;
  if (!tok.ordered(d)) return sorted_seeds(sh, n, mask, out);
  std::size_t count = 0;
  const std::uint16_t *order = tok.sh_order.data() + s0;
  for (std::size_t i = 0; i < n; ++i)
    if (!mask || !mask[order[i]]) out[count++] = Seed{sh[order[i]], order[i]};
  return count;
}

void sorted_seeds(const Tokenized &tok, std::size_t d, const std::uint8_t *mask, std::vector<Seed> &out) {
  out.resize(tok.shingle_count(d));
  out.resize(sorted_seeds(tok, d, mask, out.data()));
}

namespace {

using Intervals = std::vector<std::pair<std::uint32_t, std::uint32_t>>;

// Whether [b, e) overlaps one of `kept` (disjoint, sorted by begin); `at` is where it would go.
bool overlaps(const Intervals &kept, std::uint32_t b, std::uint32_t e, Intervals::const_iterator &at) {
  at = std::lower_bound(kept.begin(), kept.end(), b, [](const auto &x, std::uint32_t v) { return x.first < v; });
  if (at != kept.end() && at->first < e) return true;
  return at != kept.begin() && std::prev(at)->second > b;
}

// Seeds (a position, b position) into that order. All seeds at one a position come from one hash
// (a position has one shingle), in b order: a counting sort by a position, which keeps the order
// within one, sorts them fully. Used when the positions are not far more than the seeds.
void sort_matches(AlignScratch &s) {
  auto &matches = s.matches;
  std::uint32_t top = 0;
  for (const auto &m : matches) top = std::max(top, m.first);
  if (top > 4 * matches.size() + 256) {
    std::sort(matches.begin(), matches.end());
    return;
  }
  s.at.assign(std::size_t{top} + 2, 0);
  for (const auto &m : matches) ++s.at[m.first + 1];
  for (std::size_t p = 1; p < s.at.size(); ++p) s.at[p] += s.at[p - 1];
  s.sorted.resize(matches.size());
  for (const auto &m : matches) s.sorted[s.at[m.first]++] = m;
  matches.swap(s.sorted);
}

using Chain = AlignScratch::Chain;

} // namespace

std::vector<Span> align(const std::uint64_t *a, std::size_t na, const std::uint8_t *amask, const std::uint64_t *b,
                        std::size_t nb, const std::uint8_t *bmask, const AlignOptions &options) {
  std::vector<Seed> sa, sb;
  sorted_seeds(a, na, amask, sa);
  sorted_seeds(b, nb, bmask, sb);
  return align_sorted(sa.data(), sa.size(), sb.data(), sb.size(), options);
}

std::vector<Span> align_sorted(const Seed *sa, std::size_t na, const Seed *sb, std::size_t nb,
                               const AlignOptions &options, AlignScratch *scratch) {
  std::vector<Span> result;
  if (na == 0 || nb == 0) return result;
  AlignScratch own;
  AlignScratch &work = scratch ? *scratch : own;
  const std::uint32_t ngram = static_cast<std::uint32_t>(std::max<std::size_t>(options.ngram, 1));
  const std::uint32_t reach = static_cast<std::uint32_t>(options.max_gap) + ngram;
  // A gap on one side only (a sentence cut from one text or added to it) is bridged up to a longer
  // reach, while the other text runs on unbroken.
  const std::uint32_t indel_reach = 2 * static_cast<std::uint32_t>(options.max_gap) + ngram;

  // 1. Seeds: positions where both texts have the same shingle. The smaller list is walked and
  // the larger one searched, so a short text against a long one costs little.
  const bool a_small = na <= nb;
  const Seed *small = a_small ? sa : sb, *large = a_small ? sb : sa;
  const std::size_t ns = a_small ? na : nb, nl = a_small ? nb : na;
  auto &matches = work.matches, &runs = work.runs;
  matches.clear(), runs.clear();
  // The pairs of a hash found more than once in either text (the k-th with the k-th when there
  // are too many repeats to pair every one with every other, which still aligns a repetitive text
  // with its copy).
  auto add_run = [&](std::vector<std::pair<std::uint32_t, std::uint32_t>> &out, const Seed *xa, std::size_t ca,
                     const Seed *xb, std::size_t cb) {
    if (ca <= options.max_repeats && cb <= options.max_repeats) {
      for (std::size_t x = 0; x < ca; ++x)
        for (std::size_t y = 0; y < cb; ++y) out.emplace_back(xa[x].pos, xb[y].pos);
    } else {
      for (std::size_t k = 0; k < std::min(ca, cb); ++k) out.emplace_back(xa[k].pos, xb[k].pos);
    }
  };
  std::size_t i = 0, j = 0;
  if (nl <= 4 * ns) {
    // Lists of like sizes are merged: which one steps is chosen without a branch (where the texts
    // differ, it goes either way), and a hash once in each is one match. Matches from runs are
    // kept apart and joined after; a position's matches all come from one hash, so the order
    // that sort_matches gives is the same.
    matches.resize(ns);
    std::size_t m = 0;
    while (i + 1 < ns && j + 1 < nl) {
      const std::uint64_t x = small[i].hash, y = large[j].hash;
      if (x == y) {
        if (small[i + 1].hash == x || large[j + 1].hash == y) {
          std::size_t ie = i + 1, je = j + 1;
          while (ie < ns && small[ie].hash == x) ++ie;
          while (je < nl && large[je].hash == x) ++je;
          if (a_small) {
            add_run(runs, small + i, ie - i, large + j, je - j);
          } else {
            add_run(runs, large + j, je - j, small + i, ie - i);
          }
          i = ie, j = je;
          continue;
        }
        matches[m++] = a_small ? std::pair{small[i].pos, large[j].pos} : std::pair{large[j].pos, small[i].pos};
        ++i, ++j;
        continue;
      }
      i += x < y;
      j += y < x;
    }
    matches.resize(m);
  }
  for (; i < ns && j < nl;) {
    const std::uint64_t h = small[i].hash;
    std::size_t ie = i;
    while (ie < ns && small[ie].hash == h) ++ie;
    j = static_cast<std::size_t>(detail::gallop(large + j, large + nl, h, [](const Seed &x) { return x.hash; }) -
                                 large);
    std::size_t je = j;
    while (je < nl && large[je].hash == h) ++je;
    if (je > j) {
      if (a_small) {
        add_run(matches, small + i, ie - i, large + j, je - j);
      } else {
        add_run(matches, large + j, je - j, small + i, ie - i);
      }
    }
    i = ie, j = je;
  }
  matches.insert(matches.end(), runs.begin(), runs.end());
  if (matches.empty()) return result;
  sort_matches(work);

  // 2. Chains: seeds joined in order on both sides, bridging gaps of up to max_gap tokens.
  auto &open = work.open, &closed = work.closed;
  open.clear(), closed.clear();
  for (const auto &[ap, bp] : matches) {
    // Chains that can no longer be reached are finished.
    for (std::size_t k = 0; k < open.size();) {
      if (ap - open[k].a_last > indel_reach) {
        closed.push_back(open[k]);
        open[k] = open.back();
        open.pop_back();
      } else {
        ++k;
      }
    }
    Chain *best = nullptr;
    std::uint32_t best_score = 0;
    for (Chain &c : open) {
      if (ap <= c.a_last || bp <= c.b_last) continue;
      const std::uint32_t da = ap - c.a_last, db = bp - c.b_last;
      if (da > reach || db > reach) {
        if (std::max(da, db) > indel_reach || std::min(da, db) > ngram) continue;
      }
      const std::uint32_t score = std::max(da, db) + (da > db ? da - db : db - da);
      if (!best || score < best_score) best = &c, best_score = score;
    }
    if (best) {
      const std::uint32_t from = std::max(ap, best->a_covered_until);
      best->matched += ap + ngram - from;
      best->a_covered_until = ap + ngram;
      const std::uint32_t b_from = std::max(bp, best->b_covered_until);
      best->b_matched += bp + ngram - b_from;
      best->b_covered_until = bp + ngram;
      best->a_last = ap;
      best->b_last = bp;
    } else {
      open.push_back(Chain{ap, bp, ap, bp, ngram, ap + ngram, ngram, bp + ngram});
    }
  }
  closed.insert(closed.end(), open.begin(), open.end());

  // 3. Long enough chains become spans; overlapping ones keep the best (most matched tokens).
  auto &spans = work.spans;
  spans.clear();
  for (const Chain &c : closed) {
    // Matched tokens on the side with fewer: a passage needs min_tokens of exactly shared text, not
    // just two short matches with a long bridged gap between them.
    Span s{c.a_first, c.a_last + ngram, c.b_first, c.b_last + ngram, std::min(c.matched, c.b_matched)};
    if (s.matched >= options.min_tokens) spans.push_back(s);
  }
  std::sort(spans.begin(), spans.end(), [](const Span &x, const Span &y) {
    if (x.matched != y.matched) return x.matched > y.matched;
    if (x.a_begin != y.a_begin) return x.a_begin < y.a_begin;
    return x.b_begin < y.b_begin;
  });
  auto &kept_a = work.kept_a, &kept_b = work.kept_b; // the spans kept, per side
  kept_a.clear(), kept_b.clear();
  for (const Span &s : spans) {
    Intervals::const_iterator at_a, at_b;
    if (overlaps(kept_a, s.a_begin, s.a_end, at_a) || overlaps(kept_b, s.b_begin, s.b_end, at_b)) continue;
    kept_a.emplace(at_a, s.a_begin, s.a_end);
    kept_b.emplace(at_b, s.b_begin, s.b_end);
    result.push_back(s);
  }
  std::sort(result.begin(), result.end(), [](const Span &x, const Span &y) {
    return x.a_begin != y.a_begin ? x.a_begin < y.a_begin : x.b_begin < y.b_begin;
  });
  return result;
}

AlignContext::AlignContext(const Tokenized &tok, const std::vector<std::uint8_t> &mask,
                           const std::vector<Candidate> &candidates, const CorpusView *corpus, std::size_t cache_bytes)
    : tok(tok), mask(mask), candidates(candidates), corpus(corpus), cache_bytes(cache_bytes), first_of(tok.size(), 0) {
  for (const Candidate &c : candidates) ++first_of[c.first];
  for (std::uint32_t d = 0; d < tok.size(); ++d)
    if (first_of[d] >= 2) often.push_back(d);
  std::stable_sort(often.begin(), often.end(),
                   [&](std::uint32_t x, std::uint32_t y) { return first_of[x] > first_of[y]; });
}

namespace {

class VerbatimScorer final : public PairScorer {
public:
  explicit VerbatimScorer(const AlignOptions &options) : options_(options) {}

  class Work final : public Worker {
  public:
    explicit Work(const AlignOptions &options) : options_(options) {}
    void score(const PairInput &pair, std::vector<Span> &found) override {
      const std::vector<Span> spans =
          align_sorted(pair.first_seeds.data(), pair.first_seeds.size(), pair.second_seeds.data(),
                       pair.second_seeds.size(), options_, &scratch_);
      found.insert(found.end(), spans.begin(), spans.end());
    }

  private:
    const AlignOptions &options_;
    AlignScratch scratch_;
  };
  std::unique_ptr<Worker> worker(const DocCache &) const override { return std::make_unique<Work>(options_); }

private:
  AlignOptions options_;
};

} // namespace

std::unique_ptr<PairScorer> verbatim_scorer(const AlignOptions &options) {
  return std::make_unique<VerbatimScorer>(options);
}

std::vector<Passage> align_pairs(const AlignContext &context, const std::vector<const PairScorer *> &scorers,
                                 std::size_t threads, const Progress *progress) {
  const Tokenized &tok = context.tok;
  const std::vector<Candidate> &candidates = context.candidates;
  auto seeds_of = [&](std::uint32_t d, std::vector<Seed> &out) { sorted_seeds(tok, d, context.mask_of(d), out); };
  // Seeds sorted once, not once per pair, for the documents first in two or more pairs (a story's
  // first holders, against each reprint; the candidates come grouped by their second document,
  // whose seeds a block sorts once) and for long documents in several pairs (on either side), as
  // far as the cache's budget goes beside what the scorers keep.
  constexpr std::size_t kLong = 2048;
  constexpr double kSeedNs = 2.1; // to sort a document's seeds, a shingle (cache_costs.cpp)
  DocCache cache(context.cache_bytes, tok.size());
  const std::size_t seeds_kind = cache.kind<Seed>(&cache, 0);
  {
    std::vector<std::uint32_t> pairs_of(tok.size(), 0);
    for (const Candidate &c : candidates) ++pairs_of[c.first], ++pairs_of[c.second];
    for (std::uint32_t d = 0; d < tok.size(); ++d) {
      const std::size_t n = tok.shingle_count(d);
      const std::uint32_t uses = n >= kLong ? pairs_of[d] : context.first_of[d];
      if (uses >= 2) cache.ask(seeds_kind, d, sizeof(Seed) * n, (uses - 1) * kSeedNs * static_cast<double>(n));
    }
  }
  for (const PairScorer *s : scorers) s->plan(cache);
  cache.grant();
  const std::vector<std::uint32_t> &cached_docs = cache.kept(seeds_kind);
  // In one array (one allocation, given back whole when align ends, not thousands of small ones
  // left in the heap): document k's seeds start at seed_at[k], seed_count[k] of them.
  std::vector<std::uint64_t> seed_at(cached_docs.size() + 1, 0);
  for (std::size_t k = 0; k < cached_docs.size(); ++k) seed_at[k + 1] = seed_at[k] + tok.shingle_count(cached_docs[k]);
  uninit_vector<Seed> seed_cache(seed_at.back());
  std::vector<std::uint32_t> seed_count(cached_docs.size());
  detail::parallel_for(cached_docs.size(), threads, 16, [&](std::size_t k) {
    const std::uint32_t d = cached_docs[k];
    seed_count[k] =
        static_cast<std::uint32_t>(sorted_seeds(tok, d, context.mask_of(d), seed_cache.data() + seed_at[k]));
  });
  auto cached = [&](std::uint32_t d, std::span<const Seed> &out) {
    const std::int32_t k = cache.slot(seeds_kind, d);
    if (k < 0) return false;
    out = std::span<const Seed>(seed_cache.data() + seed_at[static_cast<std::size_t>(k)],
                                seed_count[static_cast<std::size_t>(k)]);
    return true;
  };

  constexpr std::size_t kBlock = 64;
  const std::size_t blocks = (candidates.size() + kBlock - 1) / kBlock;
  std::vector<std::vector<Passage>> parts(blocks);
  detail::parallel_for(
      blocks, threads, 1,
      [&](std::size_t blk) {
        std::vector<std::unique_ptr<PairScorer::Worker>> workers;
        for (const PairScorer *s : scorers) workers.push_back(s->worker(cache));
        // Candidates come grouped by their second document: its seeds are sorted once per block.
        std::vector<Seed> first_seeds, second_seeds;
        std::uint32_t second_sorted = UINT32_MAX;
        std::vector<Span> found;
        for (std::size_t k = blk * kBlock; k < std::min(candidates.size(), (blk + 1) * kBlock); ++k) {
          const Candidate &c = candidates[k];
          std::span<const Seed> sa, sb;
          if (!cached(c.first, sa)) {
            seeds_of(c.first, first_seeds);
            sa = first_seeds;
          }
          if (!cached(c.second, sb)) {
            if (second_sorted != c.second) seeds_of(c.second, second_seeds);
            second_sorted = c.second;
            sb = second_seeds;
          }
          found.clear();
          const PairInput pair{c, sa, sb};
          for (auto &w : workers) w->score(pair, found);
          for (const Span &s : found) parts[blk].push_back(Passage{c.first, c.second, s});
        }
      },
      progress, "align");
  std::vector<Passage> out;
  for (auto &p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

std::vector<Passage> align_candidates(const Tokenized &tok, const std::vector<std::uint8_t> &mask,
                                      const std::vector<Candidate> &candidates, const AlignOptions &options,
                                      std::size_t threads, const Progress *progress, const CorpusView *corpus,
                                      const RewriteOptions *rewrite, std::size_t cache_bytes) {
  const AlignContext context(tok, mask, candidates, corpus, cache_bytes);
  const std::unique_ptr<PairScorer> verbatim = verbatim_scorer(options);
  std::unique_ptr<PairScorer> rewritten;
  std::vector<const PairScorer *> scorers{verbatim.get()};
  if (rewrite && corpus) {
    rewritten = rewrite_scorer(context, *rewrite);
    scorers.push_back(rewritten.get());
  }
  return align_pairs(context, scorers, threads, progress);
}

} // namespace storytrace

// Alignment: passages between two shingle sequences, tolerant of small edits.
#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <xxhash.h>

#include <string>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include "helpers.hpp"
#include "storytrace/align.hpp"
#include "storytrace/pipeline.hpp"
#include "storytrace/scorers.hpp"

namespace storytrace {
namespace {

using testing::Rng;
using Seq = std::vector<std::uint32_t>; // a text as token ids

constexpr std::size_t kNgram = 5;

// Token ids [first, first + count).
Seq run(std::uint32_t first, std::uint32_t count) {
  Seq out(count);
  for (std::uint32_t i = 0; i < count; ++i) out[i] = first + i;
  return out;
}

Seq cat(std::initializer_list<Seq> parts) {
  Seq out;
  for (const Seq &p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

std::vector<std::uint64_t> shingles_of(const Seq &toks, std::size_t ngram = kNgram) {
  std::vector<std::uint64_t> out;
  for (std::size_t i = 0; i + ngram <= toks.size(); ++i)
    out.push_back(XXH3_64bits(toks.data() + i, ngram * sizeof(std::uint32_t)));
  return out;
}

AlignOptions opts(std::size_t min_tokens = 15, std::size_t max_gap = 24) {
  AlignOptions o;
  o.ngram = kNgram;
  o.min_tokens = min_tokens;
  o.max_gap = max_gap;
  return o;
}

std::vector<Span> align_seqs(const Seq &a, const Seq &b, const AlignOptions &o = opts(),
                             const std::vector<std::uint8_t> *amask = nullptr,
                             const std::vector<std::uint8_t> *bmask = nullptr) {
  const auto sa = shingles_of(a, o.ngram), sb = shingles_of(b, o.ngram);
  return align(sa.data(), sa.size(), amask ? amask->data() : nullptr, sb.data(), sb.size(),
               bmask ? bmask->data() : nullptr, o);
}

// Two texts of 1 to 6 parts each: one of `paras`, then up to 11 tokens of the text's own.
std::pair<Seq, Seq> paragraph_texts(Rng &rng, const std::vector<Seq> &paras) {
  Seq x, y;
  for (int k = 0, parts = 1 + static_cast<int>(rng.below(6)); k < parts; ++k) {
    x = cat({x, paras[rng.below(paras.size())],
             run(10000 + 100 * static_cast<std::uint32_t>(rng.below(50)), static_cast<std::uint32_t>(rng.below(12)))});
    y = cat({y, paras[rng.below(paras.size())],
             run(20000 + 100 * static_cast<std::uint32_t>(rng.below(50)), static_cast<std::uint32_t>(rng.below(12)))});
  }
  return {x, y};
}

using Box = std::tuple<std::uint32_t, std::uint32_t, std::uint32_t, std::uint32_t>;
std::vector<Box> boxes(const std::vector<Span> &spans) {
  std::vector<Box> out;
  for (const Span &s : spans) out.emplace_back(s.a_begin, s.a_end, s.b_begin, s.b_end);
  return out;
}

// The contract's invariants: sorted by a_begin, no overlap on either side, within both texts,
// at least min_tokens long on both sides, matched no more than the a side's length.
void check_spans(const std::vector<Span> &spans, std::size_t na, std::size_t nb, const AlignOptions &o) {
  for (std::size_t i = 0; i < spans.size(); ++i) {
    const Span &s = spans[i];
    ASSERT_LT(s.a_begin, s.a_end);
    ASSERT_LT(s.b_begin, s.b_end);
    ASSERT_LE(s.a_end, na);
    ASSERT_LE(s.b_end, nb);
    ASSERT_GE(s.a_end - s.a_begin, o.min_tokens);
    ASSERT_GE(s.b_end - s.b_begin, o.min_tokens);
    ASSERT_LE(s.matched, s.a_end - s.a_begin);
    if (i) {
      ASSERT_LE(spans[i - 1].a_begin, s.a_begin);
    }
    for (std::size_t j = 0; j < i; ++j) {
      const Span &k = spans[j];
      ASSERT_FALSE(s.a_begin < k.a_end && k.a_begin < s.a_end) << "a sides overlap: spans " << j << ", " << i;
      ASSERT_FALSE(s.b_begin < k.b_end && k.b_begin < s.b_end) << "b sides overlap: spans " << j << ", " << i;
    }
  }
}

TEST(Align, IdenticalSequencesGiveOneSpanCoveringEverything) {
  const Seq a = run(1000, 100);
  const std::vector<Span> spans = align_seqs(a, a);
  EXPECT_EQ(boxes(spans), (std::vector<Box>{{0, 100, 0, 100}}));
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].matched, 100u);
}

TEST(Align, SharedPassageAtDifferentPositions) {
  const Seq a = cat({run(1, 40), run(1000, 50), run(2, 10)});
  const Seq b = cat({run(5000, 7), run(1000, 50), run(6000, 33)});
  const std::vector<Span> spans = align_seqs(a, b);
  EXPECT_EQ(boxes(spans), (std::vector<Box>{{40, 90, 7, 57}}));
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].matched, 50u);
}

TEST(Align, ChangedWordInTheMiddleStillGivesOneSpan) {
  const Seq a = run(1000, 100);
  Seq b = a;
  b[50] = 99999;
  const std::vector<Span> spans = align_seqs(a, b);
  EXPECT_EQ(boxes(spans), (std::vector<Box>{{0, 100, 0, 100}}));
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].matched, 99u); // every token but the changed one is under a matching shingle
  // Several scattered changes, each well inside max_gap.
  for (std::size_t i : {15u, 33u, 61u, 80u}) b[i] = 90000 + static_cast<std::uint32_t>(i);
  EXPECT_EQ(boxes(align_seqs(a, b)), (std::vector<Box>{{0, 100, 0, 100}}));
}

TEST(Align, DroppedOrInsertedSentenceStillGivesOneSpan) {
  const Seq x = run(1000, 40), sentence = run(3000, 15), y = run(2000, 45);
  const Seq full = cat({x, sentence, y}), cut = cat({x, y});
  check_spans(align_seqs(full, cut), full.size(), cut.size(), opts());
  EXPECT_EQ(boxes(align_seqs(full, cut)), (std::vector<Box>{{0, 100, 0, 85}}));
  EXPECT_EQ(boxes(align_seqs(cut, full)), (std::vector<Box>{{0, 85, 0, 100}}));
  // A sentence replaced by a different one of another length.
  const Seq other = cat({x, run(4000, 9), y});
  EXPECT_EQ(boxes(align_seqs(full, other)), (std::vector<Box>{{0, 100, 0, 94}}));
}

TEST(Align, GapLongerThanMaxGapSplitsTheSpan) {
  const Seq x = run(1000, 40), y = run(2000, 40);
  // 40 differing tokens on both sides (a sentence replaced by another) cannot be bridged with
  // max_gap 24.
  const Seq full = cat({x, run(3000, 40), y}), other = cat({x, run(5000, 40), y});
  EXPECT_EQ(boxes(align_seqs(full, other)), (std::vector<Box>{{0, 40, 0, 40}, {80, 120, 80, 120}}));
  // They can with max_gap 40.
  EXPECT_EQ(boxes(align_seqs(full, other, opts(15, 40))), (std::vector<Box>{{0, 120, 0, 120}}));
}

TEST(Align, GapOnOneSideIsBridgedUpToTwiceMaxGap) {
  const Seq x = run(1000, 40), y = run(2000, 40);
  // 40 tokens cut from one text, the other running on: bridged (2 * 24 >= 40), either way round.
  const Seq full = cat({x, run(3000, 40), y}), cut = cat({x, y});
  EXPECT_EQ(boxes(align_seqs(full, cut)), (std::vector<Box>{{0, 120, 0, 80}}));
  EXPECT_EQ(boxes(align_seqs(cut, full)), (std::vector<Box>{{0, 80, 0, 120}}));
  // 60 tokens are more than twice max_gap: two spans.
  const Seq longer = cat({x, run(3000, 60), y});
  EXPECT_EQ(boxes(align_seqs(longer, cut)), (std::vector<Box>{{0, 40, 0, 40}, {100, 140, 40, 80}}));
  // The other side must run on: a 40-token cut facing 10 differing tokens is not bridged.
  const Seq changed = cat({x, run(6000, 10), y});
  EXPECT_EQ(boxes(align_seqs(full, changed)), (std::vector<Box>{{0, 40, 0, 40}, {80, 120, 50, 90}}));
}

TEST(Align, TwoCopiedParagraphsFarApartGiveTwoSpans) {
  const Seq p1 = run(1000, 30), p2 = run(2000, 30);
  const Seq a = cat({p1, run(10000, 100), p2});
  const Seq b = cat({run(20000, 50), p1, run(30000, 80), p2, run(40000, 20)});
  const std::vector<Span> spans = align_seqs(a, b);
  EXPECT_EQ(boxes(spans), (std::vector<Box>{{0, 30, 50, 80}, {130, 160, 160, 190}}));
  // Paragraphs in swapped order are found too (sorted by a_begin).
  const Seq c = cat({p2, run(50000, 60), p1});
  EXPECT_EQ(boxes(align_seqs(a, c)), (std::vector<Box>{{0, 30, 90, 120}, {130, 160, 0, 30}}));
}

TEST(Align, SpansShorterThanMinTokensAreDropped) {
  const Seq a = cat({run(1, 30), run(1000, 12), run(100, 30)});
  const Seq b = cat({run(500, 20), run(1000, 12), run(600, 20)});
  EXPECT_TRUE(align_seqs(a, b).empty());
  EXPECT_EQ(boxes(align_seqs(a, b, opts(12))), (std::vector<Box>{{30, 42, 20, 32}}));
  EXPECT_TRUE(align_seqs(a, b, opts(13)).empty());
}

TEST(Align, SpansAreOneToOneWhenTextRepeats) {
  const Seq p = run(1000, 30);
  // A paragraph printed twice on one side and once on the other is one passage.
  const Seq twice = cat({p, p});
  EXPECT_EQ(align_seqs(twice, p).size(), 1u);
  EXPECT_EQ(align_seqs(p, twice).size(), 1u);
  check_spans(align_seqs(twice, p), twice.size(), p.size(), opts());
  check_spans(align_seqs(p, twice), p.size(), twice.size(), opts());
  // Printed twice on both sides, apart: two passages, each copy to its counterpart.
  const Seq a = cat({p, run(5000, 40), p}), b = cat({p, run(6000, 40), p});
  EXPECT_EQ(boxes(align_seqs(a, b)), (std::vector<Box>{{0, 30, 0, 30}, {70, 100, 70, 100}}));
  // Random texts built from a few repeated paragraphs.
  Rng rng(5);
  const std::vector<Seq> paras = {run(100, 20), run(200, 25), run(300, 18), run(400, 30)};
  for (int trial = 0; trial < 200; ++trial) {
    const auto [x, y] = paragraph_texts(rng, paras);
    const AlignOptions o = opts(15, rng.below(30));
    const std::vector<Span> spans = align_seqs(x, y, o);
    SCOPED_TRACE(trial);
    check_spans(spans, x.size(), y.size(), o);
  }
}

TEST(Align, SameSpansWhetherTheSeedListsAreMergedOrSearched) {
  // Seeds are found by merging two lists of like sizes, or by searching the larger for each of the
  // smaller's: a tail of shingles the other text lacks switches from one to the other without
  // changing a seed, so it must not change a span. Texts of repeated paragraphs and repeated
  // shingles, with max_repeats low and high.
  using Full = std::tuple<std::uint32_t, std::uint32_t, std::uint32_t, std::uint32_t, std::uint32_t>;
  auto full = [](const std::vector<Span> &spans) {
    std::vector<Full> out;
    for (const Span &s : spans) out.emplace_back(s.a_begin, s.a_end, s.b_begin, s.b_end, s.matched);
    return out;
  };
  Rng rng(11);
  const std::vector<Seq> paras = {run(100, 20), run(200, 25), Seq(14, 7), run(400, 30),
                                  cat({run(500, 8), run(500, 8)})};
  std::size_t with_spans = 0;
  for (int trial = 0; trial < 300; ++trial) {
    const auto [x, y] = paragraph_texts(rng, paras);
    AlignOptions o = opts(15, rng.below(30));
    o.max_repeats = 1 + rng.below(10);
    const Seq tail = run(1000000 + 10000 * static_cast<std::uint32_t>(trial),
                         static_cast<std::uint32_t>(5 * (x.size() + y.size()) + 10));
    SCOPED_TRACE(trial);
    const std::vector<Full> expect = full(align_seqs(x, y, o));
    with_spans += !expect.empty();
    EXPECT_EQ(full(align_seqs(x, cat({y, tail}), o)), expect);
    EXPECT_EQ(full(align_seqs(cat({x, tail}), y, o)), expect);
  }
  EXPECT_GT(with_spans, 150u);
}

TEST(Align, MaskedShinglesNeverSeed) {
  const Seq a = run(1000, 100);
  const std::size_t ns = a.size() - kNgram + 1;
  const std::vector<std::uint8_t> all(ns, 1);
  EXPECT_TRUE(align_seqs(a, a, opts(), &all, nullptr).empty());
  EXPECT_TRUE(align_seqs(a, a, opts(), nullptr, &all).empty());
  // Shingles 30..69 masked on one side: too long a gap to bridge; two passages around it.
  std::vector<std::uint8_t> middle(ns, 0);
  for (std::size_t i = 30; i < 70; ++i) middle[i] = 1;
  const std::vector<Box> expect{{0, 34, 0, 34}, {70, 100, 70, 100}};
  EXPECT_EQ(boxes(align_seqs(a, a, opts(), &middle, nullptr)), expect);
  EXPECT_EQ(boxes(align_seqs(a, a, opts(), nullptr, &middle)), expect);
  // A lone unmasked island is not a passage either (with min_tokens 1 it would be).
  std::vector<std::uint8_t> island(ns, 1);
  island[50] = 0;
  EXPECT_TRUE(align_seqs(a, a, opts(), &island, nullptr).empty());
  EXPECT_EQ(boxes(align_seqs(a, a, opts(kNgram), &island, nullptr)), (std::vector<Box>{{50, 55, 50, 55}}));
}

TEST(Align, ShinglesRepeatedTooOftenSeedInOrder) {
  const Seq same(40, 7); // one shingle, 36 times on each side: paired k-th with k-th
  EXPECT_EQ(boxes(align_seqs(same, same)), (std::vector<Box>{{0, 40, 0, 40}}));
  const Seq shifted = cat({run(0, 10), same});
  EXPECT_EQ(boxes(align_seqs(same, shifted)), (std::vector<Box>{{0, 40, 10, 50}}));
  // Below the limit every pair is a seed, and the best chain is the same.
  AlignOptions o = opts();
  o.max_repeats = 100;
  EXPECT_EQ(boxes(align_seqs(same, same, o)), (std::vector<Box>{{0, 40, 0, 40}}));
}

TEST(Align, EmptyOrShortInputs) {
  EXPECT_TRUE(align_seqs({}, run(0, 50)).empty());
  EXPECT_TRUE(align_seqs(run(0, 50), {}).empty());
  EXPECT_TRUE(align_seqs(run(0, 3), run(0, 3)).empty()); // fewer tokens than ngram
  EXPECT_TRUE(align_seqs(run(0, 50), run(100, 50)).empty());
}

// Token-id texts as a corpus's Tokenized (token hashes the ids, no text offsets), with each
// document's shingle order when `ordered`.
Tokenized tokenized(const std::vector<Seq> &docs, bool ordered = false) {
  Tokenized tok;
  tok.ngram = kNgram;
  tok.tok_begin.push_back(0);
  tok.sh_begin.push_back(0);
  for (const Seq &s : docs) {
    for (std::uint32_t id : s) tok.tokens.push_back(Token{0, 0, id});
    tok.tok_begin.push_back(tok.tokens.size());
    const auto sh = shingles_of(s);
    tok.shingles.insert(tok.shingles.end(), sh.begin(), sh.end());
    if (ordered) {
      tok.sh_order.resize(tok.shingles.size());
      shingle_order(sh.data(), sh.size(), tok.sh_order.data() + tok.sh_begin.back());
    }
    tok.sh_begin.push_back(tok.shingles.size());
  }
  return tok;
}

TEST(AlignCandidates, PassagesInCandidateOrderForAnyThreadCount) {
  // Documents as token-id texts; every document shares a 30-token paragraph with the next one.
  Rng rng(9);
  std::vector<Seq> docs;
  for (std::uint32_t d = 0; d < 200; ++d)
    docs.push_back(cat({run(100000 + d * 1000, 10 + static_cast<std::uint32_t>(rng.below(20))), run(d * 100, 30),
                        run((d + 1) * 100, 30), run(500000 + d * 1000, 10)}));
  const Tokenized tok = tokenized(docs);
  std::vector<Candidate> cands;
  for (std::uint32_t d = 1; d < 200; ++d) cands.push_back(Candidate{d - 1, d, 26});
  cands.push_back(Candidate{0, 150, 0}); // a pair that shares nothing
  std::vector<std::uint8_t> mask(tok.shingles.size(), 0);
  const auto one = align_candidates(tok, mask, cands, opts(), 1);
  const auto two = align_candidates(tok, {}, cands, opts(), 2);
  ASSERT_EQ(one.size(), 199u);
  ASSERT_EQ(two.size(), one.size());
  for (std::size_t k = 0; k < one.size(); ++k) {
    EXPECT_EQ(one[k].a, k);
    EXPECT_EQ(one[k].b, k + 1);
    // d's second paragraph is d+1's first.
    const std::uint32_t pre = static_cast<std::uint32_t>(tok.token_count(k) - 70);
    EXPECT_EQ(one[k].span.a_begin, pre + 30);
    EXPECT_EQ(one[k].span.a_end, pre + 60);
    EXPECT_EQ(one[k].span.b_end - one[k].span.b_begin, 30u);
    EXPECT_EQ(testing::passage_fields(two[k]), testing::passage_fields(one[k]));
  }
  // With the mask covering document 10 entirely, its two passages disappear.
  for (std::size_t i = tok.sh_begin[10]; i < tok.sh_begin[11]; ++i) mask[i] = 1;
  EXPECT_EQ(align_candidates(tok, mask, cands, opts(), 2).size(), 197u);
}

// A scorer of its own, as a new file would add one: a passage over each pair's first tokens,
// noting what it was handed.
class FirstTokensScorer final : public PairScorer {
public:
  mutable std::atomic<std::size_t> pairs{0}, found_before{0};
  class Work final : public Worker {
  public:
    explicit Work(const FirstTokensScorer &s) : s_(s) {}
    void score(const PairInput &pair, std::vector<Span> &found) override {
      ++s_.pairs;
      s_.found_before += found.size();
      EXPECT_FALSE(pair.first_seeds.empty());
      found.push_back(Span{0, 1, 0, 1, 1, 0.5f, PassageKind::Rewrite});
    }

  private:
    const FirstTokensScorer &s_;
  };
  std::unique_ptr<Worker> worker(const DocCache &) const override { return std::make_unique<Work>(*this); }
};

TEST(AlignPairs, ScorersRunInTurnOnEveryPair) {
  std::vector<Seq> docs;
  for (std::uint32_t d = 0; d < 150; ++d) docs.push_back(cat({run(d * 100, 30), run((d + 1) * 100, 30)}));
  const Tokenized tok = tokenized(docs);
  std::vector<Candidate> cands;
  for (std::uint32_t d = 1; d < 150; ++d) cands.push_back(Candidate{d - 1, d, 26});
  const std::vector<std::uint8_t> mask;
  const AlignContext context(tok, mask, cands, nullptr);
  EXPECT_EQ(context.first_of[0], 1u);
  EXPECT_TRUE(context.often.empty());
  const auto verbatim = verbatim_scorer(opts());
  FirstTokensScorer mine;
  for (std::size_t threads : {1u, 2u}) {
    mine.pairs = 0, mine.found_before = 0;
    const std::vector<Passage> got = align_pairs(context, {verbatim.get(), &mine}, threads);
    // Each pair's verbatim passage, then the new scorer's, in candidate order.
    ASSERT_EQ(got.size(), 2 * cands.size());
    for (std::size_t k = 0; k < cands.size(); ++k) {
      EXPECT_EQ(got[2 * k].span.kind, PassageKind::Verbatim);
      EXPECT_EQ(got[2 * k + 1].span.kind, PassageKind::Rewrite);
      EXPECT_EQ(got[2 * k + 1].a, cands[k].first);
      EXPECT_EQ(got[2 * k + 1].b, cands[k].second);
    }
    EXPECT_EQ(mine.pairs, cands.size());
    EXPECT_EQ(mine.found_before, cands.size()); // the verbatim passage was there before it
    // The verbatim scorer alone is align_candidates without rewrites.
    const std::vector<Passage> alone = align_pairs(context, {verbatim.get()}, threads);
    const std::vector<Passage> expected = align_candidates(tok, mask, cands, opts(), threads);
    ASSERT_EQ(alone.size(), expected.size());
    for (std::size_t k = 0; k < alone.size(); ++k)
      EXPECT_EQ(testing::passage_fields(alone[k]), testing::passage_fields(expected[k]));
  }
  EXPECT_THROW(rewrite_scorer(context, RewriteOptions{}), std::invalid_argument); // no texts
}

TEST(AlignCandidates, StoriesWithManyReprintsGiveEachPairsOwnPassages) {
  // Three origins, each first in many pairs (its seeds are sorted once and kept), with part of
  // the first masked; the reprints copy stretches of them and are also paired with each other.
  Rng rng(31);
  std::vector<Seq> docs;
  for (std::uint32_t o = 0; o < 3; ++o) docs.push_back(run(o * 10000, 120));
  for (std::uint32_t d = 3; d < 60; ++d) {
    const std::uint32_t o = static_cast<std::uint32_t>(rng.below(3)), from = static_cast<std::uint32_t>(rng.below(60));
    docs.push_back(
        cat({run(900000 + d * 1000, 5 + static_cast<std::uint32_t>(rng.below(10))),
             run(o * 10000 + from, 25 + static_cast<std::uint32_t>(rng.below(35))), run(950000 + d * 1000, 8)}));
  }
  for (const bool ordered : {false, true}) {
    const Tokenized tok = tokenized(docs, ordered);
    std::vector<std::uint8_t> mask(tok.shingles.size(), 0);
    for (std::size_t i = 40; i < 55; ++i) mask[i] = 1; // inside origin 0
    std::vector<Candidate> cands;
    for (std::uint32_t d = 3; d < 60; ++d) {
      for (std::uint32_t f = 0; f < d; ++f)
        if (f < 3 || rng.below(8) == 0) cands.push_back(Candidate{f, d, 1});
    }
    std::vector<Passage> want;
    for (const Candidate &c : cands) {
      const std::uint64_t *sa = tok.shingles.data() + tok.sh_begin[c.first],
                          *sb = tok.shingles.data() + tok.sh_begin[c.second];
      for (const Span &s : align(sa, tok.shingle_count(c.first), mask.data() + tok.sh_begin[c.first], sb,
                                 tok.shingle_count(c.second), mask.data() + tok.sh_begin[c.second], opts()))
        want.push_back(Passage{c.first, c.second, s});
    }
    ASSERT_GT(want.size(), 100u);
    for (const std::size_t threads : {1, 2}) {
      const auto got = align_candidates(tok, mask, cands, opts(), threads);
      ASSERT_EQ(got.size(), want.size()) << "ordered " << ordered << ", threads " << threads;
      for (std::size_t k = 0; k < got.size(); ++k)
        EXPECT_EQ(testing::passage_fields(got[k]), testing::passage_fields(want[k])) << "passage " << k;
    }
  }
}

// Checks that each candidate pair's passages in `got` are what compare() finds for its two texts
// alone, weighing word forms by the corpus's `counts`; returns, for each pair, the rewritten spans
// among them.
std::vector<std::size_t> expect_pairs_as_alone(const CorpusView &view, const std::vector<Candidate> &cands,
                                               const std::vector<Passage> &got, const TraceOptions &options,
                                               const std::string &context, const FormCounts *counts) {
  std::vector<std::size_t> rewrites;
  for (const Candidate &c : cands) {
    std::vector<std::tuple<std::uint32_t, std::uint32_t, std::uint32_t, std::uint32_t, float>> mine, alone;
    for (const Passage &p : got)
      if (p.a == c.first && p.b == c.second)
        mine.emplace_back(p.span.a_begin, p.span.a_end, p.span.b_begin, p.span.b_end, p.span.similarity);
    rewrites.push_back(0);
    for (const Span &sp : compare(view.doc(c.first), view.doc(c.second), options, counts).spans) {
      alone.emplace_back(sp.a_begin, sp.a_end, sp.b_begin, sp.b_end, sp.similarity);
      rewrites.back() += sp.similarity < 1;
    }
    std::sort(mine.begin(), mine.end());
    std::sort(alone.begin(), alone.end());
    EXPECT_EQ(mine, alone) << c.first << " and " << c.second << ", " << context;
  }
  return rewrites;
}

TEST(AlignCandidates, RewritesOfADocumentFirstInManyPairsAreThoseOfEachPairAlone) {
  // A wire story reprinted twenty times, each reprint rewording a different sentence and adding
  // its own ending: the story is the earlier side of twenty pairs, so its sentence units are kept
  // after the first rewrite search. Every pair's passages must be what compare() finds for the
  // two texts alone.
  // Sentence k: 30 words and a full stop; reworded, every fourth word changed for one of a few
  // words all the reprints use (rewording takes ordinary words, not ones found nowhere else).
  auto sentence = [](std::size_t k, std::size_t /*r*/, bool reworded) {
    std::string out;
    for (std::size_t j = 0; j < 30; ++j)
      out += testing::word(reworded && j % 4 == 3 ? 90000 + j : 1000 + k * 40 + j) + (j + 1 < 30 ? " " : ". ");
    return out;
  };
  std::string story;
  for (std::size_t k = 0; k < 12; ++k) story += sentence(k, 0, false);
  testing::TestCorpus corpus;
  corpus.add(story, 0);
  for (std::size_t r = 0; r < 20; ++r) {
    std::string text;
    for (std::size_t k = 0; k < 12; ++k)
      if (k + 2 != (r * 5) % 12) text += sentence(k, r, k == r % 12); // one reworded, one dropped
    text += testing::words(50000 + r * 100, 30) + ".";
    corpus.add(text, static_cast<std::int64_t>(r + 1));
  }
  const CorpusView view = corpus.view();
  TraceOptions options;
  const RewriteOptions rewrite = options.rewrite_options();
  std::vector<Candidate> cands;
  for (std::uint32_t d = 1; d < view.size(); ++d) { // by (second, first), as find_candidates gives them
    cands.push_back(Candidate{0, d, 10});
    if (d >= 2) cands.push_back(Candidate{1, d, 10}); // the first reprint is first in many pairs too
  }
  // With every entry kept, some (a budget too small for the story's units), or none: the same.
  for (const std::size_t cache : {kAlignCacheBytes, std::size_t{20000}, std::size_t{0}})
    for (std::size_t threads : {1u, 2u}) {
      const Tokenized tok = tokenize_corpus(view, options.ngram, threads, nullptr, /*keep_tokens_bytes=*/0);
      const std::vector<Passage> got =
          align_candidates(tok, {}, cands, options.align_options(), threads, nullptr, &view, &rewrite, cache);
      const std::vector<std::size_t> per_pair = expect_pairs_as_alone(
          view, cands, got, options, std::to_string(threads) + " threads, cache " + std::to_string(cache), &tok.forms);
      std::size_t rewrites = 0;
      for (std::size_t k = 0; k < cands.size(); ++k) rewrites += cands[k].first == 0 ? per_pair[k] : 0;
      EXPECT_GE(rewrites, 20u) << "the story's reworded sentence should be found in every reprint";
    }
}

TEST(DocCache, GrantsTheMostTimeSavedPerByteWithinItsBudget) {
  DocCache cache(1000, 5);
  int owner = 0;
  const std::size_t a = cache.kind<std::string>(&owner, 0), b = cache.kind<std::string>(&owner, 1);
  EXPECT_EQ(cache.kind<std::string>(&owner, 0), a); // the same kind again
  EXPECT_EQ(cache.find(&owner, 1), b);
  EXPECT_EQ(cache.find(&owner, 2), SIZE_MAX);
  cache.ask(a, 0, 600, 600);  // 1 ns a byte
  cache.ask(b, 1, 500, 1500); // 3
  cache.ask(a, 2, 400, 800);  // 2: does not fit after the two before it
  cache.ask(b, 3, 100, 150);  // 1.5: fits
  cache.ask(a, 4, 2000, 1e9); // larger than the whole budget
  cache.ask(a, 1, 10, 0);     // saves nothing
  cache.grant();
  EXPECT_EQ(cache.kept(b), (std::vector<std::uint32_t>{1, 3}));
  EXPECT_EQ(cache.kept(a), (std::vector<std::uint32_t>{2}));
  EXPECT_EQ(cache.granted_bytes(), 1000u);
  EXPECT_LT(cache.slot(a, 0), 0);
  EXPECT_EQ(cache.slot(a, 2), 0);
  EXPECT_EQ(cache.slot(b, 3), 1);
  EXPECT_THROW(cache.ask(a, 0, 1, 1), std::logic_error);
  EXPECT_THROW(cache.grant(), std::logic_error);
  // A slot is filled once, by whichever thread comes first; the others' values are dropped.
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] { cache.keep(b, 1, std::make_unique<std::string>(std::to_string(t))); });
  for (auto &t : threads) t.join();
  const std::string *kept = cache.get<std::string>(b, 1);
  ASSERT_NE(kept, nullptr);
  EXPECT_EQ(kept->size(), 1u);
  cache.keep(b, 1, std::make_unique<std::string>("later"));
  EXPECT_EQ(cache.get<std::string>(b, 1), kept);
  EXPECT_EQ(cache.get<std::string>(b, 0), nullptr);
  EXPECT_EQ(cache.get<std::string>(a, -1), nullptr);
}

TEST(AlignCandidates, RewritesFoundAfterTheFirstDocumentsWordsRuledOutAnEarlierPair) {
  // A story is the earlier side of three pairs. The first reprint adds unrelated sentences (the
  // quick check on the story's words rules out any rewrite, and the story's filters are kept);
  // the second rewords one of its sentences (the kept filters let it through, and the story is
  // tokenized for its units). Every pair's passages must be what compare() finds alone.
  auto sentence = [](std::size_t k, bool reworded) {
    std::string out;
    for (std::size_t j = 0; j < 30; ++j)
      out += testing::word(reworded && j % 4 == 3 ? 90000 + k * 40 + j : 1000 + k * 40 + j) + (j + 1 < 30 ? " " : ". ");
    return out;
  };
  std::string story, unrelated, reworded, plain;
  for (std::size_t k = 0; k < 6; ++k) story += sentence(k, false);
  for (std::size_t k = 0; k < 3; ++k) plain += sentence(k, false);
  unrelated = plain + testing::words(60000, 30) + ". " + testing::words(61000, 30) + ".";
  reworded = plain + sentence(3, true) + testing::words(62000, 30) + ".";
  testing::TestCorpus corpus;
  corpus.add(story, 0);
  corpus.add(unrelated, 1);
  corpus.add(reworded, 2);
  corpus.add(plain + testing::words(63000, 30) + ".", 3);
  const CorpusView view = corpus.view();
  TraceOptions options;
  const RewriteOptions rewrite = options.rewrite_options();
  const std::vector<Candidate> cands{{0, 1, 10}, {0, 2, 10}, {0, 3, 10}};
  for (std::size_t keep : {std::size_t{0}, SIZE_MAX}) {
    const Tokenized tok = tokenize_corpus(view, options.ngram, 1, nullptr, keep);
    const std::vector<Passage> got =
        align_candidates(tok, {}, cands, options.align_options(), 1, nullptr, &view, &rewrite);
    const std::vector<std::size_t> rewrites =
        expect_pairs_as_alone(view, cands, got, options, keep ? "tokens kept" : "tokens not kept", &tok.forms);
    EXPECT_EQ(rewrites[0], 0u); // the pair (story, unrelated sentences)
    EXPECT_EQ(rewrites[1], 1u); // the pair (story, reworded sentence)
  }
}

} // namespace
} // namespace storytrace

// Boilerplate: text an outlet repeats across its own documents.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "helpers.hpp"
#include "storytrace/boilerplate.hpp"
#include "storytrace/hashes.hpp"

namespace storytrace {
namespace {

using testing::Rng;
using testing::TestCorpus;
using testing::words;

constexpr std::size_t kNgram = 5;

// Number of document d's shingles that are masked.
std::size_t masked_shingles(const Tokenized &tok, const std::vector<std::uint8_t> &mask, std::size_t d) {
  std::size_t count = 0;
  for (std::size_t i = tok.sh_begin[d]; i < tok.sh_begin[d + 1]; ++i) count += mask[i];
  return count;
}

// A naive count of tokens covered by masked shingles.
std::size_t covered_naive(const Tokenized &tok, const std::vector<std::uint8_t> &mask, std::size_t d,
                          std::size_t begin = 0, std::size_t end = SIZE_MAX) {
  std::vector<bool> covered(tok.token_count(d), false);
  for (std::size_t i = 0; i < tok.shingle_count(d); ++i)
    if (mask[tok.sh_begin[d] + i])
      for (std::size_t k = i; k < i + tok.ngram; ++k) covered[k] = true;
  std::size_t n = 0;
  for (std::size_t k = begin; k < std::min(end, covered.size()); ++k) n += covered[k];
  return n;
}

TEST(Boilerplate, FooterRepeatedByOneOutletIsMasked) {
  TestCorpus corpus;
  const std::string footer = words(90000, 20); // 20 tokens
  std::vector<std::uint32_t> outlet0;
  for (std::size_t i = 0; i < 6; ++i) outlet0.push_back(corpus.add(words(1000 * i, 40) + ". " + footer, kNoTime, 0));
  // Another outlet prints the same footer in two documents only (below min_docs = 3).
  const std::uint32_t other1 = corpus.add(words(50000, 30) + " " + footer, kNoTime, 1);
  const std::uint32_t other2 = corpus.add(words(51000, 30) + " " + footer, kNoTime, 1);
  const CorpusView view = corpus.view();
  const Tokenized tok = tokenize_corpus(view, kNgram, 1);
  const std::vector<std::uint8_t> mask = learn_boilerplate(view, tok, 3, 0.0, 1);
  ASSERT_EQ(mask.size(), tok.shingles.size());
  for (std::uint32_t d : outlet0) {
    // The footer's 16 shingles are masked; the body and the shingles across the seam are not.
    EXPECT_EQ(masked_shingles(tok, mask, d), 16u) << "doc " << d;
    for (std::size_t i = 0; i < tok.shingle_count(d); ++i)
      EXPECT_EQ(mask[tok.sh_begin[d] + i], i >= 40 ? 1 : 0) << "doc " << d << " shingle " << i;
    EXPECT_EQ(masked_tokens(tok, mask, d), 20u);
  }
  EXPECT_EQ(masked_shingles(tok, mask, other1), 0u);
  EXPECT_EQ(masked_shingles(tok, mask, other2), 0u);
  EXPECT_EQ(masked_tokens(tok, mask, other1), 0u);
  // The same for any thread count.
  EXPECT_EQ(learn_boilerplate(view, tok, 3, 0.0, 3), mask);
  // With min_docs 7 the six documents are not enough.
  const auto strict = learn_boilerplate(view, tok, 7, 0.0, 2);
  EXPECT_EQ(std::count(strict.begin(), strict.end(), 1), 0);
}

TEST(Boilerplate, StoryAnOutletRanSeveralTimesIsNotMasked) {
  // One outlet: ten articles with its footer; three of them are versions of one story.
  TestCorpus corpus;
  const std::string footer = words(90000, 20);
  const std::string story = words(70000, 80);
  std::vector<std::uint32_t> versions, others;
  for (std::size_t i = 0; i < 3; ++i) versions.push_back(corpus.add(story + ". " + footer, kNoTime, 0));
  for (std::size_t i = 0; i < 7; ++i) others.push_back(corpus.add(words(1000 * i, 40) + ". " + footer, kNoTime, 0));
  const CorpusView view = corpus.view();
  const Tokenized tok = tokenize_corpus(view, kNgram, 1);
  const std::vector<std::uint8_t> mask = learn_boilerplate(view, tok, 3, 0.0, 1);
  for (std::uint32_t d : versions) {
    EXPECT_EQ(masked_tokens(tok, mask, d), 20u) << "only the footer of version " << d;
    for (std::size_t i = 0; i < 76; ++i) EXPECT_EQ(mask[tok.sh_begin[d] + i], 0) << "story shingle " << i;
  }
  for (std::uint32_t d : others) EXPECT_EQ(masked_tokens(tok, mask, d), 20u);
}

TEST(Boilerplate, StoryPrintedOnceByManyOutletsIsNotMasked) {
  TestCorpus corpus;
  const std::string story = words(70000, 60);
  for (std::int32_t o = 0; o < 12; ++o) corpus.add(words(1000 * o, 10) + ". " + story, 100 + o, o);
  const CorpusView view = corpus.view();
  const Tokenized tok = tokenize_corpus(view, kNgram, 2);
  const std::vector<std::uint8_t> mask = learn_boilerplate(view, tok, 3, 0.05, 2);
  EXPECT_EQ(std::count(mask.begin(), mask.end(), 1), 0);
}

TEST(Boilerplate, DocumentsWithoutOutletAreNeverMasked) {
  TestCorpus corpus;
  const std::string footer = words(90000, 20);
  for (std::size_t i = 0; i < 8; ++i) corpus.add(words(1000 * i, 30) + " " + footer, kNoTime, kNone);
  // And a real outlet with the same footer, to check that unknown outlets do not lend it theirs.
  for (std::size_t i = 0; i < 3; ++i) corpus.add(words(20000 + 1000 * i, 30) + " " + footer, kNoTime, 4);
  const CorpusView view = corpus.view();
  const Tokenized tok = tokenize_corpus(view, kNgram, 1);
  const std::vector<std::uint8_t> mask = learn_boilerplate(view, tok, 2, 0.0, 1);
  for (std::size_t d = 0; d < 8; ++d) EXPECT_EQ(masked_shingles(tok, mask, d), 0u) << "doc " << d;
  for (std::size_t d = 8; d < 11; ++d) EXPECT_EQ(masked_tokens(tok, mask, d), 20u) << "doc " << d;
}

TEST(Boilerplate, MinShareThreshold) {
  TestCorpus corpus;
  const std::string phrase = words(90000, 20);
  // Outlet 0: phrase in 4 of 20 documents; outlet 1: in 5 of 20. Threshold max(3, ceil(0.25*20)) = 5.
  for (std::int32_t o = 0; o < 2; ++o)
    for (std::size_t i = 0; i < 20; ++i) {
      const bool with = i < static_cast<std::size_t>(4 + o);
      corpus.add(words(10000 * (o + 1) + 100 * i, 30) + (with ? " " + phrase : std::string()), kNoTime, o);
    }
  const CorpusView view = corpus.view();
  const Tokenized tok = tokenize_corpus(view, kNgram, 1);
  const std::vector<std::uint8_t> mask = learn_boilerplate(view, tok, 3, 0.25, 2);
  for (std::size_t d = 0; d < 20; ++d) EXPECT_EQ(masked_tokens(tok, mask, d), 0u) << "doc " << d;
  for (std::size_t d = 20; d < 40; ++d) EXPECT_EQ(masked_tokens(tok, mask, d), d < 25 ? 20u : 0u) << "doc " << d;
  // Without the share, min_docs 3 alone masks outlet 0's phrase as well.
  const std::vector<std::uint8_t> by_count = learn_boilerplate(view, tok, 3, 0.0, 2);
  for (std::size_t d = 0; d < 4; ++d) EXPECT_EQ(masked_tokens(tok, by_count, d), 20u) << "doc " << d;
  EXPECT_EQ(std::count(mask.begin(), mask.end(), 1), 5 * 16);
  // A share of 1: only what every document of the outlet carries.
  const std::vector<std::uint8_t> all = learn_boilerplate(view, tok, 3, 1.0, 2);
  EXPECT_EQ(std::count(all.begin(), all.end(), 1), 0);
}

TEST(Boilerplate, RepeatsInsideOneDocumentDoNotCount) {
  TestCorpus corpus;
  const std::string phrase = words(90000, 20);
  corpus.add(phrase + " " + phrase + " " + phrase + " " + phrase, kNoTime, 0);
  corpus.add(words(100, 30), kNoTime, 0);
  corpus.add(words(200, 30) + " " + phrase, kNoTime, 0);
  const CorpusView view = corpus.view();
  const Tokenized tok = tokenize_corpus(view, kNgram, 1);
  const std::vector<std::uint8_t> mask = learn_boilerplate(view, tok, 3, 0.0, 1);
  EXPECT_EQ(std::count(mask.begin(), mask.end(), 1), 0);
}

// learn_boilerplate as its rule reads, with sets and maps: per outlet, the shingles held by at
// least max(min_docs, ceil(min_share * documents)) of its documents, grouped by the exact set of
// documents holding them; a group is masked unless it has at least half as many shingles as its
// documents have distinct shingles on average (a story the outlet ran several times).
std::vector<std::uint8_t> boilerplate_naive(const CorpusView &corpus, const Tokenized &tok, std::size_t min_docs,
                                            double min_share) {
  std::vector<std::uint8_t> mask(tok.shingles.size(), 0);
  std::map<std::int32_t, std::vector<std::size_t>> by_outlet;
  for (std::size_t d = 0; d < corpus.size(); ++d)
    if (corpus.outlet[d] >= 0) by_outlet[corpus.outlet[d]].push_back(d);
  for (const auto &[outlet, docs] : by_outlet) {
    const auto by_share = static_cast<std::size_t>(std::ceil(min_share * static_cast<double>(docs.size())));
    const std::size_t threshold = std::max(min_docs, by_share);
    std::map<std::uint64_t, std::set<std::size_t>> holders;
    std::map<std::size_t, std::size_t> distinct;
    for (std::size_t d : docs) {
      std::set<std::uint64_t> own;
      for (std::size_t i = tok.sh_begin[d]; i < tok.sh_begin[d + 1]; ++i) own.insert(tok.shingles[i]);
      distinct[d] = own.size();
      for (std::uint64_t h : own) holders[h].insert(d);
    }
    std::map<std::set<std::size_t>, std::vector<std::uint64_t>> groups;
    for (const auto &[h, ds] : holders)
      if (ds.size() >= threshold) groups[ds].push_back(h);
    std::set<std::uint64_t> masked;
    for (const auto &[ds, hashes] : groups) {
      double mean = 0;
      for (std::size_t d : ds) mean += static_cast<double>(distinct[d]);
      mean /= static_cast<double>(ds.size());
      if (static_cast<double>(hashes.size()) < 0.5 * mean) masked.insert(hashes.begin(), hashes.end());
    }
    for (std::size_t d : docs)
      for (std::size_t i = tok.sh_begin[d]; i < tok.sh_begin[d + 1]; ++i) mask[i] = masked.count(tok.shingles[i]);
  }
  return mask;
}

TEST(Boilerplate, MasksWhatTheRuleSaysOnRandomOutlets) {
  Rng rng(11);
  for (int trial = 0; trial < 12; ++trial) {
    TestCorpus corpus;
    const std::size_t outlets = 1 + rng.below(4);
    // Each outlet has a few footers and headers, and reruns some of its stories.
    std::vector<std::vector<std::string>> chrome(outlets), stories(outlets);
    for (std::size_t o = 0; o < outlets; ++o) {
      for (std::size_t k = 0; k < 1 + rng.below(3); ++k)
        chrome[o].push_back(words(100000 + rng.below(5000), 6 + rng.below(20)));
      for (std::size_t k = 0; k < 1 + rng.below(3); ++k)
        stories[o].push_back(words(200000 + rng.below(5000), 30 + rng.below(60)));
    }
    for (std::size_t d = 0; d < 20 + rng.below(60); ++d) {
      const std::size_t o = rng.below(outlets + 1); // `outlets`: no outlet
      std::string text;
      if (o < outlets && rng.below(3) == 0) text += chrome[o][rng.below(chrome[o].size())] + ". ";
      text += o < outlets && rng.below(4) == 0 ? stories[o][rng.below(stories[o].size())]
                                               : words(rng.below(3000), 10 + rng.below(80));
      if (o < outlets && rng.below(2) == 0) text += ". " + chrome[o][rng.below(chrome[o].size())];
      corpus.add(text, kNoTime, o < outlets ? static_cast<std::int32_t>(o) : kNone);
    }
    const CorpusView view = corpus.view();
    const Tokenized tok = tokenize_corpus(view, 1 + rng.below(6), 1);
    const std::size_t min_docs = 2 + rng.below(4);
    const double min_share = rng.below(3) == 0 ? 0.0 : 0.05 * static_cast<double>(rng.below(8));
    const std::vector<std::uint8_t> expect = boilerplate_naive(view, tok, min_docs, min_share);
    EXPECT_EQ(learn_boilerplate(view, tok, min_docs, min_share, 1), expect) << "trial " << trial;
    EXPECT_EQ(learn_boilerplate(view, tok, min_docs, min_share, 3), expect) << "trial " << trial;
    if (trial == 0) EXPECT_GT(std::count(expect.begin(), expect.end(), 1), 0); // the test masks something
  }
}

TEST(RepeatFilter, HoldsEveryRepeatAndFewSingles) {
  Rng rng(5);
  std::vector<std::uint64_t> once, twice;
  for (int i = 0; i < 20000; ++i) once.push_back(rng.next());
  for (int i = 0; i < 2000; ++i) twice.push_back(rng.next());
  detail::RepeatFilter f(once.size() + twice.size());
  for (std::uint64_t h : twice) f.add(h);
  for (std::uint64_t h : once) f.add(h);
  for (std::uint64_t h : twice) f.add(h);
  for (std::uint64_t h : twice) EXPECT_TRUE(f.may_repeat(h));
  std::size_t false_repeats = 0;
  for (std::uint64_t h : once) false_repeats += f.may_repeat(h);
  EXPECT_LT(false_repeats, once.size() / 10);
}

TEST(MaskedTokens, CountsTokensCoveredByMaskedShingles) {
  Tokenized tok;
  tok.ngram = 3;
  tok.tok_begin = {0, 12, 12, 14}; // doc 0: 12 tokens; doc 1: none; doc 2: 2 tokens (no shingles)
  tok.tokens.assign(14, Token{0, 0, 0});
  tok.sh_begin = {0, 10, 10, 10};
  tok.shingles.assign(10, 0);
  auto count = [&](std::initializer_list<std::size_t> masked) {
    std::vector<std::uint8_t> mask(10, 0);
    for (std::size_t i : masked) mask[i] = 1;
    EXPECT_EQ(masked_tokens(tok, mask, 1), 0u);
    EXPECT_EQ(masked_tokens(tok, mask, 2), 0u);
    return masked_tokens(tok, mask, 0);
  };
  EXPECT_EQ(count({}), 0u);
  EXPECT_EQ(count({0}), 3u);
  EXPECT_EQ(count({0, 1}), 4u);
  EXPECT_EQ(count({0, 2}), 5u);
  EXPECT_EQ(count({0, 3}), 6u);
  EXPECT_EQ(count({0, 7}), 6u);
  EXPECT_EQ(count({9}), 3u);
  EXPECT_EQ(count({0, 1, 2, 3, 4, 5, 6, 7, 8, 9}), 12u);

  // Inside a range of tokens: the masked tokens in [begin, end) only.
  {
    std::vector<std::uint8_t> mask(10, 0);
    mask[0] = mask[7] = 1; // tokens 0-2 and 7-9
    EXPECT_EQ(masked_tokens(tok, mask, 0, 0, 12), 6u);
    EXPECT_EQ(masked_tokens(tok, mask, 0, 1, 12), 5u);
    EXPECT_EQ(masked_tokens(tok, mask, 0, 3, 7), 0u);
    EXPECT_EQ(masked_tokens(tok, mask, 0, 2, 8), 2u);
    EXPECT_EQ(masked_tokens(tok, mask, 0, 8, 40), 2u);
    EXPECT_EQ(masked_tokens(tok, mask, 0, 5, 5), 0u);
  }

  // Random masks against a naive count, on real text.
  TestCorpus corpus;
  Rng rng(4);
  for (std::size_t d = 0; d < 30; ++d) corpus.add(words(rng.below(1000), rng.below(40)));
  const Tokenized real = tokenize_corpus(corpus.view(), 4, 1);
  for (int trial = 0; trial < 20; ++trial) {
    std::vector<std::uint8_t> mask(real.shingles.size());
    for (auto &m : mask) m = rng.below(4) == 0;
    for (std::size_t d = 0; d < 30; ++d) {
      ASSERT_EQ(masked_tokens(real, mask, d), covered_naive(real, mask, d));
      const std::size_t n = real.token_count(d), begin = rng.below(n + 1), end = begin + rng.below(n + 1 - begin);
      ASSERT_EQ(masked_tokens(real, mask, d, begin, end), covered_naive(real, mask, d, begin, end))
          << "doc " << d << " [" << begin << ", " << end << ")";
    }
  }
}

} // namespace
} // namespace storytrace

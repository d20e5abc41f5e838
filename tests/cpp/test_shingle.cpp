// Shingles: count, hash definition, and the parallel corpus tokenizer.
#include <gtest/gtest.h>
#include <xxhash.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "helpers.hpp"
#include "storytrace/align.hpp"
#include "storytrace/hashes.hpp"
#include "storytrace/rewrite.hpp"
#include "storytrace/shingle.hpp"

namespace storytrace {
namespace {

using testing::TestCorpus;
using testing::words;

struct Shingled {
  std::vector<Token> tokens;
  std::string norm;
  std::vector<std::uint32_t> off;
  std::vector<std::uint64_t> shingles;
};

Shingled shingle_text(std::string_view text, std::size_t ngram) {
  Shingled s;
  tokenize(text, s.tokens, &s.norm, &s.off);
  shingle(s.norm, s.off, ngram, s.shingles);
  return s;
}

std::uint64_t xxh3(const std::string &s) { return XXH3_64bits_withSeed(s.data(), s.size(), kHashSeed); }

TEST(Shingle, SeedIsStorytr1LittleEndian) {
  std::uint64_t expect = 0;
  const char bytes[8] = {'s', 't', 'o', 'r', 'y', 't', 'r', '1'};
  for (int i = 7; i >= 0; --i) expect = (expect << 8) | static_cast<unsigned char>(bytes[i]);
  EXPECT_EQ(kHashSeed, expect);
}

TEST(Shingle, SpacedOutputGivesTheSameTokensFormsAndShingles) {
  testing::Rng rng(17);
  const char *pieces[] = {"The",
                          " ",
                          "\u201CQuick\u201D",
                          "  ",
                          "FOX\u2019s",
                          " \u2014 ",
                          "jump,",
                          "\n\n",
                          "OK",
                          "\u0130stanbul'da",
                          "\u6211\u4EEC\u5728",
                          "\u00AD",
                          "e\u0301t\u00E9",
                          "3.14",
                          "\U0001F600"};
  for (int round = 0; round < 2000; ++round) {
    std::string text;
    for (std::size_t k = 0, n = rng.below(30); k < n; ++k) text += pieces[rng.below(std::size(pieces))];
    std::vector<Token> plain, spaced;
    std::string norm, norm_spaced;
    std::vector<std::uint32_t> off, off_spaced;
    tokenize(text, plain, &norm, &off);
    tokenize(text, spaced, &norm_spaced, &off_spaced, /*spaced=*/true);
    ASSERT_EQ(plain.size(), spaced.size()) << text;
    ASSERT_EQ(off_spaced.size(), off.size());
    ASSERT_EQ(norm_spaced.size(), norm.size() + plain.size());
    for (std::size_t k = 0; k < plain.size(); ++k) {
      ASSERT_EQ(plain[k].start, spaced[k].start);
      ASSERT_EQ(plain[k].end, spaced[k].end);
      ASSERT_EQ(plain[k].hash, spaced[k].hash);
      ASSERT_EQ(norm_spaced.substr(off_spaced[k], off_spaced[k + 1] - 1 - off_spaced[k]),
                norm.substr(off[k], off[k + 1] - off[k]));
      ASSERT_EQ(norm_spaced[off_spaced[k + 1] - 1], ' ');
    }
    for (std::size_t ngram : {1u, 2u, 5u}) {
      std::vector<std::uint64_t> a, b;
      shingle(norm, off, ngram, a);
      shingle_spaced(norm_spaced, off_spaced, ngram, b);
      ASSERT_EQ(a, b) << text;
    }
  }
}

TEST(Shingle, CountIsTokensMinusNgramPlusOne) {
  for (std::size_t n_tokens = 0; n_tokens <= 9; ++n_tokens) {
    const std::string text = words(100, n_tokens);
    for (std::size_t ngram = 1; ngram <= 6; ++ngram) {
      const Shingled s = shingle_text(text, ngram);
      ASSERT_EQ(s.tokens.size(), n_tokens);
      const std::size_t expect = n_tokens >= ngram ? n_tokens - ngram + 1 : 0;
      EXPECT_EQ(s.shingles.size(), expect) << n_tokens << " tokens, ngram " << ngram;
    }
  }
  EXPECT_TRUE(shingle_text("one two three", 0).shingles.empty());
}

TEST(Shingle, HashIsXxh3OfNormalizedTokensJoinedBySpace) {
  // Normal forms written out by hand: "the", "quick", "brown", "fox's", "jump", "ok".
  const Shingled s = shingle_text("The \u201CQuick\u201D  brown\n\nFOX\u2019s \u2014 jump, OK", 3);
  const std::vector<std::string> expect_words{"the", "quick", "brown", "fox's", "jump", "ok"};
  ASSERT_EQ(s.tokens.size(), expect_words.size());
  ASSERT_EQ(s.shingles.size(), 4u);
  std::string scratch;
  for (std::size_t i = 0; i < 4; ++i) {
    const std::string joined = expect_words[i] + " " + expect_words[i + 1] + " " + expect_words[i + 2];
    EXPECT_EQ(s.shingles[i], xxh3(joined)) << joined;
    EXPECT_EQ(hash_shingle(s.norm, s.off.data(), i, 3, scratch), xxh3(joined));
  }
  // ngram 1: the token hash itself.
  const Shingled one = shingle_text("The \u201CQuick\u201D", 1);
  ASSERT_EQ(one.shingles.size(), 2u);
  EXPECT_EQ(one.shingles[0], one.tokens[0].hash);
  EXPECT_EQ(one.shingles[1], xxh3("quick"));
  // Same words, different spacing and punctuation: same shingles; different order: different.
  EXPECT_EQ(shingle_text("the quick brown fox's jump ok", 3).shingles, s.shingles);
  EXPECT_NE(shingle_text("quick the brown fox's jump ok", 3).shingles, s.shingles);
}

TEST(Shingle, MultiByteTokensHashTheirUtf8) {
  const Shingled s = shingle_text("\u0130stanbul'da \u015Eehir \u6771\u4EAC", 2);
  ASSERT_EQ(s.tokens.size(), 3u);
  ASSERT_EQ(s.shingles.size(), 2u);
  const std::string first = normalize_word("\u0130stanbul'da") + " \u015Fehir";
  EXPECT_EQ(s.shingles[0], xxh3(first));
  EXPECT_EQ(s.shingles[1], xxh3("\u015Fehir \u6771\u4EAC"));
}

void expect_same(const Tokenized &x, const Tokenized &y) {
  EXPECT_EQ(x.ngram, y.ngram);
  EXPECT_EQ(x.tok_begin, y.tok_begin);
  EXPECT_EQ(x.sh_begin, y.sh_begin);
  EXPECT_EQ(x.shingles, y.shingles);
  EXPECT_EQ(x.sh_order, y.sh_order);
  EXPECT_EQ(x.sample_begin, y.sample_begin);
  EXPECT_EQ(x.sample, y.sample);
  EXPECT_EQ(x.forms.counts, y.forms.counts);
  ASSERT_EQ(x.tokens.size(), y.tokens.size());
  for (std::size_t i = 0; i < x.tokens.size(); ++i) {
    ASSERT_EQ(x.tokens[i].start, y.tokens[i].start) << i;
    ASSERT_EQ(x.tokens[i].end, y.tokens[i].end) << i;
    ASSERT_EQ(x.tokens[i].hash, y.tokens[i].hash) << i;
  }
}

// Each document on its own, through tokenize() and shingle().
void expect_matches_per_document(const TestCorpus &corpus, const Tokenized &tok) {
  const CorpusView view = corpus.view();
  ASSERT_EQ(tok.size(), corpus.size());
  ASSERT_EQ(tok.tok_begin.front(), 0u);
  ASSERT_EQ(tok.sh_begin.front(), 0u);
  EXPECT_EQ(tok.tok_begin.back(), tok.tokens.size());
  EXPECT_EQ(tok.sh_begin.back(), tok.shingles.size());
  for (std::size_t d = 0; d < corpus.size(); ++d) {
    const Shingled s = shingle_text(view.doc(d), tok.ngram);
    ASSERT_EQ(tok.token_count(d), s.tokens.size()) << "doc " << d;
    ASSERT_EQ(tok.shingle_count(d), s.shingles.size()) << "doc " << d;
    for (std::size_t i = 0; i < s.tokens.size(); ++i) {
      const Token &t = tok.tokens[tok.tok_begin[d] + i];
      ASSERT_EQ(t.start, s.tokens[i].start); // offsets are relative to the document
      ASSERT_EQ(t.end, s.tokens[i].end);
      ASSERT_EQ(t.hash, s.tokens[i].hash);
    }
    for (std::size_t i = 0; i < s.shingles.size(); ++i) ASSERT_EQ(tok.shingles[tok.sh_begin[d] + i], s.shingles[i]);
    // The form sample: the keys of the document's distinct sampled forms, ascending.
    std::vector<std::uint64_t> forms;
    word_forms(view.doc(d), s.tokens.data(), s.tokens.size(), forms);
    std::vector<std::uint32_t> keys;
    for (const std::uint64_t f : forms)
      if (in_sample(f)) keys.push_back(sample_key(f));
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    const auto sample = tok.sample_of(d);
    ASSERT_EQ(std::vector<std::uint32_t>(sample.begin(), sample.end()), keys) << "doc " << d;
  }
}

TEST(TokenizeCorpus, SameForOneAndFourThreadsAndPerDocument) {
  TestCorpus corpus;
  corpus.add(""); // empty first document
  testing::Rng rng(11);
  const char *extras[] = {"", " \u0130stanbul'da \u015Fehir", " \u6211\u4EEC\u5728\u5317\u4EAC", " \U0001F600 ok",
                          "   "};
  // More than 4096 documents and one large one: several blocks for the threads to share.
  for (std::size_t d = 0; d < 9000; ++d) {
    if (d % 997 == 0) corpus.add("");
    if (d % 1500 == 0) corpus.add(" \n\t ");
    corpus.add(words(rng.below(5000), 1 + rng.below(12)) + extras[rng.below(5)]);
  }
  corpus.add(words(0, 200000)); // about 1.4 MB
  corpus.add("");               // empty last document
  const CorpusView view = corpus.view();
  const Tokenized one = tokenize_corpus(view, 5, 1);
  const Tokenized four = tokenize_corpus(view, 5, 4);
  expect_same(one, four);
  expect_matches_per_document(corpus, one);
  EXPECT_EQ(one.token_count(0), 0u);
  EXPECT_EQ(one.shingle_count(corpus.size() - 1), 0u);
  EXPECT_EQ(one.token_count(corpus.size() - 2), 200000u);
}

TEST(TokenizeCorpus, WithoutTokensTheRestIsTheSameAndDocTokensTokenizesAgain) {
  TestCorpus corpus;
  testing::Rng rng(5);
  for (std::size_t d = 0; d < 3000; ++d) {
    if (d % 500 == 0) corpus.add("");
    corpus.add(words(rng.below(3000), 1 + rng.below(40)) + (d % 3 ? " \u0130stanbul'da \u6211\u4EEC" : ""));
  }
  const CorpusView view = corpus.view();
  const Tokenized kept = tokenize_corpus(view, 5, 2);
  const Tokenized dropped = tokenize_corpus(view, 5, 2, nullptr, /*keep_tokens_bytes=*/0);
  EXPECT_TRUE(dropped.tokens.empty());
  EXPECT_EQ(dropped.tok_begin, kept.tok_begin);
  EXPECT_EQ(dropped.sh_begin, kept.sh_begin);
  EXPECT_EQ(dropped.shingles, kept.shingles);
  EXPECT_EQ(dropped.sh_order, kept.sh_order);
  std::vector<Token> scratch_kept, scratch_dropped;
  for (std::size_t d = 0; d < corpus.size(); ++d) {
    const std::span<const Token> x = doc_tokens(kept, view.doc(d), d, scratch_kept);
    const std::span<const Token> y = doc_tokens(dropped, view.doc(d), d, scratch_dropped);
    if (!x.empty()) EXPECT_EQ(x.data(), kept.tokens.data() + kept.tok_begin[d]); // a view, no copy
    ASSERT_EQ(x.size(), y.size()) << d;
    ASSERT_EQ(y.size(), dropped.token_count(d));
    for (std::size_t i = 0; i < x.size(); ++i) {
      ASSERT_EQ(x[i].start, y[i].start);
      ASSERT_EQ(x[i].end, y[i].end);
      ASSERT_EQ(x[i].hash, y[i].hash);
    }
  }
}

TEST(TokenizeCorpus, TokensAreKeptWithinTheirBudgetAndDroppedPastIt) {
  // The first wave of blocks (16 blocks of 4,096 documents) has long words, few tokens a byte;
  // the rest short ones: the budget is passed on the estimate after the first wave, or only
  // later, when the tokens are counted.
  TestCorpus corpus;
  for (std::size_t d = 0; d < 16 * 4096 + 5000; ++d)
    corpus.add(d < 16 * 4096 ? "extraordinarily longwinded correspondents" : "a b c d e f g h i j k l");
  const CorpusView view = corpus.view();
  const Tokenized all = tokenize_corpus(view, 3, 2);
  const std::size_t bytes = all.tokens.size() * sizeof(Token);
  ASSERT_EQ(all.tokens.size(), all.tok_begin.back());
  for (const std::size_t budget : {std::size_t{0}, bytes / 4, bytes - 1, bytes, 2 * bytes}) {
    const Tokenized tok = tokenize_corpus(view, 3, 2, nullptr, budget);
    EXPECT_EQ(tok.tokens.size(), budget >= bytes ? all.tokens.size() : 0u) << budget;
    if (budget < bytes) EXPECT_EQ(tok.tokens.capacity(), 0u) << budget; // dropped, memory and all
    EXPECT_EQ(tok.tok_begin, all.tok_begin);
    EXPECT_EQ(tok.shingles, all.shingles);
    EXPECT_EQ(tok.sh_order, all.sh_order);
  }
}

TEST(TokenizeCorpus, EmptyDocumentsAndEmptyCorpus) {
  TestCorpus empties;
  for (int i = 0; i < 5; ++i) empties.add(i % 2 ? "" : " .,; ");
  const Tokenized tok = tokenize_corpus(empties.view(), 3, 2);
  EXPECT_EQ(tok.size(), 5u);
  EXPECT_EQ(tok.tok_begin, std::vector<std::uint64_t>(6, 0));
  EXPECT_EQ(tok.sh_begin, std::vector<std::uint64_t>(6, 0));
  EXPECT_TRUE(tok.tokens.empty());
  EXPECT_TRUE(tok.shingles.empty());

  TestCorpus none;
  const Tokenized t0 = tokenize_corpus(none.view(), 3, 2);
  EXPECT_EQ(t0.size(), 0u);
  EXPECT_EQ(t0.ngram, 3u);

  TestCorpus mixed;
  mixed.add("");
  mixed.add("alpha beta gamma delta");
  mixed.add("");
  mixed.add("one two"); // fewer tokens than ngram: tokens but no shingles
  mixed.add("");
  const Tokenized tm = tokenize_corpus(mixed.view(), 3, 3);
  EXPECT_EQ(tm.tok_begin, (std::vector<std::uint64_t>{0, 0, 4, 4, 6, 6}));
  EXPECT_EQ(tm.sh_begin, (std::vector<std::uint64_t>{0, 0, 2, 2, 2, 2}));
  expect_matches_per_document(mixed, tm);
}

TEST(TokenizeCorpus, ReportsProgressAndCancels) {
  TestCorpus corpus;
  for (int i = 0; i < 10; ++i) corpus.add(words(i * 10, 10));
  std::size_t calls = 0;
  Progress ok = [&](std::string_view stage, std::size_t done, std::size_t total) {
    EXPECT_EQ(stage, "tokenize");
    EXPECT_LE(done, total);
    ++calls;
    return true;
  };
  tokenize_corpus(corpus.view(), 5, 1, &ok);
  EXPECT_GT(calls, 0u);
  Progress stop = [](std::string_view, std::size_t, std::size_t) { return false; };
  EXPECT_THROW(tokenize_corpus(corpus.view(), 5, 1, &stop), Cancelled);
}

TEST(HashSort, GivesWhatStdSortGives) {
  // Hashes uniform, few distinct (repeats fill buckets past insertion sort), all sharing their
  // top byte (known = 8), or all in one narrow range (not uniform: one bucket holds them all).
  testing::Rng rng(11);
  std::vector<std::pair<std::uint64_t, std::uint32_t>> tmp;
  std::vector<std::size_t> at;
  for (std::size_t round = 0; round < 400; ++round) {
    const std::size_t kind = round % 4;
    const std::size_t n = round % 50 == 0 ? 20000 + rng.below(5000) : rng.below(2000);
    std::vector<std::pair<std::uint64_t, std::uint32_t>> v(n);
    for (auto &e : v) {
      std::uint64_t h = rng.next();
      if (kind == 1) h = (rng.below(7) + 1) * 0x9E3779B97F4A7C15ULL;
      if (kind == 2) h = (h >> 8) | (std::uint64_t{0xA7} << 56);
      if (kind == 3) h = 0x1234567800000000ULL + rng.below(1000);
      e = {h, static_cast<std::uint32_t>(rng.below(64))};
    }
    std::vector<std::pair<std::uint64_t, std::uint32_t>> want = v;
    std::sort(want.begin(), want.end());
    detail::sort_by_hash(
        v.data(), v.data() + n, [](const auto &e) { return e.first; }, kind == 2 ? 8 : 0, tmp, at);
    ASSERT_EQ(v, want) << "round " << round << ", " << n << " elements";
  }
}

TEST(Shingle, OrderIsHashThenPositionForAnyMixOfRepeats) {
  // shingle_order against std::sort of (hash, position): uniform hashes, a few values many times
  // over (buckets of one hash, some past the size that insertion sorts), and hashes that share
  // their top bits (one bucket of many distinct ones).
  testing::Rng rng(17);
  for (int round = 0; round < 300; ++round) {
    const std::size_t n = round < 4 ? static_cast<std::size_t>(round) : rng.below(round % 10 == 0 ? 20000 : 400);
    const int kind = round % 4;
    std::vector<std::uint64_t> sh(n);
    for (auto &h : sh) {
      h = rng.next();
      if (kind == 1) h = rng.next() % 3 == 0 ? h : 0x8000000000000000ULL + rng.below(4);
      if (kind == 2) h = (h >> 24) | 0xABCDEF0000000000ULL;
      if (kind == 3 && rng.below(2)) h = 42;
    }
    std::vector<std::uint16_t> got(n);
    shingle_order(sh.data(), n, got.data());
    std::vector<std::uint16_t> want(n);
    for (std::size_t i = 0; i < n; ++i) want[i] = static_cast<std::uint16_t>(i);
    std::sort(want.begin(), want.end(),
              [&](std::uint16_t x, std::uint16_t y) { return sh[x] != sh[y] ? sh[x] < sh[y] : x < y; });
    ASSERT_EQ(got, want) << "round " << round << ", " << n << " shingles";
  }
  std::vector<std::uint16_t> out(kMaxOrdered + 1);
  const std::vector<std::uint64_t> too_many(kMaxOrdered + 1, 1);
  EXPECT_THROW(shingle_order(too_many.data(), too_many.size(), out.data()), std::length_error);
}

TEST(TokenizeCorpus, ShingleOrderGivesWhatSortingGives) {
  // Each document's shingles in (hash, position) order, read by distinct_shingles and
  // sorted_seeds instead of sorting: the same hashes and seeds, with and without a mask.
  TestCorpus corpus;
  testing::Rng rng(5);
  for (std::size_t d = 0; d < 300; ++d) {
    std::string text;
    // Few distinct words, so that shingles repeat inside a document.
    for (std::size_t w = 0, n = rng.below(120); w < n; ++w) text += testing::word(rng.below(6)) + " ";
    corpus.add(text);
    if (d == 150) { // one document too long for 16-bit positions: it has no order, and is sorted
      text.clear();
      for (std::size_t w = 0; w < kMaxOrdered + 500; ++w) text += testing::word(rng.below(40)) + " ";
      corpus.add(text);
    }
  }
  const Tokenized ordered = tokenize_corpus(corpus.view(), 3, 2);
  ASSERT_EQ(ordered.sh_order.size(), ordered.shingles.size());
  EXPECT_FALSE(ordered.ordered(151));
  EXPECT_TRUE(ordered.ordered(150));
  EXPECT_TRUE(ordered.ordered(152));
  Tokenized plain = ordered;
  plain.sh_order.clear();
  std::vector<std::uint8_t> mask(ordered.shingles.size());
  for (auto &m : mask) m = rng.below(4) == 0;
  std::size_t repeats = 0;
  for (std::size_t d = 0; d < ordered.size(); ++d) {
    const std::uint8_t *doc_mask = mask.data() + ordered.sh_begin[d];
    for (const std::uint8_t *m : {static_cast<const std::uint8_t *>(nullptr), doc_mask}) {
      std::vector<std::uint64_t> a, b;
      distinct_shingles(ordered, d, m, a);
      distinct_shingles(plain, d, m, b);
      ASSERT_EQ(a, b) << "doc " << d;
      std::vector<Seed> sa, sb;
      sorted_seeds(ordered, d, m, sa);
      sorted_seeds(plain, d, m, sb);
      ASSERT_EQ(sa.size(), sb.size()) << "doc " << d;
      for (std::size_t i = 0; i < sa.size(); ++i) {
        ASSERT_EQ(sa[i].hash, sb[i].hash);
        ASSERT_EQ(sa[i].pos, sb[i].pos);
      }
      repeats += sa.size() - a.size();
    }
  }
  EXPECT_GT(repeats, 1000u) << "the test needs shingles that repeat inside a document";
}

} // namespace
} // namespace storytrace

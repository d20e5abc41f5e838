// Rewritten sentences: units, similarity, and the passages find_rewrites reports.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "helpers.hpp"
#include "storytrace/rewrite.hpp"

namespace storytrace {
namespace {

struct Text {
  std::string text;
  std::vector<Token> tokens;
  explicit Text(std::string t) : text(std::move(t)) { tokenize(text, tokens); }
  TextUnits units() const {
    TextUnits u;
    u.build(text, tokens.data(), tokens.size());
    return u;
  }
  // The token range of a unit as text.
  std::string unit_text(const Unit &u) const {
    return text.substr(tokens[u.begin].start, tokens[u.end - 1].end - tokens[u.begin].start);
  }
};

const std::string kSource =
    "The central bank raised its main interest rate by half a point on Tuesday to fight inflation. "
    "Officials said prices had risen faster than expected over the past three months in most regions. "
    "Markets fell sharply after the announcement, with bank shares leading the decline in early trade. "
    "The decision was the third increase this year and surprised many economists in the capital.";
// The same four sentences reworded: words swapped, synonyms, clauses moved.
const std::string kRewrite =
    "On Tuesday the central bank raised its main interest rate by half a point in a bid to fight inflation. "
    "Prices had risen faster than expected over the past three months in most regions, officials said. "
    "After the announcement markets fell sharply, with bank shares leading the decline in early trading. "
    "It was the third increase this year and the decision surprised many economists in the capital.";
// Written independently about the same event.
const std::string kIndependent =
    "Borrowing costs are going up again for households across the country this week. "
    "A spokesman for the governor told reporters that more steps could follow if needed soon. "
    "Shopkeepers in the old town complained that customers were already spending less money. "
    "Several analysts had predicted a pause, pointing to weak factory output and slow hiring.";

TEST(Rewrite, UnitsEndAtSentencePunctuationAndLineBreaks) {
  Text t("One two three four five. Six seven eight nine ten eleven!\nTwelve thirteen fourteen fifteen sixteen");
  std::vector<Unit> units;
  sentence_units(t.text, t.tokens.data(), t.tokens.size(), units);
  ASSERT_EQ(units.size(), 3u);
  EXPECT_EQ(t.unit_text(units[0]), "One two three four five");
  EXPECT_EQ(t.unit_text(units[1]), "Six seven eight nine ten eleven");
  EXPECT_EQ(units[2].end, t.tokens.size());
}

TEST(Rewrite, ShortPiecesJoinTheirNeighbours) {
  // "U.S." and a two-word line are not sentences of their own.
  Text t("The U.S. government said on Monday it would act.\nBy Reuters\nThe rest of the story follows here.");
  std::vector<Unit> units;
  sentence_units(t.text, t.tokens.data(), t.tokens.size(), units);
  for (const Unit &u : units) EXPECT_GE(u.end - u.begin, 5u) << t.unit_text(u);
  ASSERT_FALSE(units.empty());
  EXPECT_EQ(units.front().begin, 0u);
  EXPECT_EQ(units.back().end, t.tokens.size());
  for (std::size_t k = 1; k < units.size(); ++k) EXPECT_EQ(units[k].begin, units[k - 1].end);
}

TEST(Rewrite, UnitsAreAtMostSixtyTokens) {
  std::string s;
  for (int i = 0; i < 150; ++i) s += "w" + std::to_string(i) + " ";
  Text t(s);
  std::vector<Unit> units;
  sentence_units(t.text, t.tokens.data(), t.tokens.size(), units);
  for (const Unit &u : units) EXPECT_LE(u.end - u.begin, 60u);
  EXPECT_EQ(units.back().end, 150u);
}

TEST(Rewrite, SimilarityIsOneForACopyAndLowForOtherWords) {
  Text a("the cat sat on the mat today"), b("the cat sat on the mat today"), c("a dog ran in a park yesterday");
  EXPECT_DOUBLE_EQ(sentence_similarity(a.tokens.data(), a.tokens.size(), b.tokens.data(), b.tokens.size()), 1.0);
  EXPECT_DOUBLE_EQ(sentence_similarity(a.tokens.data(), a.tokens.size(), c.tokens.data(), c.tokens.size()), 0.0);
  // Same words, other order: every word found, 4 of the 6 bigrams (the cat, sat on, on the, the mat).
  Text d("today the mat sat on the cat");
  EXPECT_DOUBLE_EQ(sentence_similarity(a.tokens.data(), a.tokens.size(), d.tokens.data(), d.tokens.size()),
                   (1.0 + 4.0 / 6.0) / 2);
}

TEST(Rewrite, RewordedSentencesAreFoundOneToOne) {
  const Text a(kSource), b(kRewrite);
  const std::vector<Span> spans = find_rewrites(a.units(), nullptr, b.units(), nullptr, {}, RewriteOptions{0.6, 15});
  ASSERT_FALSE(spans.empty());
  std::uint32_t covered = 0;
  for (const Span &s : spans) {
    EXPECT_EQ(s.kind, PassageKind::Rewrite);
    EXPECT_GE(s.similarity, 0.6f);
    EXPECT_LT(s.similarity, 1.0f);
    EXPECT_LE(s.matched, std::min(s.a_end - s.a_begin, s.b_end - s.b_begin));
    covered += s.b_end - s.b_begin;
  }
  EXPECT_GT(covered, b.tokens.size() / 2);
  for (std::size_t k = 1; k < spans.size(); ++k) {
    EXPECT_GE(spans[k].b_begin, spans[k - 1].b_end);
    EXPECT_GE(spans[k].a_begin, spans[k - 1].a_end);
  }
}

TEST(Rewrite, IndependentTextOnTheSameEventIsNotARewrite) {
  const Text a(kSource), b(kIndependent);
  EXPECT_TRUE(find_rewrites(a.units(), nullptr, b.units(), nullptr, {}, RewriteOptions{0.6, 15}).empty());
}

TEST(Rewrite, VerbatimPassagesAndBoilerplateAreLeftAlone) {
  const Text a(kSource), b(kRewrite);
  const TextUnits ua = a.units(), ub = b.units();
  // Every unit of b inside a verbatim passage: nothing left to find.
  Span all{0, static_cast<std::uint32_t>(a.tokens.size()), 0, static_cast<std::uint32_t>(b.tokens.size()), 1};
  EXPECT_TRUE(find_rewrites(ua, nullptr, ub, nullptr, {all}, RewriteOptions{0.6, 15}).empty());
  // All of b is boilerplate.
  std::vector<std::uint8_t> mask(b.tokens.size(), 1);
  EXPECT_TRUE(find_rewrites(ua, nullptr, ub, mask.data(), {}, RewriteOptions{0.6, 15}).empty());
  // A stricter bar finds less.
  EXPECT_LE(find_rewrites(ua, nullptr, ub, nullptr, {}, RewriteOptions{0.95, 15}).size(),
            find_rewrites(ua, nullptr, ub, nullptr, {}, RewriteOptions{0.6, 15}).size());
}

TEST(Rewrite, UnitsThatCanReachTheBarAreNeverDropped) {
  // Texts of few words, b's sentences made from a's with some words changed, or two of a's joined:
  // unit similarities spread over [0, 1]. Every unit of b with a window of a (one unit or two adjacent) as similar
  // as the bar must be kept by rewrite_reachable, which must also drop some.
  testing::Rng rng(17);
  std::size_t kept = 0, dropped = 0;
  for (int round = 0; round < 150; ++round) {
    auto sentence = [&](std::size_t words) {
      std::string s;
      for (std::size_t w = 0; w < words; ++w) s += testing::word(rng.below(40)) + " ";
      return s;
    };
    std::vector<std::string> sentences;
    std::string a_text, b_text;
    for (std::size_t k = 0, n = 2 + rng.below(8); k < n; ++k) {
      sentences.push_back(sentence(5 + rng.below(20)));
      a_text += sentences.back() + ".\n";
    }
    for (std::size_t k = 0, n = 1 + rng.below(8); k < n; ++k) {
      if (rng.below(4) == 0) { // two adjacent sentences of a as one, word for word (with the bigram across)
        const std::size_t x = rng.below(sentences.size() - 1);
        b_text += sentences[x] + sentences[x + 1] + ".\n";
        continue;
      }
      std::string s = rng.below(3) ? sentences[rng.below(sentences.size())] : sentence(5 + rng.below(20));
      Text words(s);
      std::string changed;
      for (const Token &t : words.tokens)
        changed += (rng.below(4) == 0 ? testing::word(40 + rng.below(40)) : s.substr(t.start, t.end - t.start)) + " ";
      b_text += changed + ".\n";
    }
    const Text a(a_text), b(b_text);
    TextUnits ua = a.units();
    const TextUnits ub = b.units();
    ua.build_index();
    std::vector<std::uint32_t> all(ub.units.size());
    for (std::uint32_t k = 0; k < all.size(); ++k) all[k] = k;
    for (const double bar : {0.3, 0.6, 0.8, 1.0}) {
      const std::vector<std::uint32_t> reachable = rewrite_reachable(ua.filters, ub, all, bar);
      for (const std::uint32_t k : all) {
        const Unit &u = ub.units[k];
        double best = 0;
        for (std::size_t x = 0; x < ua.units.size(); ++x)
          for (std::size_t y = x; y < std::min(ua.units.size(), x + 2); ++y) {
            const Token *w = a.tokens.data() + ua.units[x].begin;
            best = std::max(best, sentence_similarity(b.tokens.data() + u.begin, u.end - u.begin, w,
                                                      ua.units[y].end - ua.units[x].begin));
          }
        const bool in = std::find(reachable.begin(), reachable.end(), k) != reachable.end();
        if (best >= bar) ASSERT_TRUE(in) << "round " << round << ", unit " << k << ", similarity " << best;
        (in ? kept : dropped) += 1;
      }
    }
  }
  EXPECT_GT(kept, 100u);
  EXPECT_GT(dropped, 100u);
}

} // namespace
} // namespace storytrace

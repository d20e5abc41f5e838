// Rewritten passages: units, word forms, and the passages find_rewrites reports.
#include <gtest/gtest.h>

#include <set>

#include <algorithm>
#include <string>
#include <utility>
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

TEST(Rewrite, WordFormsMeetAcrossInflectionsInAnyScript) {
  auto form = [](const std::string &w) { return word_form(normalize_word(w)); };
  // Inflected forms of one word share their first five characters: Russian, Turkish,
  // Indonesian, Urdu, Arabic, English; case is folded first.
  const std::vector<std::pair<std::string, std::string>> same{{"правительство", "Правительства"},
                                                              {"belediyesi", "belediyesinin"},
                                                              {"pemerintah", "pemerintahan"},
                                                              {"حکومت", "حکومتوں"},
                                                              {"الحكومة", "الحكومية"},
                                                              {"companies", "Company"}};
  for (const auto &[x, y] : same) EXPECT_EQ(form(x), form(y)) << x << " / " << y;
  // Other words, and numbers, which are matched whole.
  EXPECT_NE(form("правительство"), form("президент"));
  EXPECT_NE(form("125000"), form("125001"));
  EXPECT_EQ(form("bank"), word_form("bank")); // a short word is its own form
  // From a token's hash: the same forms.
  const Text t("Bank 42 7 banks Правительство 1987 x");
  std::vector<std::uint32_t> offsets;
  std::string normalized;
  std::vector<Token> tokens;
  tokenize(t.text, tokens, &normalized, &offsets);
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const std::string_view w = std::string_view(normalized).substr(offsets[i], offsets[i + 1] - offsets[i]);
    EXPECT_EQ(word_form(w, tokens[i].hash), word_form(w)) << w;
  }
  EXPECT_TRUE(is_figure(form("42")));
  EXPECT_FALSE(is_figure(form("7")));
  EXPECT_FALSE(is_figure(form("bank")));
}

TEST(Rewrite, ARewordedParagraphIsOnePassage) {
  const Text a(kSource), b(kRewrite);
  const Rewrites r = find_rewrites(a.units(), nullptr, b.units(), nullptr, {}, RewriteOptions{});
  ASSERT_EQ(r.spans.size(), 1u);
  const Span &s = r.spans[0];
  EXPECT_EQ(s.kind, PassageKind::Rewrite);
  EXPECT_GE(s.similarity, kFragmentSimilarity);
  EXPECT_LT(s.similarity, 1.0f);
  EXPECT_LE(s.matched, std::min(s.a_end - s.a_begin, s.b_end - s.b_begin));
  EXPECT_GT(s.b_end - s.b_begin, 3 * b.tokens.size() / 4);
  EXPECT_TRUE(r.absorbed.empty());
}

TEST(Rewrite, IndependentTextOnTheSameEventIsNotARewrite) {
  const Text a(kSource), b(kIndependent);
  EXPECT_TRUE(find_rewrites(a.units(), nullptr, b.units(), nullptr, {}, RewriteOptions{}).spans.empty());
}

TEST(Rewrite, VerbatimPassagesAndBoilerplateAreLeftAlone) {
  const Text a(kSource), b(kRewrite);
  const TextUnits ua = a.units(), ub = b.units();
  // Every unit of b inside a verbatim passage: nothing left to find.
  Span all{0, static_cast<std::uint32_t>(a.tokens.size()), 0, static_cast<std::uint32_t>(b.tokens.size()), 1};
  EXPECT_TRUE(find_rewrites(ua, nullptr, ub, nullptr, {all}, RewriteOptions{}).spans.empty());
  // All of b is boilerplate.
  std::vector<std::uint8_t> mask(b.tokens.size(), 1);
  EXPECT_TRUE(find_rewrites(ua, nullptr, ub, mask.data(), {}, RewriteOptions{}).spans.empty());
  // A stricter bar finds less.
  auto covered = [&](double bar) {
    std::uint32_t c = 0;
    for (const Span &s : find_rewrites(ua, nullptr, ub, nullptr, {}, RewriteOptions{bar, 15}).spans)
      c += s.b_end - s.b_begin;
    return c;
  };
  EXPECT_LE(covered(0.9), covered(0.33));
}

TEST(Rewrite, APassageTakesInTheCopiedSentencesItSurrounds) {
  // b rewords a's first, second and fourth sentences and copies its third word for word.
  const std::string copied = "Markets fell sharply after the announcement, with bank shares leading the decline in "
                             "early trade.";
  const std::string b_text = kRewrite.substr(0, kRewrite.find("After the announcement")) + copied + " " +
                             kRewrite.substr(kRewrite.find("It was the third"));
  const Text a(kSource), b(b_text);
  const std::size_t a_at = kSource.find("Markets fell"), b_at = b_text.find("Markets fell");
  auto token_at = [](const Text &t, std::size_t byte) {
    std::uint32_t k = 0;
    while (k < t.tokens.size() && t.tokens[k].start < byte) ++k;
    return k;
  };
  const std::uint32_t n = 16; // tokens of the copied sentence
  const Span copy{token_at(a, a_at), token_at(a, a_at) + n, token_at(b, b_at), token_at(b, b_at) + n, n};
  std::vector<Span> found{copy};
  const Rewrites r = find_rewrites(a.units(), nullptr, b.units(), nullptr, found, RewriteOptions{});
  ASSERT_EQ(r.spans.size(), 1u);
  EXPECT_EQ(r.absorbed, std::vector<std::uint32_t>{0});
  EXPECT_LE(r.spans[0].b_begin, copy.b_begin);
  EXPECT_GE(r.spans[0].b_end, copy.b_end);
  apply_rewrites(found, r);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].kind, PassageKind::Rewrite);
}

// A source of eight sentences, each on its own subject.
const std::string kLong = "The harbour authority opened a new container terminal on the eastern shore this spring. "
                          "Farmers in the valley planted barley early because the winter had been unusually mild. "
                          "A museum of maritime history will close for renovation until the end of next year. "
                          "The railway company ordered forty electric locomotives from a manufacturer abroad. "
                          "Teachers at three secondary schools voted to accept the revised salary agreement. "
                          "Heavy rain flooded several streets near the old fish market on Sunday evening. "
                          "The city council approved a budget that doubles spending on public transport by 2030. "
                          "Tourism officials expect a record number of cruise ship visitors during the summer.";

// The token range [first, last) of a text's copy of `sentence`.
std::pair<std::uint32_t, std::uint32_t> tokens_of(const std::string &text, const std::vector<Token> &tokens,
                                                  const std::string &sentence) {
  const std::size_t at = text.find(sentence);
  std::uint32_t k = 0, e;
  while (k < tokens.size() && tokens[k].start < at) ++k;
  for (e = k; e < tokens.size() && tokens[e].end <= at + sentence.size(); ++e) {
  }
  return {k, e};
}

// b condenses a by copying its seventh sentence and then its first: two verbatim passages next to
// each other in b, far apart in a.
Rewrites condensed(const std::string &between, std::vector<Span> &found) {
  const std::string s1 = "The harbour authority opened a new container terminal on the eastern shore this spring.";
  const std::string s7 = "The city council approved a budget that doubles spending on public transport by 2030.";
  const Text a(kLong), b(s7 + " " + between + s1);
  found.clear();
  for (const std::string *s : {&s7, &s1}) {
    const auto [a0, a1] = tokens_of(a.text, a.tokens, *s);
    const auto [b0, b1] = tokens_of(b.text, b.tokens, *s);
    found.push_back(Span{a0, a1, b0, b1, a1 - a0});
  }
  return find_rewrites(a.units(), nullptr, b.units(), nullptr, found, RewriteOptions{});
}

TEST(Rewrite, ASummaryToldInAnotherOrderIsOnePassage) {
  std::vector<Span> found;
  const Rewrites r = condensed("", found);
  ASSERT_EQ(r.spans.size(), 1u);
  const Span &s = r.spans[0];
  EXPECT_EQ(s.kind, PassageKind::Rewrite);
  // It spans the stretch of a it condenses (first to seventh sentence) and all of b.
  EXPECT_EQ(s.a_begin, found[1].a_begin);
  EXPECT_EQ(s.a_end, found[0].a_end);
  EXPECT_EQ(s.b_begin, found[0].b_begin);
  EXPECT_EQ(s.b_end, found[1].b_end);
  EXPECT_GE(s.similarity, kFragmentSimilarity);
  EXPECT_EQ(r.absorbed, (std::vector<std::uint32_t>{0, 1}));
  apply_rewrites(found, r);
  EXPECT_EQ(found.size(), 1u);
}

TEST(Rewrite, CopiedPiecesApartInTheLaterTextStayApart) {
  // Two sentences of b's own between the pieces: b is no summary of a's stretch.
  std::vector<Span> found;
  const Rewrites r = condensed("Our reporter visited the region twice last month to speak with residents. "
                               "Many of them asked not to be named because they feared for their jobs. ",
                               found);
  EXPECT_TRUE(r.spans.empty());
  EXPECT_TRUE(r.absorbed.empty());
}

TEST(Vocabulary, ShareOfTheLaterTextsFormsTheEarlierHolds) {
  const Text a(kSource), b(kRewrite), c(kIndependent);
  const TextUnits ua = a.units(), ub = b.units(), uc = c.units();
  // Unweighted: b's distinct forms that a holds, over all of b's.
  std::set<std::uint64_t> fa(ua.forms.begin(), ua.forms.end()), fb(ub.forms.begin(), ub.forms.end());
  std::size_t held = 0;
  for (const std::uint64_t f : fb) held += fa.count(f);
  const VocabularyEvidence e = vocabulary_evidence(ua, ub, nullptr, nullptr, 0);
  EXPECT_DOUBLE_EQ(e.share, static_cast<double>(held) / static_cast<double>(fb.size()));
  EXPECT_EQ(e.tokens, b.tokens.size());
  EXPECT_GT(e.matched, e.tokens / 2);
  EXPECT_LE(e.matched, e.tokens);
  // The rewrite holds far more of the source's vocabulary than an independent report does.
  const VocabularyEvidence other = vocabulary_evidence(ua, uc, nullptr, nullptr, 0);
  EXPECT_GT(e.share, 0.7);
  EXPECT_LT(other.share, e.share - 0.2);
  // Boilerplate is left out: all of b masked leaves nothing.
  const std::vector<std::uint8_t> all(b.tokens.size(), 1);
  const VocabularyEvidence masked = vocabulary_evidence(ua, ub, all.data(), nullptr, 0);
  EXPECT_EQ(masked.tokens, 0u);
  EXPECT_EQ(masked.share, 0.0);
  // A text holds all of its own vocabulary.
  EXPECT_DOUBLE_EQ(vocabulary_evidence(ub, ub, nullptr, nullptr, 0).share, 1.0);
}

TEST(Vocabulary, RareFormsWeighMoreAndFiguresMustBeKept) {
  // b shares with a only words every document of the corpus holds, and has two rarer words of
  // its own: weighted by the corpus, a holds little of it.
  const Text a("the report said that the minister would visit"),
      b("the report said that ambassador Okonjo would visit");
  const TextUnits ua = a.units(), ub = b.units();
  FormCounts counts;
  counts.reset();
  std::vector<std::uint64_t> common;
  for (const char *w : {"the", "report", "said", "that", "would", "visit"}) common.push_back(word_form(w));
  for (int d = 0; d < 100; ++d) counts.add_document(common.data(), common.size());
  const VocabularyEvidence plain = vocabulary_evidence(ua, ub, nullptr, nullptr, 0);
  const VocabularyEvidence weighted = vocabulary_evidence(ua, ub, nullptr, &counts, 100);
  EXPECT_DOUBLE_EQ(plain.share, 6.0 / 8.0);
  EXPECT_LT(weighted.share, 0.1);
  // The decision: long enough, enough of the vocabulary, half of the figures.
  VocabularyEvidence e{0.6, kVocabularyTokens, 40, 4, 2};
  EXPECT_TRUE(vocabulary_derived(e, 0.5));
  EXPECT_FALSE(vocabulary_derived(e, 0.7));
  e.figures_held = 1; // a templated report of other figures
  EXPECT_FALSE(vocabulary_derived(e, 0.5));
  e.figures_held = 2, e.tokens = kVocabularyTokens - 1; // a notice too short to say
  EXPECT_FALSE(vocabulary_derived(e, 0.5));
  const Text f1("prices rose 12 percent and 340 jobs went"), f2("prices rose 12 percent and 7 of 500 jobs went");
  const VocabularyEvidence figs = vocabulary_evidence(f1.units(), f2.units(), nullptr, nullptr, 0);
  EXPECT_EQ(figs.figures, 2u); // 12 and 500; one digit alone is no figure
  EXPECT_EQ(figs.figures_held, 1u);
}

} // namespace
} // namespace storytrace

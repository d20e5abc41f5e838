// Stage 5b: rewritten passages. Inside a pair of documents, the stretches of the later one that
// restate a stretch of the earlier one in other words: reworded, reordered, inflected, condensed.
//
// The method is the one of the PAN 2014 text-alignment winner (Sanchez-Perez, Sidorov & Gelbukh,
// "A Winning Approach to Text Alignment for Text Reuse Detection at PAN 2014"), with no language's
// stemmer or stop words:
//   1. Seeds: pairs of sentences (Unit) whose tf-isf cosine and weighted Dice coefficient are
//      both at least a bar (0.33), and the verbatim passages found before (each of their
//      sentences a seed).
//   2. Extension: seeds clustered where they lie within a few sentences of each other on both
//      sides (kRewriteGap), each cluster one passage, kept when the passage's two sides are as
//      similar as kFragmentSimilarity and most of its sentences are seeds (else clustered again
//      with smaller gaps). One pair of similar sentences alone is no passage: it needs a second
//      seed (another pair, or copied text beside it), as two reports of one event may each have
//      a sentence that says the same.
//   3. Summaries: seeds clustered again with a wider gap on the earlier side (kSummaryGap); a
//      passage so found that is far longer on the earlier side (kSummaryRatio), a condensed
//      retelling, takes the place of the passages it overlaps. Passages next to each other on the
//      later side whose joint extent is shaped so are one summary told in another order: joined.
//   4. Filtering: overlapping passages resolved by similarity and length; passages shorter than
//      min_tokens on either side, or with fewer tokens whose form the other side holds, dropped.
// Two sentences that both give figures (numbers of two characters or more) and share none are no
// seed: a report of one form about other figures. A form also weighs less the more of the
// corpus's documents hold it (FormCounts; compare has no corpus).
// Words are compared by their form (word_form): the first kFormChars characters of the
// normalized word, so that inflected forms and spelling variants of one word, in any script,
// mostly meet. A word's weight is its inverse sentence frequency over the pair's sentences, so
// that function words weigh next to nothing in any language.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "storytrace/forms.hpp"
#include "storytrace/text.hpp"
#include "storytrace/types.hpp"

namespace storytrace {

struct RewriteOptions {
  // Seed bar: two sentences are a seed when their tf-isf cosine and weighted Dice are both at
  // least this.
  double min_similarity = 0.33;
  // Passages shorter than this many tokens on either side are dropped (as for verbatim ones).
  std::size_t min_tokens = 15;
  // The rewrite scorer's document-level evidence: a pair in which no passage is found is recorded
  // (kind Vocabulary) when the earlier document holds at least this share of the later one's
  // vocabulary (vocabulary_share); 0: never.
  double vocabulary_share = 0;
};

// Sentences bridged between two seeds of one passage (on each side).
inline constexpr std::uint32_t kRewriteGap = 4;
// ... on the earlier side, in a summary.
inline constexpr std::uint32_t kSummaryGap = 24;
// A passage is a summary when its earlier side is this many times its later one.
inline constexpr double kSummaryRatio = 3.0;
// Passages at most this many sentences apart on the later side are joined into one summary (when
// their joint shape is a summary's).
inline constexpr std::uint32_t kSummaryJoinGap = 1;
// A passage is kept when the tf-isf cosine of its two sides is at least this.
inline constexpr double kFragmentSimilarity = 0.34;
// ... and when at least this share of its sentences on b's side are seeds.
inline constexpr double kSeededShare = 0.5;

// A sentence-like unit of a text: tokens [begin, end).
struct Unit {
  std::uint32_t begin, end;
};

// Splits a tokenized text into sentence-like units. A unit ends where the text between two tokens
// holds a line break or sentence-final punctuation (. ! ? … and their CJK, Arabic, Urdu and
// Devanagari forms) and the unit has at least 5 tokens; no unit is longer than 60 tokens; a short
// tail joins the unit before it.
void sentence_units(std::string_view text, const Token *tokens, std::size_t n, std::vector<Unit> &out);

// A text's units with the distinct word forms of each (sorted, with their counts): built once and
// used for every pair the text is in.
struct TextUnits {
  const Token *tokens = nullptr;
  std::size_t token_count = 0;
  std::vector<Unit> units;
  std::vector<std::uint64_t> forms;      // per token
  std::vector<std::uint32_t> term_begin; // per unit, into terms; size units+1
  std::vector<std::uint64_t> terms;      // each unit's distinct forms, sorted
  std::vector<std::uint16_t> counts;     // and how often the unit holds each
  std::vector<std::uint64_t> vocab;      // the text's distinct forms, sorted
  std::vector<std::uint32_t> df;         // per form of vocab: the units holding it
  std::vector<std::uint32_t> local;      // per entry of terms: its index in vocab
  std::vector<double> rarity;            // per form of vocab: form_rarity in the corpus (empty: none given)

  // With `counts` (the corpus's, may be null), each form's rarity is looked up once, here.
  void build(std::string_view text, const Token *tokens, std::size_t n, const FormCounts *counts = nullptr);
  // Bytes held, about (for a cache's budget).
  std::size_t bytes() const;
};

// What find_rewrites found: the rewritten passages (kind Rewrite, sorted by b_begin, one-to-one
// with each other and with the verbatim spans left) and the verbatim spans of `taken` each took
// in (their indexes, sorted): a passage that rewrote a paragraph around copied sentences is one
// passage, not a copy and rewrites beside it.
struct Rewrites {
  std::vector<Span> spans;
  std::vector<std::uint32_t> absorbed;
};

// The rewritten passages of text b (the later) found in text a. Units more than half boilerplate
// (token masks, may be null) are no seed. `taken` are the pair's verbatim spans. A form weighs its
// inverse frequency among the pair's sentences times its rarity in the corpus (form_rarity), when
// the two were built with the corpus's counts (both or neither). Each passage's `similarity` is the tf-isf cosine of
// its two sides and `matched` the tokens, on the side with fewer, whose form the other side holds.
Rewrites find_rewrites(const TextUnits &a, const std::uint8_t *a_mask, const TextUnits &b, const std::uint8_t *b_mask,
                       const std::vector<Span> &taken, const RewriteOptions &options);

// The same from texts and their tokens, with the corpus's `counts` (may be null).
Rewrites find_rewrites(std::string_view a_text, const Token *a, std::size_t na, const std::uint8_t *a_mask,
                       std::string_view b_text, const Token *b, std::size_t nb, const std::uint8_t *b_mask,
                       const std::vector<Span> &taken, const RewriteOptions &options,
                       const FormCounts *counts = nullptr);

// How much of text b's vocabulary text a holds (document-level evidence, for a pair with no
// passage). `share`: b's distinct word forms outside its boilerplate (mask, may be null), each
// weighted by its inverse document frequency in the corpus, ln((documents + 1) / holders) with
// holders from `counts` (at least 1), the weight of those a holds over the weight of all; with no
// counts (or documents 0) every form weighs the same (plain containment). `tokens`: b's tokens
// outside boilerplate, `matched` those whose form a holds; `figures`: b's distinct figures
// (is_figure) outside boilerplate, `figures_held` those a holds.
struct VocabularyEvidence {
  double share = 0;
  std::uint32_t tokens = 0, matched = 0, figures = 0, figures_held = 0;
};
VocabularyEvidence vocabulary_evidence(const TextUnits &a, const TextUnits &b, const std::uint8_t *b_mask,
                                       const FormCounts *counts, std::size_t documents);

// A document of fewer tokens (outside boilerplate) than this has too few words for its vocabulary
// to say where it came from: a templated notice is mostly its template's words.
inline constexpr std::uint32_t kVocabularyTokens = 50;

// Whether the evidence makes b derived from a: b has kVocabularyTokens tokens, a holds at least
// `min_share` of b's vocabulary, and a holds at least half of b's figures (a story rewritten keeps
// its facts' numbers; a report of the same form or on the same subject gives others).
bool vocabulary_derived(const VocabularyEvidence &e, double min_share);

// The form (word_form) of each of a text's tokens.
void word_forms(std::string_view text, const Token *tokens, std::size_t n, std::vector<std::uint64_t> &out);

// `found` with the passages of `r` in place of the spans they took in.
void apply_rewrites(std::vector<Span> &found, const Rewrites &r);

} // namespace storytrace

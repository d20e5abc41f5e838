// Stage 5b: rewritten sentences. Inside a pair of documents that already share text, the
// sentences of the later one that restate a sentence (or two) of the earlier one in other words.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "storytrace/hashes.hpp"
#include "storytrace/text.hpp"
#include "storytrace/types.hpp"

namespace storytrace {

struct RewriteOptions {
  // Smallest similarity (see sentence_similarity) at which a sentence counts as rewritten.
  double min_similarity = 0.6;
  // Passages shorter than this many tokens on either side are dropped (as for verbatim ones).
  std::size_t min_tokens = 15;
};

// A sentence-like unit of a text: tokens [begin, end).
struct Unit {
  std::uint32_t begin, end;
};

// Splits a tokenized text into sentence-like units. A unit ends where the text between two tokens
// holds a line break or sentence-final punctuation (. ! ? … and their CJK, Arabic, Urdu and
// Devanagari forms) and the unit has at least 5 tokens; no unit is longer than 60 tokens; a short
// tail joins the unit before it.
void sentence_units(std::string_view text, const Token *tokens, std::size_t n, std::vector<Unit> &out);

// How much of sentence t is found in window w: the mean of the share of t's distinct words that w
// holds and the share of t's distinct word bigrams that w holds. Words are compared by the hash of
// their normalized form. 1 for a verbatim copy, about 0.5-0.8 for a reworded one.
double sentence_similarity(const Token *t, std::size_t nt, const Token *w, std::size_t nw);

// Bit filters of a text's words and of its word bigrams (of any two consecutive tokens): all that
// a unit of another text can share with any window of it.
struct WordFilters {
  detail::BitFilter words, bigrams;
  void build(const Token *tokens, std::size_t n);
};

// A text's units with the distinct words and word bigrams of each (sorted), built once and used for
// every pair the text is in.
struct TextUnits {
  const Token *tokens = nullptr;
  std::vector<Unit> units;
  std::vector<std::uint32_t> word_begin, bigram_begin; // size units+1
  std::vector<std::uint64_t> words, bigrams;
  // For a text rewrites are searched in (the a side of find_rewrites), made by build_index: every
  // (word, unit) pair sorted by word, and the text's filters. find_rewrites makes them for a text
  // without them; a text in many pairs has them made once.
  std::vector<std::pair<std::uint64_t, std::uint32_t>> holders;
  WordFilters filters;
  bool indexed = false;

  void build(std::string_view text, const Token *tokens, std::size_t n);
  // build in two steps: the units alone (all that free_units reads), then their words and bigrams.
  void build_units(std::string_view text, const Token *tokens, std::size_t n);
  void build_words();
  // `filters`, when given, are this text's, built already (they are moved in).
  void build_index(WordFilters *filters = nullptr);
};

// The rewritten sentences of text b found in text a, as spans (a side: the window of one or two
// units it restates; b side: the unit, or consecutive units merged). Units more than half inside
// one of `taken` (verbatim passages of the same pair) or more than half boilerplate (token masks,
// may be null) are skipped on either side, and every unit of a is used at most once, so the spans
// stay one-to-one with each other and with `taken`. Spans are sorted by b_begin; `matched` is the
// number of b tokens whose word the window holds and `similarity` the token-weighted mean.
std::vector<Span> find_rewrites(std::string_view a_text, const Token *a, std::size_t na, const std::uint8_t *a_mask,
                                std::string_view b_text, const Token *b, std::size_t nb, const std::uint8_t *b_mask,
                                const std::vector<Span> &taken, const RewriteOptions &options);

// The units of t that a rewrite may be found in: at most half inside the verbatim spans `taken`
// (their a or b side) and at most half boilerplate (mask may be null).
std::vector<std::uint32_t> free_units(const TextUnits &t, const std::uint8_t *mask, const std::vector<Span> &taken,
                                      bool a_side);

// Of b's units `b_units`, those that may be as similar as min_similarity to a window of a (one unit
// or two adjacent ones): by a's filters, enough of the unit's words and bigrams are held somewhere
// in a. Never drops a unit that reaches it; most others, in a pair of texts on one topic.
std::vector<std::uint32_t> rewrite_reachable(const WordFilters &a, const TextUnits &b,
                                             const std::vector<std::uint32_t> &b_units, double min_similarity);

// The same, on units built beforehand.
std::vector<Span> find_rewrites(const TextUnits &a, const std::uint8_t *a_mask, const TextUnits &b,
                                const std::uint8_t *b_mask, const std::vector<Span> &taken,
                                const RewriteOptions &options);

} // namespace storytrace

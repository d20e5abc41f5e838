// Word forms: what rewritten passages compare words by (the first characters of a normalized
// word, so that inflected forms meet in any script), and how many of a corpus's documents hold
// each form (FormCounts), by which a form found all over the corpus (a template's or a topic's
// words) weighs less in a rewrite than one found in few documents.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace storytrace {

// Characters of a word that make its form.
inline constexpr std::size_t kFormChars = 5;

// The form of a normalized word (normalize_word): the hash of its first kFormChars code points,
// or of all of it when it is shorter or starts with a digit (a number is matched whole). Its
// lowest bit is set for a figure (a number of two characters or more: one digit alone is as
// often a fraction's part or a count as a fact) and clear for anything else.
std::uint64_t word_form(std::string_view normalized);
// The same, given the word's token hash (XXH3-64 of all of it with kHashSeed): a word of at most
// kFormChars bytes is its own form, so its hash is not made again.
std::uint64_t word_form(std::string_view normalized, std::uint64_t token_hash);
inline bool is_figure(std::uint64_t form) { return (form & 1) != 0; }

// Every document's form sample: its distinct word forms whose hash has its top kSampleBits bits
// clear (one form in four), figures aside. Whether a form is sampled depends on the form alone,
// so two documents' samples share a fixed fraction of the forms the documents share, and a form's
// holders in the samples are all the documents holding it (the way winnowing and mod-p sampling
// pick fingerprints). Rewritten pairs are found through it (find_form_candidates). A sampled
// form is kept by its key: the 32 bits of its hash below the top kSampleBits.
inline constexpr unsigned kSampleBits = 2;
inline bool in_sample(std::uint64_t form) { return (form >> (64 - kSampleBits)) == 0 && !is_figure(form); }
inline std::uint32_t sample_key(std::uint64_t form) { return static_cast<std::uint32_t>(form >> (32 - kSampleBits)); }

// How many documents of a corpus hold each form, in a count-min sketch: kRows rows of 2^kWidthBits
// counters, a form counted once a document in one counter of each row (chosen by bits of its
// hash), its count the least of its counters: never below the true count, above it only where
// another form shares the counter in every row. Counts add in any order, so they do not depend on
// the threads that made them. Empty (no corpus, as in compare): every form counts as held by the
// two texts at most.
struct FormCounts {
  static constexpr std::size_t kRows = 2, kWidthBits = 21;
  std::vector<std::uint32_t> counts; // kRows rows of 2^kWidthBits, one after the other; or empty

  void reset() { counts.assign(kRows << kWidthBits, 0); }
  bool empty() const { return counts.empty(); }
  // One document's distinct forms; may be called from many threads at once.
  void add_document(const std::uint64_t *forms, std::size_t n);
  std::uint32_t documents(std::uint64_t form) const;
};

// The weight, beside its frequency among a pair's sentences, of a form held by `documents`
// documents of the corpus: 1 up to two documents (all that a pair shows), 1 / (1 + ln(documents
// / 2)) above: a form in every tenth of 20,000 documents weighs about an eighth.
double form_rarity(std::uint32_t documents);

} // namespace storytrace

// Stage 1: tokenization. ICU word break over UTF-8, NFKC casefold, typographic variants unified.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "storytrace/common.hpp"

namespace storytrace {

// One token: its byte span in the original UTF-8 text and the hash of its normalized form.
struct Token {
  std::uint32_t start; // byte offset of the first byte
  std::uint32_t end;   // byte offset one past the last byte
  std::uint64_t hash;  // XXH3-64(normalized form, kHashSeed)
};

// Returns the offset of the first invalid byte of `text`, or npos when it is valid UTF-8
// (surrogate code points and overlong forms are invalid).
std::size_t find_invalid_utf8(std::string_view text);

// Normalizes one word: NFKC casefold, then ’ ‘ ‚ ‛ ′ ʼ ` ´ → ', “ ” „ ‟ ″ « » → ", and the dashes
// ‐ ‑ ‒ – — ― − → -. ASCII words take a fast path (lower-casing) with the same result.
void normalize_word(std::string_view word, std::string &out);
std::string normalize_word(std::string_view word);

// Splits `text` (valid UTF-8) into tokens: the segments ICU's word break iterator marks as
// words (letters, numbers, kana, ideographs; CJK and Thai through ICU's dictionaries).
// Punctuation, symbols and spaces are not tokens. When `normalized` is not null it receives
// each token's normalized form, back to back, with `norm_offsets` (size tokens+1) into it; with
// `spaced`, each form is followed by one space (token k's form ends at norm_offsets[k+1] - 1), so
// that n tokens joined by spaces, as a shingle hashes them, are one substring (shingle_spaced).
// Documents of 2 GiB or more (ICU's limit) are rejected with std::length_error.
void tokenize(std::string_view text, std::vector<Token> &tokens, std::string *normalized = nullptr,
              std::vector<std::uint32_t> *norm_offsets = nullptr, bool spaced = false);

// The tokens of tokenize with hash 0: their bounds alone, found for less (ASCII words are neither
// folded nor hashed).
void token_bounds(std::string_view text, std::vector<Token> &tokens);

// The reference for tokenize: ICU's word break iterator over the whole text and normalize_word
// on every word. tokenize gives exactly its output, faster (it leaves to ICU only the stretches
// of text that hold characters outside its rules); tests and benchmarks compare the two.
void tokenize_icu(std::string_view text, std::vector<Token> &tokens, std::string *normalized = nullptr,
                  std::vector<std::uint32_t> *norm_offsets = nullptr);

// Converts sorted byte offsets into code-point offsets in one pass over `text`.
// `byte_offsets` must be non-decreasing and within [0, text.size()].
void bytes_to_code_points(std::string_view text, const std::uint32_t *byte_offsets, std::size_t count,
                          std::int64_t *out);

// Converts any set of byte offsets (in any order) into code-point offsets, in place, with one
// linear pass over `text` after sorting.
void bytes_to_code_points_unsorted(std::string_view text, std::vector<std::int64_t> &offsets);

} // namespace storytrace

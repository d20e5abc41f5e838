// Stage 2: shingles. XXH3-64 over `ngram` consecutive normalized tokens joined by one space.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "storytrace/common.hpp"
#include "storytrace/forms.hpp"
#include "storytrace/text.hpp"

namespace storytrace {

// A shingle's hash: XXH3-64 with seed kHashSeed over the UTF-8 bytes of its `ngram` normalized
// tokens joined by single spaces (0x20). This definition is part of the index file format.
std::uint64_t hash_shingle(const std::string &normalized, const std::uint32_t *norm_offsets, std::size_t first,
                           std::size_t ngram, std::string &scratch);

// All shingle hashes of one tokenized text: max(0, tokens - ngram + 1) of them, in order.
void shingle(const std::string &normalized, const std::vector<std::uint32_t> &norm_offsets, std::size_t ngram,
             std::vector<std::uint64_t> &out);

// The same from tokenize's spaced output (each normalized form followed by a space), without a
// copy: shingle i is the substring from token i to the end of token i + ngram - 1.
void shingle_spaced(std::string_view spaced, const std::vector<std::uint32_t> &norm_offsets, std::size_t ngram,
                    std::vector<std::uint64_t> &out);

// The distinct unmasked hashes among shingles[0, n) (mask may be null), sorted.
void distinct_shingles(const std::uint64_t *shingles, std::size_t n, const std::uint8_t *mask,
                       std::vector<std::uint64_t> &out);

// Positions 0..n-1 of `shingles` ordered by (hash, position); n at most kMaxOrdered.
inline constexpr std::size_t kMaxOrdered = std::size_t{1} << 16;
void shingle_order(const std::uint64_t *shingles, std::size_t n, std::uint16_t *out);

// Tokens and shingles of a whole corpus, in flat arrays.
struct Tokenized {
  std::size_t ngram = 0;
  std::vector<std::uint64_t> tok_begin; // size n+1: tokens of document d are [tok_begin[d], tok_begin[d+1])
  // Every document's tokens, or empty when tokenize_corpus was asked not to keep so many (trace,
  // on a large corpus: at 16 bytes a token they would be the largest array; the few stages that
  // need a document's tokens tokenize it again, which gives the same tokens). tok_begin is there
  // either way.
  uninit_vector<Token> tokens;
  std::vector<std::uint64_t> sh_begin;   // size n+1: shingles of document d
  uninit_vector<std::uint64_t> shingles; // shingle i of d starts at token i of d
  // Empty, or parallel to `shingles`: each document's shingle positions ordered by (hash,
  // position), so that the stages that want a document's shingles sorted need not sort them.
  // Positions take 16 bits: a document of more than kMaxOrdered shingles (a few hundred KB of
  // text) has no order (its stretch is left zero) and is sorted where it is read.
  uninit_vector<std::uint16_t> sh_order;
  // How many documents hold each word form (the rewrite scorer's weights).
  FormCounts forms;
  // Every document's form sample (in_sample), as keys, distinct and ascending: document d's are
  // sample[sample_begin[d], sample_begin[d + 1]).
  std::vector<std::uint64_t> sample_begin;
  uninit_vector<std::uint32_t> sample;

  std::size_t size() const { return tok_begin.empty() ? 0 : tok_begin.size() - 1; }
  std::size_t token_count(std::size_t d) const { return tok_begin[d + 1] - tok_begin[d]; }
  std::size_t shingle_count(std::size_t d) const { return sh_begin[d + 1] - sh_begin[d]; }
  std::span<const std::uint32_t> sample_of(std::size_t d) const {
    return {sample.data() + sample_begin[d], sample_begin[d + 1] - sample_begin[d]};
  }
  // Whether sh_order holds document d's order.
  bool ordered(std::size_t d) const { return !sh_order.empty() && shingle_count(d) <= kMaxOrdered; }
};

// The distinct unmasked hashes of document d (mask relative to the document, may be null) whose
// top byte is in [lo, hi), sorted: from tok.sh_order when it is there, else by sorting.
void distinct_shingles(const Tokenized &tok, std::size_t d, const std::uint8_t *mask, std::vector<std::uint64_t> &out,
                       std::size_t lo = 0, std::size_t hi = 256);

// Tokenizes and shingles every document, in parallel, and orders each one's shingles (sh_order);
// the result does not depend on `threads`. The tokens are kept when they take at most
// `keep_tokens_bytes`; otherwise `tokens` is left empty (the tokens of the first blocks are
// dropped as soon as the whole is seen, or estimated, to be more).
Tokenized tokenize_corpus(const CorpusView &corpus, std::size_t ngram, std::size_t threads,
                          const Progress *progress = nullptr, std::size_t keep_tokens_bytes = SIZE_MAX);

// Document d's tokens: a view of tok.tokens when they were kept, else `text` (document d's
// UTF-8, as CorpusView::doc gives it) tokenized again into `scratch` (the same tokens, as
// tokenize is deterministic). Without `hashes`, tokens tokenized again have hash 0 (token_bounds).
// Throws std::invalid_argument when the text has not tok's count of tokens (tok was made for another).
std::span<const Token> doc_tokens(const Tokenized &tok, std::string_view text, std::size_t d,
                                  std::vector<Token> &scratch, bool hashes = true);

} // namespace storytrace

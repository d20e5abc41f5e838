// Stage 3: the boilerplate model. Text an outlet repeats across its own articles.
#pragma once

#include <cstdint>
#include <vector>

#include "storytrace/common.hpp"
#include "storytrace/shingle.hpp"

namespace storytrace {

// Marks (mask[i] = 1) every shingle that its document's outlet uses in at least
// max(min_docs, ceil(min_share * documents of the outlet)) distinct documents of its own.
// Documents without an outlet learn nothing and lose nothing. Counting is per outlet: a story
// that many outlets each print once is never boilerplate, and the share keeps a story that a
// large outlet re-issued a few times from being taken for its page chrome.
std::vector<std::uint8_t> learn_boilerplate(const CorpusView &corpus, const Tokenized &tok, std::size_t min_docs,
                                            double min_share, std::size_t threads, const Progress *progress = nullptr);

// Per token of document d, 1 when a masked shingle covers it (boilerplate); `mask` may be empty.
void token_mask(const Tokenized &tok, const std::vector<std::uint8_t> &mask, std::size_t d,
                std::vector<std::uint8_t> &out);

// Number of tokens of document d covered by at least one masked shingle: all of them, or those in
// [begin, end).
std::size_t masked_tokens(const Tokenized &tok, const std::vector<std::uint8_t> &mask, std::size_t d);
std::size_t masked_tokens(const Tokenized &tok, const std::vector<std::uint8_t> &mask, std::size_t d, std::size_t begin,
                          std::size_t end);

} // namespace storytrace

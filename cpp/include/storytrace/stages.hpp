// Every stage of trace as a function of its own, over the tables the stages before it made:
//
//   tokenize ─► boilerplate ─► postings ─► candidates ─► align ─► attribute ─► offsets
//   credits (from the texts alone) ────────────────────────────────────┘
//
// align_corpus, attribute_corpus and trace (pipeline.hpp) are their composition, and give the
// same tables whichever way the stages are run: in one call, one by one, or from tables saved and
// read back. Each stage that reads a table made elsewhere checks it against the corpus first
// (check_*), so a damaged or foreign table is a std::invalid_argument, never a read out of bounds.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "storytrace/attribute.hpp"
#include "storytrace/common.hpp"
#include "storytrace/credits.hpp"
#include "storytrace/index.hpp"
#include "storytrace/options.hpp"
#include "storytrace/shingle.hpp"
#include "storytrace/types.hpp"

namespace storytrace {

// The boilerplate model's table: per shingle, whether it is its outlet's boilerplate (parallel to
// Tokenized::shingles; empty when nothing is), and per document its tokens and how many of them
// a masked shingle covers.
struct BoilerplateTable {
  std::vector<std::uint8_t> mask;
  std::vector<std::uint32_t> tokens, boilerplate_tokens;
};

// The agencies each document credits, distinct, in text order (CSR: document d's are
// agency[begin[d], begin[d + 1]), as indices of the alias table's agencies()).
struct CreditTable {
  std::vector<std::uint64_t> begin;
  std::vector<std::int32_t> agency;
};

// Code-point and UTF-8 byte offsets of passages' spans, parallel to the passages.
struct PassageOffsets {
  std::vector<std::int64_t> a_start, a_end, b_start, b_end;
  std::vector<std::int64_t> a_byte_start, a_byte_end, b_byte_start, b_byte_end;
};

// trace keeps every document's tokens (for rewrites and offsets) when they fit in this much, as
// they do up to about 150,000 news articles; a larger corpus is tokenized again where needed.
inline constexpr std::size_t kKeepTokensBytes = std::size_t{512} << 20;

// What each stage reads: the stages whose tables it takes and the options (TraceOptions fields,
// threads aside) that change its table. A runner that saves tables (storytrace.Stages) reruns a
// stage when one of these, or the corpus, changed, and reads its saved table otherwise.
struct StageInfo {
  std::string_view name;
  std::vector<std::string_view> inputs, options;
};
const std::vector<StageInfo> &stage_catalog();

Tokenized tokenize_stage(const CorpusView &corpus, const TraceOptions &options, const Progress *progress = nullptr,
                         std::size_t keep_tokens_bytes = kKeepTokensBytes);
BoilerplateTable boilerplate_stage(const CorpusView &corpus, const Tokenized &tok, const TraceOptions &options,
                                   const Progress *progress = nullptr);
CreditTable credits_stage(const CorpusView &corpus, const AliasTable &aliases, const TraceOptions &options,
                          const Progress *progress = nullptr);
// Holders are time ranks (time_rank(corpus)).
Postings postings_stage(const CorpusView &corpus, const Tokenized &tok, const BoilerplateTable &boilerplate,
                        const TraceOptions &options, const Progress *progress = nullptr);
std::vector<Candidate> candidates_stage(const CorpusView &corpus, const Tokenized &tok,
                                        const BoilerplateTable &boilerplate, const Postings &postings,
                                        const TraceOptions &options, const Progress *progress = nullptr);
// The passages of every candidate pair (verbatim, then rewrites when options.rewrites), each with
// the boilerplate tokens of its two sides.
std::vector<Passage> align_stage(const CorpusView &corpus, const Tokenized &tok, const BoilerplateTable &boilerplate,
                                 const std::vector<Candidate> &candidates, const TraceOptions &options,
                                 const Progress *progress = nullptr);
// Attribution of the aligned passages. `agencies` is the number of agencies credits may name.
Attribution attribute_stage(const CorpusView &corpus, const BoilerplateTable &boilerplate, const CreditTable &credits,
                            std::vector<Passage> passages, const TraceOptions &options,
                            const Progress *progress = nullptr, std::size_t agencies = SIZE_MAX);
// Offsets of the passages' token spans in their documents' texts, one pass over each text.
// tok needs only tok_begin (and ngram): documents are tokenized again when their tokens are not kept.
PassageOffsets offsets_stage(const CorpusView &corpus, const Tokenized &tok, const std::vector<Passage> &passages,
                             const TraceOptions &options, const Progress *progress = nullptr);

// The checks a table read back from elsewhere passes before a stage reads it; each throws
// std::invalid_argument saying what is wrong.
// The options are valid, and the corpus's columns have one entry per document.
void check_corpus(const CorpusView &corpus, const TraceOptions &options);
// tok_begin, sh_begin and shingles fit each other, the corpus and options.ngram; tokens are kept or empty.
void check_tokenized(const CorpusView &corpus, const Tokenized &tok, const TraceOptions &options);
// The per-document counts alone (attribution reads no more of the table), then with the mask and
// the token counts against the tokens table.
void check_boilerplate_counts(const CorpusView &corpus, const BoilerplateTable &boilerplate);
void check_boilerplate(const CorpusView &corpus, const Tokenized &tok, const BoilerplateTable &boilerplate);
void check_credits(const CorpusView &corpus, const CreditTable &credits, std::size_t agencies);
// Hashes strictly ascending, holders in range and ascending within each hash.
void check_postings(const CorpusView &corpus, const Postings &postings);
// Pairs of distinct documents of the corpus, strictly ascending by (second, first).
void check_candidates(const CorpusView &corpus, const std::vector<Candidate> &candidates);
// Spans inside their documents' tokens (token counts from `tokens`, one per document).
void check_passages(const CorpusView &corpus, const std::vector<std::uint32_t> &tokens,
                    const std::vector<Passage> &passages);
// Every document's token count, as check_passages takes them.
std::vector<std::uint32_t> token_counts(const Tokenized &tok);

} // namespace storytrace

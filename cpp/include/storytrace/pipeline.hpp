// The in-process engine: every stage in order, on a thread pool.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "storytrace/align.hpp"
#include "storytrace/attribute.hpp"
#include "storytrace/boilerplate.hpp"
#include "storytrace/common.hpp"
#include "storytrace/credits.hpp"
#include "storytrace/index.hpp"
#include "storytrace/options.hpp"
#include "storytrace/rewrite.hpp"
#include "storytrace/shingle.hpp"
#include "storytrace/stages.hpp"

namespace storytrace {

// Every stage's output, in one; its base holds the code-point and byte offsets of every passage,
// parallel to attribution.passages.
struct TraceResult : PassageOffsets {
  Tokenized tok;
  std::vector<std::uint32_t> tokens;             // per doc
  std::vector<std::uint32_t> boilerplate_tokens; // per doc
  std::vector<std::uint64_t> credit_begin;       // CSR, size docs+1
  std::vector<std::int32_t> credit_agency;       // distinct per doc, text order
  std::vector<Candidate> candidates;
  Attribution attribution;
};

TraceResult trace(const CorpusView &corpus, const AliasTable &aliases, const TraceOptions &options,
                  const Progress *progress = nullptr);

// trace in two halves, with a table between them that can be saved and read back (a checkpoint).
// align_corpus runs tokenize, boilerplate, credits, postings, candidates and align; what it leaves
// in the TraceResult (tok, tokens, boilerplate_tokens, credits, candidates, and the passages, with
// their boilerplate counts, in attribution.passages) is all attribute_corpus reads.
// attribute_corpus runs attribute and offsets: on align_corpus's result, or on one made from
// saved tables (tok then needs only tok_begin, from the token counts: offsets tokenize again).
// attribute_corpus frees what else tok holds (shingles, their order, form counts and sample).
// trace(c, ...) is attribute_corpus(c, align_corpus(c, ...), ...).
TraceResult align_corpus(const CorpusView &corpus, const AliasTable &aliases, const TraceOptions &options,
                         const Progress *progress = nullptr);
// Throws std::invalid_argument when the tables do not fit the corpus (a passage outside its
// documents' tokens, a count or credit out of range): a damaged or foreign checkpoint.
void attribute_corpus(const CorpusView &corpus, TraceResult &r, const TraceOptions &options,
                      const Progress *progress = nullptr, std::size_t agencies = SIZE_MAX);

// Two texts side by side.
struct Comparison {
  std::uint32_t a_tokens = 0, b_tokens = 0;
  double a_in_b = 0, b_in_a = 0, jaccard = 0;
  std::vector<Span> spans;                                  // token spans, sorted by a_begin
  std::vector<std::int64_t> a_start, a_end, b_start, b_end; // code points, parallel to spans
};

// `counts` (may be null): how many documents of a corpus the two texts are in hold each word form,
// as trace weighs rewrites by them (the tokenize stage's Tokenized::forms).
Comparison compare(std::string_view a, std::string_view b, const TraceOptions &options,
                   const FormCounts *counts = nullptr);

// Code-point offsets for token spans of one document, in one pass over its text.
// begin/end are token indices; out receives 2 offsets per span (start, end).
void span_code_points(std::string_view text, const Token *tokens, const std::uint32_t *begins,
                      const std::uint32_t *ends, std::size_t count, std::int64_t *starts_out, std::int64_t *ends_out,
                      std::int64_t *byte_starts_out = nullptr, std::int64_t *byte_ends_out = nullptr);

} // namespace storytrace

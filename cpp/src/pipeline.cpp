#include "storytrace/pipeline.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <unordered_set>

#include "storytrace/stages.hpp"

namespace storytrace {

void span_code_points(std::string_view text, const Token *tokens, const std::uint32_t *begins,
                      const std::uint32_t *ends, std::size_t count, std::int64_t *starts_out, std::int64_t *ends_out,
                      std::int64_t *byte_starts_out, std::int64_t *byte_ends_out) {
  std::vector<std::int64_t> offsets(2 * count);
  for (std::size_t k = 0; k < count; ++k) {
    offsets[2 * k] = tokens[begins[k]].start;
    offsets[2 * k + 1] = tokens[ends[k] - 1].end;
  }
  if (byte_starts_out)
    for (std::size_t k = 0; k < count; ++k) byte_starts_out[k] = offsets[2 * k], byte_ends_out[k] = offsets[2 * k + 1];
  bytes_to_code_points_unsorted(text, offsets);
  for (std::size_t k = 0; k < count; ++k) starts_out[k] = offsets[2 * k], ends_out[k] = offsets[2 * k + 1];
}

namespace {

// Frees what of the tokens table only the aligning stages read (see attribute_corpus).
void release_aligning(Tokenized &tok) {
  release(tok.shingles);
  release(tok.sh_order);
  tok.forms = FormCounts();
  release(tok.sample);
  release(tok.sample_begin);
}

} // namespace

TraceResult align_corpus(const CorpusView &corpus, const AliasTable &aliases, const TraceOptions &options,
                         const Progress *progress) {
  check_corpus(corpus, options);
  TraceResult r;
  r.tok = tokenize_stage(corpus, options, progress);
  BoilerplateTable bp = boilerplate_stage(corpus, r.tok, options, progress);
  CreditTable credits = credits_stage(corpus, aliases, options, progress);
  {
    const Postings postings = postings_stage(corpus, r.tok, bp, options, progress);
    r.candidates = candidates_stage(corpus, r.tok, bp, postings, options, progress);
  }
  // The form sample has served (candidates alone read it).
  release(r.tok.sample);
  release(r.tok.sample_begin);
  r.attribution.passages = align_stage(corpus, r.tok, bp, r.candidates, options, progress);
  r.tokens = std::move(bp.tokens);
  r.boilerplate_tokens = std::move(bp.boilerplate_tokens);
  r.credit_begin = std::move(credits.begin);
  r.credit_agency = std::move(credits.agency);
  return r;
}

void attribute_corpus(const CorpusView &corpus, TraceResult &r, const TraceOptions &options, const Progress *progress,
                      std::size_t agencies) {
  check_corpus(corpus, options);
  const std::size_t n = corpus.size();
  if (r.tok.size() != n) throw std::invalid_argument("the tokens table must have one entry per document");
  // Of the tokens table, attribution and offsets read the token counts, and offsets the tokens (or
  // tokenize again): the rest, the largest arrays of a trace, is freed before they build theirs.
  release_aligning(r.tok);
  BoilerplateTable bp{{}, std::move(r.tokens), std::move(r.boilerplate_tokens)};
  check_boilerplate(corpus, r.tok, bp); // the counts read back agree with the tokens table
  CreditTable credits{std::move(r.credit_begin), std::move(r.credit_agency)};
  r.attribution = attribute_stage(corpus, bp, credits, std::move(r.attribution.passages), options, progress, agencies);
  static_cast<PassageOffsets &>(r) = offsets_stage(corpus, r.tok, r.attribution.passages, options, progress);
  r.tokens = std::move(bp.tokens);
  r.boilerplate_tokens = std::move(bp.boilerplate_tokens);
  r.credit_begin = std::move(credits.begin);
  r.credit_agency = std::move(credits.agency);
}

TraceResult trace(const CorpusView &corpus, const AliasTable &aliases, const TraceOptions &options,
                  const Progress *progress) {
  TraceResult r = align_corpus(corpus, aliases, options, progress);
  attribute_corpus(corpus, r, options, progress);
  return r;
}

Comparison compare(std::string_view a, std::string_view b, const TraceOptions &options, const FormCounts *counts) {
  options.validate();
  Comparison c;
  std::vector<Token> ta, tb;
  std::string na, nb;
  std::vector<std::uint32_t> oa, ob;
  tokenize(a, ta, &na, &oa);
  tokenize(b, tb, &nb, &ob);
  std::vector<std::uint64_t> sa, sb;
  shingle(na, oa, options.ngram, sa);
  shingle(nb, ob, options.ngram, sb);
  c.a_tokens = static_cast<std::uint32_t>(ta.size());
  c.b_tokens = static_cast<std::uint32_t>(tb.size());
  c.spans = align(sa.data(), sa.size(), nullptr, sb.data(), sb.size(), nullptr, options.align_options());
  if (options.rewrites)
    apply_rewrites(c.spans, find_rewrites(a, ta.data(), ta.size(), nullptr, b, tb.data(), tb.size(), nullptr, c.spans,
                                          options.rewrite_options(), counts));
  std::sort(c.spans.begin(), c.spans.end(), [](const Span &x, const Span &y) { return x.a_begin < y.a_begin; });
  // A rewritten passage counts as one copied, as in trace's reuse_share.
  double in_a = 0, in_b = 0;
  for (const Span &s : c.spans) in_a += s.a_end - s.a_begin, in_b += s.b_end - s.b_begin;
  c.a_in_b = ta.empty() ? 0.0 : std::min(1.0, in_a / static_cast<double>(ta.size()));
  c.b_in_a = tb.empty() ? 0.0 : std::min(1.0, in_b / static_cast<double>(tb.size()));
  {
    std::unordered_set<std::uint64_t> set_a(sa.begin(), sa.end()), set_b(sb.begin(), sb.end());
    std::size_t inter = 0;
    for (std::uint64_t h : set_a) inter += set_b.count(h);
    const std::size_t uni = set_a.size() + set_b.size() - inter;
    c.jaccard = uni == 0 ? 0.0 : static_cast<double>(inter) / static_cast<double>(uni);
  }
  const std::size_t m = c.spans.size();
  std::vector<std::uint32_t> ab(m), ae(m), bb(m), be(m);
  for (std::size_t k = 0; k < m; ++k)
    ab[k] = c.spans[k].a_begin, ae[k] = c.spans[k].a_end, bb[k] = c.spans[k].b_begin, be[k] = c.spans[k].b_end;
  for (auto *v : {&c.a_start, &c.a_end, &c.b_start, &c.b_end}) v->assign(m, 0);
  span_code_points(a, ta.data(), ab.data(), ae.data(), m, c.a_start.data(), c.a_end.data());
  span_code_points(b, tb.data(), bb.data(), be.data(), m, c.b_start.data(), c.b_end.data());
  return c;
}

} // namespace storytrace

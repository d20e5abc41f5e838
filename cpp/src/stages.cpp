#include "storytrace/stages.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "storytrace/align.hpp"
#include "storytrace/boilerplate.hpp"
#include "storytrace/pipeline.hpp"
#include "storytrace/rewrite.hpp"

namespace storytrace {

namespace {

[[noreturn]] void bad(const std::string &what) { throw std::invalid_argument(what); }

std::size_t threads_of(const TraceOptions &options) { return detail::resolve_threads(options.threads); }

} // namespace

Tokenized tokenize_stage(const CorpusView &corpus, const TraceOptions &options, const Progress *progress,
                         std::size_t keep_tokens_bytes) {
  return tokenize_corpus(corpus, options.ngram, threads_of(options), progress, keep_tokens_bytes);
}

BoilerplateTable boilerplate_stage(const CorpusView &corpus, const Tokenized &tok, const TraceOptions &options,
                                   const Progress *progress) {
  const std::size_t n = corpus.size(), threads = threads_of(options);
  BoilerplateTable bp;
  bp.mask =
      learn_boilerplate(corpus, tok, options.boilerplate_min_docs, options.boilerplate_min_share, threads, progress);
  bp.tokens.resize(n);
  bp.boilerplate_tokens.resize(n);
  detail::parallel_for(n, threads, 4096, [&](std::size_t d) {
    bp.tokens[d] = static_cast<std::uint32_t>(tok.token_count(d));
    bp.boilerplate_tokens[d] = static_cast<std::uint32_t>(masked_tokens(tok, bp.mask, d));
  });
  return bp;
}

CreditTable credits_stage(const CorpusView &corpus, const AliasTable &aliases, const TraceOptions &options,
                          const Progress *progress) {
  // Distinct per document in text order, found in blocks of documents.
  constexpr std::size_t kBlock = 1024;
  const std::size_t n = corpus.size();
  const std::size_t blocks = (n + kBlock - 1) / kBlock;
  std::vector<std::vector<std::int32_t>> agencies(blocks);
  std::vector<std::vector<std::uint32_t>> counts(blocks);
  detail::parallel_for(
      blocks, threads_of(options), 1,
      [&](std::size_t b) {
        std::string text;
        for (std::size_t d = b * kBlock; d < std::min(n, (b + 1) * kBlock); ++d) {
          const std::size_t first = agencies[b].size();
          for (const Credit &c : find_credits(corpus.doc(d, text), aliases))
            if (std::find(agencies[b].begin() + static_cast<std::ptrdiff_t>(first), agencies[b].end(), c.agency) ==
                agencies[b].end())
              agencies[b].push_back(c.agency);
          counts[b].push_back(static_cast<std::uint32_t>(agencies[b].size() - first));
        }
      },
      progress, "credits");
  CreditTable out;
  out.begin.assign(n + 1, 0);
  std::size_t d = 0;
  for (std::size_t b = 0; b < blocks; ++b) {
    for (std::uint32_t c : counts[b]) out.begin[d + 1] = out.begin[d] + c, ++d;
    out.agency.insert(out.agency.end(), agencies[b].begin(), agencies[b].end());
  }
  return out;
}

Postings postings_stage(const CorpusView &corpus, const Tokenized &tok, const BoilerplateTable &boilerplate,
                        const TraceOptions &options, const Progress *progress) {
  return build_postings(tok, boilerplate.mask, time_rank(corpus), threads_of(options), progress, options.fanout);
}

std::vector<Candidate> candidates_stage(const CorpusView &corpus, const Tokenized &tok,
                                        const BoilerplateTable &boilerplate, const Postings &postings,
                                        const TraceOptions &options, const Progress *progress) {
  const std::vector<std::uint32_t> rank = time_rank(corpus);
  const bool by_forms = options.rewrites && options.rewrite_pairs;
  // With forms, two passes over the documents, reported as one.
  const std::size_t blocks = (corpus.size() + kCandidateBlock - 1) / kCandidateBlock, passes = by_forms ? 2 : 1;
  const Progress first = detail::progress_from(progress, 0, passes * blocks);
  std::vector<Candidate> shingles =
      find_candidates(tok, boilerplate.mask, postings, rank, CandidateOptions{options.fanout, options.min_shared},
                      threads_of(options), progress ? &first : nullptr);
  if (!by_forms) return shingles;
  const Progress second = detail::progress_from(progress, blocks, passes * blocks);
  const std::vector<Candidate> forms =
      find_form_candidates(tok, rank, FormCandidateOptions{}, threads_of(options), progress ? &second : nullptr);
  return merge_candidates(shingles, forms);
}

std::vector<Passage> align_stage(const CorpusView &corpus, const Tokenized &tok, const BoilerplateTable &boilerplate,
                                 const std::vector<Candidate> &candidates, const TraceOptions &options,
                                 const Progress *progress) {
  const std::size_t threads = threads_of(options);
  const std::vector<std::uint8_t> &mask = boilerplate.mask;
  const RewriteOptions rewrite = options.rewrite_options();
  std::vector<Passage> passages =
      align_candidates(tok, mask, candidates, options.align_options(), threads, progress, &corpus,
                       options.rewrites ? &rewrite : nullptr, options.cache_mb << 20);
  // The boilerplate inside each passage, on each side: containment counts the text outside it.
  if (!mask.empty())
    detail::parallel_for(passages.size(), threads, 4096, [&](std::size_t k) {
      Passage &p = passages[k];
      p.a_boilerplate = static_cast<std::uint32_t>(masked_tokens(tok, mask, p.a, p.span.a_begin, p.span.a_end));
      p.b_boilerplate = static_cast<std::uint32_t>(masked_tokens(tok, mask, p.b, p.span.b_begin, p.span.b_end));
    });
  return passages;
}

Attribution attribute_stage(const CorpusView &corpus, const BoilerplateTable &boilerplate, const CreditTable &credits,
                            std::vector<Passage> passages, const TraceOptions &options, const Progress *progress,
                            std::size_t agencies) {
  const std::size_t n = corpus.size();
  check_boilerplate_counts(corpus, boilerplate);
  check_credits(corpus, credits, agencies);
  check_passages(corpus, boilerplate.tokens, passages);
  std::vector<std::int32_t> doc_agency(n, kNone);
  for (std::size_t d = 0; d < n; ++d)
    if (corpus.outlet[d] >= 0 && static_cast<std::size_t>(corpus.outlet[d]) < corpus.outlet_agency.size())
      doc_agency[d] = corpus.outlet_agency[static_cast<std::size_t>(corpus.outlet[d])];
  AttributeInput in;
  in.docs = n;
  const std::vector<TimeRange> times = corpus.times();
  in.time = times.data();
  in.outlet_agency = doc_agency.data();
  in.credit_begin = credits.begin.data();
  in.credit_agency = credits.agency.data();
  in.tokens = boilerplate.tokens.data();
  in.boilerplate = boilerplate.boilerplate_tokens.data();
  in.global_id = corpus.global_id.empty() ? nullptr : corpus.global_id.data();
  in.progress = progress; // reported from the calling thread
  in.threads = threads_of(options);
  return attribute(in, std::move(passages), options.attribute_options());
}

PassageOffsets offsets_stage(const CorpusView &corpus, const Tokenized &tok, const std::vector<Passage> &ps,
                             const TraceOptions &options, const Progress *progress) {
  const std::size_t m = ps.size(), n = corpus.size();
  if (tok.size() != n) bad("the tokens table must have one entry per document");
  check_passages(corpus, token_counts(tok), ps);
  PassageOffsets r;
  for (auto *v :
       {&r.a_start, &r.a_end, &r.b_start, &r.b_end, &r.a_byte_start, &r.a_byte_end, &r.b_byte_start, &r.b_byte_end})
    v->assign(m, 0);
  // Every document's passage ends, in CSR form: (passage, side).
  std::vector<std::uint64_t> begin(n + 1, 0);
  for (const Passage &p : ps) ++begin[p.a + 1], ++begin[p.b + 1];
  for (std::size_t d = 0; d < n; ++d) begin[d + 1] += begin[d];
  std::vector<std::uint64_t> refs(begin[n]);
  {
    std::vector<std::uint64_t> fill(begin.begin(), begin.end() - 1);
    for (std::size_t k = 0; k < m; ++k) {
      refs[fill[ps[k].a]++] = 2 * k;
      refs[fill[ps[k].b]++] = 2 * k + 1;
    }
  }
  detail::parallel_for(
      n, threads_of(options), 256,
      [&](std::size_t d) {
        if (begin[d] == begin[d + 1]) return;
        // The document's spans, whichever side of their passage it is on, converted in one pass.
        const std::size_t count = begin[d + 1] - begin[d];
        std::vector<std::uint32_t> tb(count), te(count);
        for (std::size_t j = 0; j < count; ++j) {
          const std::uint64_t ref = refs[begin[d] + j];
          const Span &s = ps[ref / 2].span;
          tb[j] = ref & 1 ? s.b_begin : s.a_begin;
          te[j] = ref & 1 ? s.b_end : s.a_end;
        }
        std::vector<std::int64_t> cs(count), ce(count), bs(count), be(count);
        std::vector<Token> scratch;
        std::string utf8;
        const std::string_view text = corpus.doc(d, utf8);
        const std::span<const Token> toks = doc_tokens(tok, text, d, scratch, /*hashes=*/false);
        span_code_points(text, toks.data(), tb.data(), te.data(), count, cs.data(), ce.data(), bs.data(), be.data());
        for (std::size_t j = 0; j < count; ++j) {
          const std::uint64_t ref = refs[begin[d] + j];
          const std::size_t k = ref / 2;
          if (ref & 1) {
            r.b_start[k] = cs[j], r.b_end[k] = ce[j], r.b_byte_start[k] = bs[j], r.b_byte_end[k] = be[j];
          } else {
            r.a_start[k] = cs[j], r.a_end[k] = ce[j], r.a_byte_start[k] = bs[j], r.a_byte_end[k] = be[j];
          }
        }
      },
      progress, "offsets");
  return r;
}

// Kept beside the stage functions above: each list names what its function reads.
const std::vector<StageInfo> &stage_catalog() {
  static const std::vector<StageInfo> catalog{
      {"tokenize", {}, {"ngram"}},
      {"boilerplate", {"tokenize"}, {"boilerplate_min_docs", "boilerplate_min_share"}},
      {"credits", {}, {}},
      {"postings", {"tokenize", "boilerplate"}, {"fanout"}},
      {"candidates", {"tokenize", "boilerplate", "postings"}, {"fanout", "min_shared", "rewrites", "rewrite_pairs"}},
      {"align",
       {"tokenize", "boilerplate", "candidates"},
       {"min_tokens", "max_gap", "rewrites", "rewrite_similarity", "vocabulary_share"}},
      {"attribute",
       {"boilerplate", "credits", "align"},
       {"wholly", "containment_margin", "closer", "own_text", "own_text_holders", "own_text_slack"}},
      {"offsets", {"tokenize", "attribute"}, {}},
  };
  return catalog;
}

void check_corpus(const CorpusView &corpus, const TraceOptions &options) {
  options.validate();
  const std::size_t n = corpus.size();
  if (corpus.published.size() != n || corpus.outlet.size() != n)
    bad("published and outlet must have one entry per document");
  if (!corpus.day_only.empty() && corpus.day_only.size() != n)
    bad("day_only must be empty or have one entry per document");
  if (!corpus.global_id.empty() && corpus.global_id.size() != n)
    bad("global_id must be empty or have one entry per document");
}

void check_tokenized(const CorpusView &corpus, const Tokenized &tok, const TraceOptions &options) {
  const std::size_t n = corpus.size();
  if (tok.ngram != options.ngram)
    bad("the tokens table was made with ngram=" + std::to_string(tok.ngram) + ", not " + std::to_string(options.ngram));
  if (tok.tok_begin.size() != n + 1 || tok.sh_begin.size() != n + 1)
    bad("the tokens table must have one entry per document");
  if (tok.tok_begin[0] != 0 || tok.sh_begin[0] != 0) bad("the tokens table's offsets must start at 0");
  for (std::size_t d = 0; d < n; ++d) {
    if (tok.tok_begin[d + 1] < tok.tok_begin[d] || tok.sh_begin[d + 1] < tok.sh_begin[d])
      bad("the tokens table's offsets must not decrease");
    const std::size_t t = tok.token_count(d);
    if (tok.shingle_count(d) != (t >= tok.ngram ? t - tok.ngram + 1 : 0))
      bad("document " + std::to_string(d) + " has " + std::to_string(tok.shingle_count(d)) + " shingles for its " +
          std::to_string(t) + " tokens, not tokens - ngram + 1");
    if (t > UINT32_MAX) bad("document " + std::to_string(d) + " has more than 2**32 tokens");
  }
  if (tok.sh_begin[n] != tok.shingles.size())
    bad("the tokens table has " + std::to_string(tok.shingles.size()) + " shingles, its token counts make " +
        std::to_string(tok.sh_begin[n]) + " with ngram=" + std::to_string(tok.ngram) +
        " (a table made with another ngram, or damaged)");
  if (!tok.tokens.empty() && tok.tokens.size() != tok.tok_begin[n]) bad("the tokens do not fit their offsets");
  if (!tok.sh_order.empty() && tok.sh_order.size() != tok.shingles.size())
    bad("the shingle order does not fit the shingles");
  if (!tok.sample_begin.empty()) {
    if (tok.sample_begin.size() != n + 1 || tok.sample_begin[0] != 0 || tok.sample_begin[n] != tok.sample.size())
      bad("the tokens table's form sample does not fit its documents");
    for (std::size_t d = 0; d < n; ++d) {
      if (tok.sample_begin[d + 1] < tok.sample_begin[d]) bad("the tokens table's sample offsets must not decrease");
      const auto keys = tok.sample_of(d);
      for (std::size_t i = 1; i < keys.size(); ++i)
        if (keys[i] <= keys[i - 1])
          bad("document " + std::to_string(d) + "'s form sample must be distinct and ascending");
    }
  }
}

void check_boilerplate_counts(const CorpusView &corpus, const BoilerplateTable &bp) {
  const std::size_t n = corpus.size();
  if (bp.tokens.size() != n || bp.boilerplate_tokens.size() != n)
    bad("the boilerplate table must have one entry per document");
  for (std::size_t d = 0; d < n; ++d)
    if (bp.boilerplate_tokens[d] > bp.tokens[d])
      bad("document " + std::to_string(d) + " has more boilerplate tokens than tokens");
}

void check_boilerplate(const CorpusView &corpus, const Tokenized &tok, const BoilerplateTable &bp) {
  check_boilerplate_counts(corpus, bp);
  if (!bp.mask.empty() && bp.mask.size() != tok.shingles.size())
    bad("the boilerplate mask must have one entry per shingle of the tokens table");
  for (std::size_t d = 0; d < corpus.size(); ++d)
    if (bp.tokens[d] != tok.token_count(d))
      bad("document " + std::to_string(d) + " has " + std::to_string(bp.tokens[d]) +
          " tokens in the boilerplate table, " + std::to_string(tok.token_count(d)) + " in the tokens table");
}

std::vector<std::uint32_t> token_counts(const Tokenized &tok) {
  std::vector<std::uint32_t> counts(tok.size());
  for (std::size_t d = 0; d < counts.size(); ++d) counts[d] = static_cast<std::uint32_t>(tok.token_count(d));
  return counts;
}

void check_credits(const CorpusView &corpus, const CreditTable &credits, std::size_t agencies) {
  const std::size_t n = corpus.size();
  if (credits.begin.size() != n + 1) bad("the credits table must have one entry per document");
  if (credits.begin[0] != 0 || credits.begin[n] != credits.agency.size())
    bad("the credits table's offsets must run from 0 to its number of credits");
  for (std::size_t d = 0; d < n; ++d)
    if (credits.begin[d] > credits.begin[d + 1]) bad("the credits table's offsets must not decrease");
  for (std::int32_t a : credits.agency)
    if (a < 0 || static_cast<std::size_t>(a) >= agencies) bad("a credit names an unknown agency");
}

void check_postings(const CorpusView &corpus, const Postings &p) {
  const std::size_t n = corpus.size(), keys = p.hash.size();
  if (p.begin.size() != keys + 1 || p.begin[0] != 0 || p.begin[keys] != p.rank.size())
    bad("the postings' holder offsets must run from 0 to their number of holders, one per hash and one more");
  if (keys >= UINT32_MAX) bad("the postings hold more than 2**32 hashes");
  for (std::size_t k = 0; k < keys; ++k) {
    if (k > 0 && p.hash[k] <= p.hash[k - 1]) bad("the postings' hashes must be distinct and ascending");
    if (p.begin[k + 1] < p.begin[k]) bad("the postings' holder offsets must not decrease");
    for (std::size_t i = p.begin[k]; i < p.begin[k + 1]; ++i)
      if (p.rank[i] >= n || (i > p.begin[k] && p.rank[i] <= p.rank[i - 1]))
        bad("the postings' holders must be time ranks of the corpus, ascending within each hash");
  }
}

void check_candidates(const CorpusView &corpus, const std::vector<Candidate> &candidates) {
  const std::size_t n = corpus.size();
  for (std::size_t k = 0; k < candidates.size(); ++k) {
    const Candidate &c = candidates[k];
    if (c.first >= n || c.second >= n || c.first == c.second)
      bad("a candidate pair names a document outside the corpus, or one twice");
    if (k > 0) {
      const Candidate &p = candidates[k - 1];
      if (c.second < p.second || (c.second == p.second && c.first <= p.first))
        bad("the candidate pairs must be distinct and sorted by (second, first)");
    }
  }
}

void check_passages(const CorpusView &corpus, const std::vector<std::uint32_t> &tokens,
                    const std::vector<Passage> &passages) {
  const std::size_t n = corpus.size();
  if (tokens.size() != n) bad("the token counts must have one entry per document");
  for (const Passage &p : passages) {
    const Span &s = p.span;
    if (p.a >= n || p.b >= n || p.a == p.b) bad("a passage names a document outside the corpus, or one twice");
    if (s.a_begin >= s.a_end || s.b_begin >= s.b_end || s.a_end > tokens[p.a] || s.b_end > tokens[p.b])
      bad("a passage lies outside its documents' tokens");
    if (p.a_boilerplate > s.a_end - s.a_begin || p.b_boilerplate > s.b_end - s.b_begin ||
        s.matched > std::min(s.a_end - s.a_begin, s.b_end - s.b_begin))
      bad("a passage counts more tokens than it spans");
    if (!(s.similarity >= 0 && s.similarity <= 1) || static_cast<int>(s.kind) >= kPassageKinds)
      bad("a passage has a similarity outside [0, 1] or an unknown kind");
  }
}

} // namespace storytrace

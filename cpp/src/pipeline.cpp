#include "storytrace/pipeline.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <unordered_set>

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

// trace keeps every document's tokens (for rewrites and offsets) when they fit in this much, as
// they do up to about 150,000 news articles; a larger corpus is tokenized again where needed.
constexpr std::size_t kKeepTokensBytes = std::size_t{512} << 20;

// Code-point (and byte) offsets of every passage, one pass over each document's text.
void passage_offsets(const CorpusView &corpus, const Tokenized &tok, TraceResult &r, std::size_t threads,
                     const Progress *progress) {
  const auto &ps = r.attribution.passages;
  const std::size_t m = ps.size();
  for (auto *v :
       {&r.a_start, &r.a_end, &r.b_start, &r.b_end, &r.a_byte_start, &r.a_byte_end, &r.b_byte_start, &r.b_byte_end})
    v->assign(m, 0);
  // Every document's passage ends, in CSR form: (passage, side).
  const std::size_t n = corpus.size();
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
      n, threads, 256,
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
        const std::span<const Token> tokens = doc_tokens(tok, text, d, scratch, /*hashes=*/false);
        if (tokens.size() != tok.token_count(d)) // read back from a table made for another text
          throw std::invalid_argument("document " + std::to_string(d) + " has " + std::to_string(tokens.size()) +
                                      " tokens, not the " + std::to_string(tok.token_count(d)) +
                                      " the aligned tables say");
        span_code_points(text, tokens.data(), tb.data(), te.data(), count, cs.data(), ce.data(), bs.data(), be.data());
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
}

} // namespace

namespace {

void check_corpus(const CorpusView &corpus) {
  const std::size_t n = corpus.size();
  if (corpus.published.size() != n || corpus.outlet.size() != n)
    throw std::invalid_argument("published and outlet must have one entry per document");
  if (!corpus.day_only.empty() && corpus.day_only.size() != n)
    throw std::invalid_argument("day_only must be empty or have one entry per document");
  if (!corpus.global_id.empty() && corpus.global_id.size() != n)
    throw std::invalid_argument("global_id must be empty or have one entry per document");
}

} // namespace

TraceResult align_corpus(const CorpusView &corpus, const AliasTable &aliases, const TraceOptions &options,
                         const Progress *progress) {
  options.validate();
  check_corpus(corpus);
  const std::size_t n = corpus.size();
  const std::size_t threads = detail::resolve_threads(options.threads);
  TraceResult r;
  r.tok = tokenize_corpus(corpus, options.ngram, threads, progress, kKeepTokensBytes);
  const Tokenized &tok = r.tok;

  const std::vector<std::uint8_t> mask =
      learn_boilerplate(corpus, tok, options.boilerplate_min_docs, options.boilerplate_min_share, threads, progress);
  r.tokens.resize(n);
  r.boilerplate_tokens.resize(n);
  detail::parallel_for(n, threads, 4096, [&](std::size_t d) {
    r.tokens[d] = static_cast<std::uint32_t>(tok.token_count(d));
    r.boilerplate_tokens[d] = static_cast<std::uint32_t>(masked_tokens(tok, mask, d));
  });

  // Credits, distinct per document in text order, found in blocks of documents.
  {
    constexpr std::size_t kBlock = 1024;
    const std::size_t blocks = (n + kBlock - 1) / kBlock;
    std::vector<std::vector<std::int32_t>> agencies(blocks);
    std::vector<std::vector<std::uint32_t>> counts(blocks);
    detail::parallel_for(
        blocks, threads, 1,
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
    r.credit_begin.assign(n + 1, 0);
    std::size_t d = 0;
    for (std::size_t b = 0; b < blocks; ++b) {
      for (std::uint32_t c : counts[b]) r.credit_begin[d + 1] = r.credit_begin[d] + c, ++d;
      r.credit_agency.insert(r.credit_agency.end(), agencies[b].begin(), agencies[b].end());
    }
  }

  const std::vector<std::uint32_t> rank = time_rank(corpus);
  {
    const Postings postings = build_postings(tok, mask, rank, threads, progress, options.fanout);
    r.candidates = find_candidates(tok, mask, postings, rank, CandidateOptions{options.fanout, options.min_shared},
                                   threads, progress);
  }
  const RewriteOptions rewrite = options.rewrite_options();
  std::vector<Passage> passages = align_candidates(tok, mask, r.candidates, options.align_options(), threads, progress,
                                                   &corpus, options.rewrites ? &rewrite : nullptr);

  // The boilerplate inside each passage, on each side: containment counts the text outside it.
  if (!mask.empty())
    detail::parallel_for(passages.size(), threads, 4096, [&](std::size_t k) {
      Passage &p = passages[k];
      p.a_boilerplate = static_cast<std::uint32_t>(masked_tokens(tok, mask, p.a, p.span.a_begin, p.span.a_end));
      p.b_boilerplate = static_cast<std::uint32_t>(masked_tokens(tok, mask, p.b, p.span.b_begin, p.span.b_end));
    });
  r.attribution.passages = std::move(passages);
  return r;
}

namespace {

// What attribute_corpus reads, checked against the corpus (a saved table may be damaged).
void check_aligned(const CorpusView &corpus, const TraceResult &r, std::size_t agencies) {
  const std::size_t n = corpus.size();
  auto bad = [](const std::string &what) { throw std::invalid_argument(what); };
  if (r.tokens.size() != n || r.boilerplate_tokens.size() != n || r.credit_begin.size() != n + 1 || r.tok.size() != n)
    bad("the aligned tables must have one entry per document");
  if (r.credit_begin[0] != 0 || r.credit_begin[n] != r.credit_agency.size())
    bad("credit_begin must run from 0 to the number of credits");
  for (std::size_t d = 0; d < n; ++d) {
    if (r.credit_begin[d] > r.credit_begin[d + 1]) bad("credit_begin must not decrease");
    if (r.boilerplate_tokens[d] > r.tokens[d] || r.tok.token_count(d) != r.tokens[d])
      bad("document " + std::to_string(d) + " has more boilerplate tokens than tokens");
  }
  for (std::int32_t a : r.credit_agency)
    if (a < 0 || static_cast<std::size_t>(a) >= agencies) bad("a credit names an unknown agency");
  for (const Passage &p : r.attribution.passages) {
    const Span &s = p.span;
    if (p.a >= n || p.b >= n || p.a == p.b) bad("a passage names a document outside the corpus, or one twice");
    if (s.a_begin >= s.a_end || s.b_begin >= s.b_end || s.a_end > r.tokens[p.a] || s.b_end > r.tokens[p.b])
      bad("a passage lies outside its documents' tokens");
    if (p.a_boilerplate > s.a_end - s.a_begin || p.b_boilerplate > s.b_end - s.b_begin ||
        s.matched > std::min(s.a_end - s.a_begin, s.b_end - s.b_begin))
      bad("a passage counts more tokens than it spans");
    if (!(s.similarity >= 0 && s.similarity <= 1) || static_cast<int>(s.kind) >= kPassageKinds)
      bad("a passage has a similarity outside [0, 1] or an unknown kind");
  }
}

} // namespace

void attribute_corpus(const CorpusView &corpus, TraceResult &r, const TraceOptions &options, const Progress *progress,
                      std::size_t agencies) {
  options.validate();
  check_corpus(corpus);
  check_aligned(corpus, r, agencies);
  const std::size_t n = corpus.size();
  const std::size_t threads = detail::resolve_threads(options.threads);
  std::vector<Passage> passages = std::move(r.attribution.passages);
  std::vector<std::int32_t> doc_agency(n, kNone);
  for (std::size_t d = 0; d < n; ++d)
    if (corpus.outlet[d] >= 0 && static_cast<std::size_t>(corpus.outlet[d]) < corpus.outlet_agency.size())
      doc_agency[d] = corpus.outlet_agency[static_cast<std::size_t>(corpus.outlet[d])];
  AttributeInput in;
  in.docs = n;
  const std::vector<TimeRange> times = corpus.times();
  in.time = times.data();
  in.outlet_agency = doc_agency.data();
  in.credit_begin = r.credit_begin.data();
  in.credit_agency = r.credit_agency.data();
  in.tokens = r.tokens.data();
  in.boilerplate = r.boilerplate_tokens.data();
  in.global_id = corpus.global_id.empty() ? nullptr : corpus.global_id.data();
  in.progress = progress; // reported from the calling thread
  in.threads = threads;
  r.attribution = attribute(in, std::move(passages), options.attribute_options());
  passage_offsets(corpus, r.tok, r, threads, progress);
}

TraceResult trace(const CorpusView &corpus, const AliasTable &aliases, const TraceOptions &options,
                  const Progress *progress) {
  TraceResult r = align_corpus(corpus, aliases, options, progress);
  attribute_corpus(corpus, r, options, progress);
  return r;
}

Comparison compare(std::string_view a, std::string_view b, const TraceOptions &options) {
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
  if (options.rewrites) {
    const std::vector<Span> rewritten = find_rewrites(a, ta.data(), ta.size(), nullptr, b, tb.data(), tb.size(),
                                                      nullptr, c.spans, options.rewrite_options());
    c.spans.insert(c.spans.end(), rewritten.begin(), rewritten.end());
  }
  // A rewritten sentence counts as much of it as its similarity, as in trace's reuse_share.
  double in_a = 0, in_b = 0;
  for (const Span &s : c.spans)
    in_a += (s.a_end - s.a_begin) * double{s.similarity}, in_b += (s.b_end - s.b_begin) * double{s.similarity};
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

#include "storytrace/monitor.hpp"

#include <algorithm>
#include <mutex>
#include <unordered_map>

namespace storytrace {
namespace {
constexpr std::size_t kMaxSegments = 8; // merged into one beyond this
// A shingle nominates at most this many of its holders as candidates.
constexpr std::size_t kMaxHolders = 4096;
} // namespace

MonitorIndex::MonitorIndex(const TraceOptions &options) : options_(options) {
  options_.validate();
  text_begin_.push_back(0);
  sh_begin_.push_back(0);
  tok_begin_.push_back(0);
}

std::uint32_t MonitorIndex::add(const CorpusView &corpus, const Progress *progress) {
  const std::size_t threads = detail::resolve_threads(options_.threads);
  const Tokenized tok = tokenize_corpus(corpus, options_.ngram, threads, progress);
  const std::size_t n = corpus.size();
  const std::lock_guard adding(adding_); // one add at a time; queries go on until the documents go in
  std::uint32_t first = 0;
  {
    std::shared_lock lock(mutex_);
    first = static_cast<std::uint32_t>(doc_tokens_.size());
  }
  // The new documents' postings, built as trace builds its own (build_postings) while queries
  // still run: every shingle kept (a query may share one with a single document), by document
  // number, which is the order of adding.
  std::vector<std::uint32_t> number(n);
  for (std::size_t d = 0; d < n; ++d) number[d] = first + static_cast<std::uint32_t>(d);
  Postings segment = build_postings(tok, {}, number, threads, nullptr, kMaxHolders, kPassEntries, 1);
  std::unique_lock lock(mutex_); // queries wait while the new documents go in
  std::string scratch;
  for (std::size_t d = 0; d < n; ++d) {
    text_.append(corpus.doc(d, scratch));
    text_begin_.push_back(text_.size());
    doc_tokens_.push_back(static_cast<std::uint32_t>(tok.token_count(d)));
    times_.push_back(corpus.published.empty() ? TimeRange{} : corpus.time(d));
    shingles_.insert(shingles_.end(), tok.shingles.begin() + static_cast<std::ptrdiff_t>(tok.sh_begin[d]),
                     tok.shingles.begin() + static_cast<std::ptrdiff_t>(tok.sh_begin[d + 1]));
    sh_begin_.push_back(shingles_.size());
    tokens_.insert(tokens_.end(), tok.tokens.begin() + static_cast<std::ptrdiff_t>(tok.tok_begin[d]),
                   tok.tokens.begin() + static_cast<std::ptrdiff_t>(tok.tok_begin[d + 1]));
    tok_begin_.push_back(tokens_.size());
  }
  segments_.push_back(std::move(segment));
  if (segments_.size() > kMaxSegments) compact();
  return first;
}

void MonitorIndex::compact() {
  Postings merged = std::move(segments_.front());
  for (std::size_t k = 1; k < segments_.size(); ++k) merged = merge_postings(merged, segments_[k], kMaxHolders);
  segments_.clear();
  segments_.push_back(std::move(merged));
}

std::vector<QueryHit> MonitorIndex::query(std::string_view text, std::size_t top, const TimeRange &published) const {
  std::vector<QueryHit> hits;
  std::shared_lock lock(mutex_);
  if (top == 0 || doc_tokens_.empty()) return hits;
  std::vector<Token> qtok;
  std::string norm;
  std::vector<std::uint32_t> noff;
  tokenize(text, qtok, &norm, &noff);
  std::vector<std::uint64_t> qsh;
  shingle(norm, noff, options_.ngram, qsh);
  std::vector<std::uint64_t> distinct;
  distinct_shingles(qsh.data(), qsh.size(), nullptr, distinct);

  // Candidates: documents holding enough of the query's shingles.
  std::unordered_map<std::uint32_t, std::uint32_t> counts;
  for (std::uint64_t h : distinct) {
    // Segments are in the order documents were added: a shingle held by very many documents
    // nominates its first kMaxHolders holders, so a widely reprinted story is still found.
    std::size_t taken = 0;
    for (const Postings &segment : segments_)
      for (std::uint32_t d : segment.holders(h)) {
        if (taken == kMaxHolders) break;
        ++taken, ++counts[d];
      }
  }
  std::vector<std::pair<std::uint32_t, std::uint32_t>> cands; // (count, doc)
  for (const auto &[d, c] : counts)
    if (c >= options_.min_shared && may_precede(times_[d], published)) cands.emplace_back(c, d);
  std::sort(cands.begin(), cands.end(),
            [](const auto &x, const auto &y) { return x.first != y.first ? x.first > y.first : x.second < y.second; });
  cands.resize(std::min(cands.size(), std::max<std::size_t>(4 * top, 32)));

  const AlignOptions ao = options_.align_options();
  for (const auto &[count, d] : cands) {
    (void)count;
    const std::uint64_t s0 = sh_begin_[d];
    std::vector<Span> spans =
        align(shingles_.data() + s0, sh_begin_[d + 1] - s0, nullptr, qsh.data(), qsh.size(), nullptr, ao);
    if (spans.empty()) continue;
    QueryHit hit;
    hit.doc = d;
    hit.earlier = surely_before(times_[d], published);
    for (const Span &s : spans) hit.doc_shared_tokens += s.a_end - s.a_begin, hit.shared_tokens += s.b_end - s.b_begin;
    hit.containment = qtok.empty() ? 0.0 : static_cast<double>(hit.shared_tokens) / static_cast<double>(qtok.size());
    hit.doc_containment = doc_tokens_[d] == 0 ? 0.0 : static_cast<double>(hit.doc_shared_tokens) / doc_tokens_[d];
    hit.spans = std::move(spans);
    hits.push_back(std::move(hit));
  }
  std::sort(hits.begin(), hits.end(), [](const QueryHit &x, const QueryHit &y) {
    return x.shared_tokens != y.shared_tokens ? x.shared_tokens > y.shared_tokens : x.doc < y.doc;
  });
  if (hits.size() > top) hits.resize(top);
  for (QueryHit &h : hits) {
    const std::size_t m = h.spans.size();
    std::vector<std::uint32_t> ab(m), ae(m), bb(m), be(m);
    for (std::size_t k = 0; k < m; ++k)
      ab[k] = h.spans[k].a_begin, ae[k] = h.spans[k].a_end, bb[k] = h.spans[k].b_begin, be[k] = h.spans[k].b_end;
    for (auto *v : {&h.doc_start, &h.doc_end, &h.query_start, &h.query_end}) v->assign(m, 0);
    const std::string_view doc_text(text_.data() + text_begin_[h.doc], text_begin_[h.doc + 1] - text_begin_[h.doc]);
    span_code_points(doc_text, tokens_.data() + tok_begin_[h.doc], ab.data(), ae.data(), m, h.doc_start.data(),
                     h.doc_end.data());
    span_code_points(text, qtok.data(), bb.data(), be.data(), m, h.query_start.data(), h.query_end.data());
  }
  return hits;
}

} // namespace storytrace

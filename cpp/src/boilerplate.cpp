#include "storytrace/boilerplate.hpp"

#include <algorithm>
#include <cmath>
#include <unordered_map>
#include <utility>

#include "storytrace/hashes.hpp"

namespace storytrace {
namespace {
// A group of repeated shingles this large a share of its documents is a repeated story.
constexpr double kStoryShare = 0.5;
} // namespace

std::vector<std::uint8_t> learn_boilerplate(const CorpusView &corpus, const Tokenized &tok, std::size_t min_docs,
                                            double min_share, std::size_t threads, const Progress *progress) {
  std::vector<std::uint8_t> mask(tok.shingles.size(), 0);
  const std::size_t n = corpus.size();
  if (min_docs < 2 || n == 0) return mask;

  // Documents grouped by outlet (counting sort keeps corpus order inside each outlet).
  std::int32_t outlets = 0;
  for (std::int32_t o : corpus.outlet) outlets = std::max(outlets, o + 1);
  std::vector<std::size_t> begin(static_cast<std::size_t>(outlets) + 1, 0);
  for (std::int32_t o : corpus.outlet)
    if (o >= 0) ++begin[static_cast<std::size_t>(o) + 1];
  for (std::size_t o = 0; o < static_cast<std::size_t>(outlets); ++o) begin[o + 1] += begin[o];
  std::vector<std::uint32_t> docs(begin.back());
  {
    std::vector<std::size_t> fill(begin.begin(), begin.end() - 1);
    for (std::size_t d = 0; d < n; ++d)
      if (corpus.outlet[d] >= 0)
        docs[fill[static_cast<std::size_t>(corpus.outlet[d])]++] = static_cast<std::uint32_t>(d);
  }

  detail::parallel_for(
      static_cast<std::size_t>(outlets), threads, 1,
      [&](std::size_t o) {
        const std::size_t docs_of_outlet = begin[o + 1] - begin[o];
        const auto by_share = static_cast<std::size_t>(std::ceil(min_share * static_cast<double>(docs_of_outlet)));
        const std::size_t threshold = std::max(min_docs, by_share);
        if (docs_of_outlet < threshold) return;
        // Each document's distinct shingles, with the document (its place in the outlet's list),
        // sorted by (hash, document). Most shingles are one document's and cannot make a group: a
        // first walk marks the hashes met in two or more documents (and a few others), and only
        // those are sorted.
        std::vector<std::uint64_t> distinct;
        std::vector<std::uint32_t> distinct_count(docs_of_outlet);
        std::size_t estimate = 0;
        for (std::size_t k = begin[o]; k < begin[o + 1]; ++k) estimate += tok.shingle_count(docs[k]);
        detail::RepeatFilter repeats(estimate);
        for (std::size_t k = begin[o]; k < begin[o + 1]; ++k) {
          distinct_shingles(tok, docs[k], nullptr, distinct);
          distinct_count[k - begin[o]] = static_cast<std::uint32_t>(distinct.size());
          for (std::uint64_t h : distinct) repeats.add(h);
        }
        std::vector<std::pair<std::uint64_t, std::uint32_t>> all;
        for (std::size_t k = begin[o]; k < begin[o + 1]; ++k) {
          distinct_shingles(tok, docs[k], nullptr, distinct);
          for (std::uint64_t h : distinct)
            if (repeats.may_repeat(h)) all.emplace_back(h, static_cast<std::uint32_t>(k - begin[o]));
        }
        {
          std::vector<std::pair<std::uint64_t, std::uint32_t>> tmp;
          std::vector<std::size_t> at;
          detail::sort_by_hash(
              all.data(), all.data() + all.size(), [](const auto &e) { return e.first; }, 0, tmp, at);
        }
        // Shingles found in at least `threshold` documents, grouped by the exact set of documents
        // that hold them. A group that makes up most of those documents is a story the outlet ran
        // several times (updates, re-issues), not page chrome: it is kept.
        struct Group {
          std::uint32_t shingles = 0;
          std::size_t first = 0, last = 0; // one run of `all` holding the group's documents
        };
        std::unordered_map<std::uint64_t, Group> groups;
        std::vector<std::pair<std::uint64_t, std::uint64_t>> candidates; // (shingle, group signature)
        for (std::size_t i = 0; i < all.size();) {
          std::size_t j = i;
          std::uint64_t signature = 0x9E3779B97F4A7C15ULL;
          while (j < all.size() && all[j].first == all[i].first) {
            signature = (signature ^ all[j].second) * 0x100000001B3ULL;
            ++j;
          }
          if (j - i >= threshold) {
            Group &g = groups[signature];
            if (g.shingles++ == 0) g.first = i, g.last = j;
            candidates.emplace_back(all[i].first, signature);
          }
          i = j;
        }
        std::vector<std::uint64_t> repeated;
        for (const auto &[h, signature] : candidates) {
          const Group &g = groups[signature];
          double mean = 0;
          for (std::size_t k = g.first; k < g.last; ++k) mean += distinct_count[all[k].second];
          mean /= static_cast<double>(g.last - g.first);
          if (g.shingles < kStoryShare * mean) repeated.push_back(h);
        }
        std::sort(repeated.begin(), repeated.end());
        if (repeated.empty()) return;
        // Documents of one outlet are disjoint from other outlets': no two threads write one byte.
        for (std::size_t k = begin[o]; k < begin[o + 1]; ++k) {
          const std::uint32_t d = docs[k];
          const std::size_t s0 = tok.sh_begin[d], count = tok.shingle_count(d);
          if (!tok.ordered(d)) {
            for (std::size_t i = s0; i < s0 + count; ++i)
              if (std::binary_search(repeated.begin(), repeated.end(), tok.shingles[i])) mask[i] = 1;
            continue;
          }
          // The document's shingles in hash order, walked beside the sorted repeated ones.
          const std::uint16_t *order = tok.sh_order.data() + s0;
          auto r = repeated.begin();
          for (std::size_t i = 0; i < count && r != repeated.end(); ++i) {
            const std::uint64_t h = tok.shingles[s0 + order[i]];
            while (r != repeated.end() && *r < h) ++r;
            if (r != repeated.end() && *r == h) mask[s0 + order[i]] = 1;
          }
        }
      },
      progress, "boilerplate");
  return mask;
}

void token_mask(const Tokenized &tok, const std::vector<std::uint8_t> &mask, std::size_t d,
                std::vector<std::uint8_t> &out) {
  out.assign(tok.token_count(d), 0);
  if (mask.empty()) return;
  const std::size_t first = tok.sh_begin[d];
  for (std::size_t i = 0; i < tok.shingle_count(d); ++i)
    if (mask[first + i])
      for (std::size_t k = i; k < std::min(out.size(), i + tok.ngram); ++k) out[k] = 1;
}

std::size_t masked_tokens(const Tokenized &tok, const std::vector<std::uint8_t> &mask, std::size_t d) {
  return masked_tokens(tok, mask, d, 0, tok.token_count(d));
}

std::size_t masked_tokens(const Tokenized &tok, const std::vector<std::uint8_t> &mask, std::size_t d, std::size_t begin,
                          std::size_t end) {
  if (mask.empty()) return 0;
  // The tokens of token_mask counted as they are covered: each masked shingle adds those of its
  // tokens (inside [begin, end)) past the ones counted already.
  const std::size_t first = tok.sh_begin[d];
  end = std::min(end, tok.token_count(d));
  std::size_t count = 0, covered_until = begin;
  const std::size_t from = begin + 1 > tok.ngram ? begin + 1 - tok.ngram : 0;
  for (std::size_t i = from; i < std::min(end, tok.shingle_count(d)); ++i) {
    if (!mask[first + i]) continue;
    const std::size_t stop = std::min(end, i + tok.ngram);
    count += stop - std::max(i, std::min(covered_until, stop));
    covered_until = stop;
  }
  return count;
}

} // namespace storytrace

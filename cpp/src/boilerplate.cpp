#include "storytrace/boilerplate.hpp"

#include <algorithm>
#include <cmath>

namespace storytrace {

std::vector<std::uint8_t> learn_boilerplate(const CorpusView &corpus, const Tokenized &tok, std::size_t min_docs,
                                            double min_share, std::size_t threads) {
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

  detail::parallel_for(static_cast<std::size_t>(outlets), threads, 1, [&](std::size_t o) {
    const std::size_t docs_of_outlet = begin[o + 1] - begin[o];
    const auto by_share = static_cast<std::size_t>(std::ceil(min_share * static_cast<double>(docs_of_outlet)));
    const std::size_t threshold = std::max(min_docs, by_share);
    if (docs_of_outlet < threshold) return;
    // Each document's distinct shingles, then the ones found in at least min_docs documents.
    std::vector<std::uint64_t> all, distinct;
    for (std::size_t k = begin[o]; k < begin[o + 1]; ++k) {
      const std::uint32_t d = docs[k];
      distinct.assign(tok.shingles.begin() + static_cast<std::ptrdiff_t>(tok.sh_begin[d]),
                      tok.shingles.begin() + static_cast<std::ptrdiff_t>(tok.sh_begin[d + 1]));
      std::sort(distinct.begin(), distinct.end());
      distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
      all.insert(all.end(), distinct.begin(), distinct.end());
    }
    std::sort(all.begin(), all.end());
    std::vector<std::uint64_t> repeated;
    for (std::size_t i = 0; i < all.size();) {
      std::size_t j = i;
      while (j < all.size() && all[j] == all[i]) ++j;
      if (j - i >= threshold) repeated.push_back(all[i]);
      i = j;
    }
    if (repeated.empty()) return;
    // Documents of one outlet are disjoint from other outlets': no two threads write one byte.
    for (std::size_t k = begin[o]; k < begin[o + 1]; ++k) {
      const std::uint32_t d = docs[k];
      for (std::size_t i = tok.sh_begin[d]; i < tok.sh_begin[d + 1]; ++i)
        if (std::binary_search(repeated.begin(), repeated.end(), tok.shingles[i])) mask[i] = 1;
    }
  });
  return mask;
}

std::size_t masked_tokens(const Tokenized &tok, const std::vector<std::uint8_t> &mask, std::size_t d) {
  // A token is boilerplate when a masked shingle covers it: sweep with the end of coverage.
  std::size_t count = 0, covered_until = 0;
  const std::size_t first = tok.sh_begin[d];
  for (std::size_t i = 0; i < tok.shingle_count(d); ++i) {
    if (!mask[first + i]) continue;
    const std::size_t from = std::max(i, covered_until);
    const std::size_t to = i + tok.ngram;
    if (to > from) count += to - from;
    covered_until = std::max(covered_until, to);
  }
  return count;
}

} // namespace storytrace

#include "storytrace/align.hpp"

#include <algorithm>
#include <cstdlib>

namespace storytrace {
namespace {

struct Seed {
  std::uint64_t hash;
  std::uint32_t pos;
  bool operator<(const Seed &o) const { return hash != o.hash ? hash < o.hash : pos < o.pos; }
};

void seeds_of(const std::uint64_t *s, std::size_t n, const std::uint8_t *mask, std::vector<Seed> &out) {
  out.clear();
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i)
    if (!mask || !mask[i]) out.push_back(Seed{s[i], static_cast<std::uint32_t>(i)});
  std::sort(out.begin(), out.end());
}

struct Chain {
  std::uint32_t a_first, b_first, a_last, b_last;
  std::uint32_t matched, a_covered_until;
};

} // namespace

std::vector<Span> align(const std::uint64_t *a, std::size_t na, const std::uint8_t *amask, const std::uint64_t *b,
                        std::size_t nb, const std::uint8_t *bmask, const AlignOptions &options) {
  std::vector<Span> result;
  if (na == 0 || nb == 0) return result;
  const std::uint32_t ngram = static_cast<std::uint32_t>(std::max<std::size_t>(options.ngram, 1));
  const std::uint32_t reach = static_cast<std::uint32_t>(options.max_gap) + ngram;

  // 1. Seeds: positions where both texts have the same shingle (repeats capped).
  std::vector<Seed> sa, sb;
  seeds_of(a, na, amask, sa);
  seeds_of(b, nb, bmask, sb);
  std::vector<std::pair<std::uint32_t, std::uint32_t>> matches;
  for (std::size_t i = 0, j = 0; i < sa.size() && j < sb.size();) {
    if (sa[i].hash < sb[j].hash) {
      ++i;
    } else if (sb[j].hash < sa[i].hash) {
      ++j;
    } else {
      const std::uint64_t h = sa[i].hash;
      std::size_t ie = i, je = j;
      while (ie < sa.size() && sa[ie].hash == h) ++ie;
      while (je < sb.size() && sb[je].hash == h) ++je;
      if (ie - i <= options.max_repeats && je - j <= options.max_repeats) {
        for (std::size_t x = i; x < ie; ++x)
          for (std::size_t y = j; y < je; ++y) matches.emplace_back(sa[x].pos, sb[y].pos);
      } else {
        // Too many repeats to pair every one with every other: pair them in order (the k-th
        // occurrence with the k-th), which still aligns a repetitive text with its copy.
        for (std::size_t k = 0; k < std::min(ie - i, je - j); ++k) matches.emplace_back(sa[i + k].pos, sb[j + k].pos);
      }
      i = ie, j = je;
    }
  }
  if (matches.empty()) return result;
  std::sort(matches.begin(), matches.end());

  // 2. Chains: seeds joined in order on both sides, bridging gaps of up to max_gap tokens.
  std::vector<Chain> open, closed;
  for (const auto &[ap, bp] : matches) {
    // Chains that can no longer be reached are finished.
    for (std::size_t k = 0; k < open.size();) {
      if (ap - open[k].a_last > reach) {
        closed.push_back(open[k]);
        open[k] = open.back();
        open.pop_back();
      } else {
        ++k;
      }
    }
    Chain *best = nullptr;
    std::uint32_t best_score = 0;
    for (Chain &c : open) {
      if (ap <= c.a_last || bp <= c.b_last) continue;
      const std::uint32_t da = ap - c.a_last, db = bp - c.b_last;
      if (da > reach || db > reach) continue;
      const std::uint32_t score = std::max(da, db) + (da > db ? da - db : db - da);
      if (!best || score < best_score) best = &c, best_score = score;
    }
    if (best) {
      const std::uint32_t from = std::max(ap, best->a_covered_until);
      best->matched += ap + ngram - from;
      best->a_covered_until = ap + ngram;
      best->a_last = ap;
      best->b_last = bp;
    } else {
      open.push_back(Chain{ap, bp, ap, bp, ngram, ap + ngram});
    }
  }
  closed.insert(closed.end(), open.begin(), open.end());

  // 3. Long enough chains become spans; overlapping ones keep the best (most matched tokens).
  std::vector<Span> spans;
  for (const Chain &c : closed) {
    Span s{c.a_first, c.a_last + ngram, c.b_first, c.b_last + ngram, c.matched};
    if (s.a_end - s.a_begin >= options.min_tokens && s.b_end - s.b_begin >= options.min_tokens) spans.push_back(s);
  }
  std::sort(spans.begin(), spans.end(), [](const Span &x, const Span &y) {
    if (x.matched != y.matched) return x.matched > y.matched;
    if (x.a_begin != y.a_begin) return x.a_begin < y.a_begin;
    return x.b_begin < y.b_begin;
  });
  for (const Span &s : spans) {
    bool overlaps = false;
    for (const Span &k : result) {
      if ((s.a_begin < k.a_end && k.a_begin < s.a_end) || (s.b_begin < k.b_end && k.b_begin < s.b_end)) {
        overlaps = true;
        break;
      }
    }
    if (!overlaps) result.push_back(s);
  }
  std::sort(result.begin(), result.end(), [](const Span &x, const Span &y) {
    return x.a_begin != y.a_begin ? x.a_begin < y.a_begin : x.b_begin < y.b_begin;
  });
  return result;
}

std::vector<Passage> align_candidates(const Tokenized &tok, const std::vector<std::uint8_t> &mask,
                                      const std::vector<Candidate> &candidates, const AlignOptions &options,
                                      std::size_t threads, const Progress *progress) {
  constexpr std::size_t kBlock = 64;
  const std::size_t blocks = (candidates.size() + kBlock - 1) / kBlock;
  std::vector<std::vector<Passage>> parts(blocks);
  const std::uint8_t *m = mask.empty() ? nullptr : mask.data();
  detail::parallel_for(
      blocks, threads, 1,
      [&](std::size_t blk) {
        for (std::size_t k = blk * kBlock; k < std::min(candidates.size(), (blk + 1) * kBlock); ++k) {
          const Candidate &c = candidates[k];
          const std::size_t a0 = tok.sh_begin[c.first], b0 = tok.sh_begin[c.second];
          for (const Span &s :
               align(tok.shingles.data() + a0, tok.shingle_count(c.first), m ? m + a0 : nullptr,
                     tok.shingles.data() + b0, tok.shingle_count(c.second), m ? m + b0 : nullptr, options))
            parts[blk].push_back(Passage{c.first, c.second, s});
        }
      },
      progress, "align");
  std::vector<Passage> out;
  for (auto &p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

} // namespace storytrace

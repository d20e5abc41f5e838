#include "storytrace/rewrite.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <utility>

#include "storytrace/hashes.hpp"

namespace storytrace {

namespace {

constexpr std::uint32_t kMinUnit = 5;
constexpr std::uint32_t kMaxUnit = 60;

// Decodes the code point at text[i] (valid UTF-8 assumed, as tokenize checked) and advances i.
char32_t next_code_point(std::string_view text, std::size_t &i) {
  const auto c = static_cast<unsigned char>(text[i]);
  const int len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
  char32_t cp = len == 1 ? c : len == 2 ? c & 0x1F : len == 3 ? c & 0x0F : c & 0x07;
  for (int k = 1; k < len && i + static_cast<std::size_t>(k) < text.size(); ++k)
    cp = (cp << 6) | (static_cast<unsigned char>(text[i + static_cast<std::size_t>(k)]) & 0x3F);
  i += static_cast<std::size_t>(len);
  return cp;
}

bool ends_sentence(char32_t c) {
  switch (c) {
  case U'.':
  case U'!':
  case U'?':
  case U'\n':
  case U'\u2026': // …
  case U'\u3002':
  case U'\uFF01':
  case U'\uFF1F':
  case U'\uFF0E': // 。！？．
  case U'\u061F':
  case U'\u06D4': // ؟ ۔
  case U'\u0964':
  case U'\u0965': // । ॥
    return true;
  default: return false;
  }
}

std::uint64_t bigram(std::uint64_t x, std::uint64_t y) { return x * 0x9E3779B97F4A7C15ULL ^ (y + (x >> 29)); }

// The distinct words and bigrams of tokens [0, n), sorted.
void words_and_bigrams(const Token *t, std::size_t n, std::vector<std::uint64_t> &words,
                       std::vector<std::uint64_t> &bigrams) {
  words.clear();
  bigrams.clear();
  for (std::size_t i = 0; i < n; ++i) {
    words.push_back(t[i].hash);
    if (i + 1 < n) bigrams.push_back(bigram(t[i].hash, t[i + 1].hash));
  }
  for (auto *v : {&words, &bigrams}) {
    std::sort(v->begin(), v->end());
    v->erase(std::unique(v->begin(), v->end()), v->end());
  }
}

std::size_t common(const std::vector<std::uint64_t> &x, const std::vector<std::uint64_t> &y) {
  std::size_t c = 0;
  for (std::size_t i = 0, j = 0; i < x.size() && j < y.size();) {
    if (x[i] < y[j]) {
      ++i;
    } else if (y[j] < x[i]) {
      ++j;
    } else {
      ++c, ++i, ++j;
    }
  }
  return c;
}

// The sentence similarity from counts: `w` of `nw` distinct words and `g` of `ng` distinct bigrams
// found (a one-word sentence is scored by its word alone).
double combine(std::size_t w, std::size_t nw, std::size_t g, std::size_t ng) {
  if (nw == 0) return 0.0;
  const double words = static_cast<double>(w) / static_cast<double>(nw);
  const double bigrams = ng == 0 ? words : static_cast<double>(g) / static_cast<double>(ng);
  return (words + bigrams) / 2;
}

double similarity_of(const std::vector<std::uint64_t> &tw, const std::vector<std::uint64_t> &tb,
                     const std::vector<std::uint64_t> &ww, const std::vector<std::uint64_t> &wb) {
  return combine(common(tw, ww), tw.size(), common(tb, wb), tb.size());
}

// Tokens of [begin, end) inside the spans (sorted or not) on one side.
std::uint32_t covered(const std::vector<Span> &spans, bool a_side, std::uint32_t begin, std::uint32_t end) {
  std::uint32_t c = 0;
  for (const Span &s : spans) {
    const std::uint32_t b = std::max(begin, a_side ? s.a_begin : s.b_begin);
    const std::uint32_t e = std::min(end, a_side ? s.a_end : s.b_end);
    if (e > b) c += e - b;
  }
  return c;
}

std::uint32_t masked(const std::uint8_t *mask, const Unit &u) {
  if (!mask) return 0;
  std::uint32_t c = 0;
  for (std::uint32_t i = u.begin; i < u.end; ++i) c += mask[i] != 0;
  return c;
}

} // namespace

void sentence_units(std::string_view text, const Token *tokens, std::size_t n, std::vector<Unit> &out) {
  out.clear();
  std::uint32_t begin = 0;
  for (std::uint32_t i = 0; i < n; ++i) {
    const std::uint32_t len = i + 1 - begin;
    bool boundary = i + 1 == n || len >= kMaxUnit;
    if (!boundary && len >= kMinUnit) {
      // Sentence-final punctuation or a line break between this token and the next.
      for (std::size_t p = tokens[i].end; p < tokens[i + 1].start && !boundary;)
        boundary = ends_sentence(next_code_point(text, p));
    }
    if (boundary) {
      out.push_back(Unit{begin, i + 1});
      begin = i + 1;
    }
  }
  if (out.size() >= 2 && out.back().end - out.back().begin < kMinUnit) {
    out[out.size() - 2].end = out.back().end;
    out.pop_back();
  }
}

double sentence_similarity(const Token *t, std::size_t nt, const Token *w, std::size_t nw) {
  std::vector<std::uint64_t> tw, tb, ww, wb;
  words_and_bigrams(t, nt, tw, tb);
  words_and_bigrams(w, nw, ww, wb);
  return similarity_of(tw, tb, ww, wb);
}

std::vector<Span> find_rewrites(std::string_view a_text, const Token *a, std::size_t na, const std::uint8_t *a_mask,
                                std::string_view b_text, const Token *b, std::size_t nb, const std::uint8_t *b_mask,
                                const std::vector<Span> &taken, const RewriteOptions &options) {
  TextUnits pa, pb;
  pa.build(a_text, a, na);
  pa.build_index();
  pb.build(b_text, b, nb);
  return find_rewrites(pa, a_mask, pb, b_mask, taken, options);
}

void TextUnits::build(std::string_view text, const Token *t, std::size_t n) {
  build_units(text, t, n);
  build_words();
}

void TextUnits::build_units(std::string_view text, const Token *t, std::size_t n) {
  tokens = t;
  holders.clear();
  indexed = false;
  sentence_units(text, t, n, units);
  word_begin.clear();
  bigram_begin.clear();
  words.clear();
  bigrams.clear();
}

void TextUnits::build_words() {
  const Token *t = tokens;
  word_begin.assign(1, 0);
  bigram_begin.assign(1, 0);
  words.clear();
  bigrams.clear();
  std::vector<std::uint64_t> w, bg;
  for (const Unit &u : units) {
    words_and_bigrams(t + u.begin, u.end - u.begin, w, bg);
    words.insert(words.end(), w.begin(), w.end());
    bigrams.insert(bigrams.end(), bg.begin(), bg.end());
    word_begin.push_back(static_cast<std::uint32_t>(words.size()));
    bigram_begin.push_back(static_cast<std::uint32_t>(bigrams.size()));
  }
}

void WordFilters::build(const Token *t, std::size_t n) {
  words = detail::BitFilter(n);
  bigrams = detail::BitFilter(n);
  for (std::size_t i = 0; i < n; ++i) {
    words.add(t[i].hash);
    if (i + 1 < n) bigrams.add(bigram(t[i].hash, t[i + 1].hash));
  }
}

void TextUnits::build_index(WordFilters *built) {
  holders.clear();
  for (std::uint32_t k = 0; k < units.size(); ++k)
    for (std::uint32_t i = word_begin[k]; i < word_begin[k + 1]; ++i) holders.emplace_back(words[i], k);
  // Led by a word's hash: sorted in linear time.
  thread_local std::vector<std::pair<std::uint64_t, std::uint32_t>> tmp;
  thread_local std::vector<std::size_t> at;
  detail::sort_by_hash(
      holders.data(), holders.data() + holders.size(), [](const auto &e) { return e.first; }, 0, tmp, at);
  if (built) {
    filters = std::move(*built);
  } else {
    filters.build(tokens, units.empty() ? 0 : units.back().end);
  }
  indexed = true;
}

namespace {

bool holds(const std::uint64_t *first, const std::uint64_t *last, std::uint64_t h) {
  return std::binary_search(first, last, h);
}

// Whether one of units [first, last] of t holds word (or bigram) h.
bool window_holds(const TextUnits &t, std::uint32_t first, std::uint32_t last, std::uint64_t h, bool bigrams) {
  const std::vector<std::uint64_t> &v = bigrams ? t.bigrams : t.words;
  const std::vector<std::uint32_t> &begin = bigrams ? t.bigram_begin : t.word_begin;
  for (std::uint32_t u = first; u <= last; ++u)
    if (holds(v.data() + begin[u], v.data() + begin[u + 1], h)) return true;
  return false;
}

// Bit i set when the sorted values v..v_end hold x[i] ([x, x_end) sorted, at most 64 of them).
std::uint64_t held_mask(const std::uint64_t *x, const std::uint64_t *x_end, const std::uint64_t *v,
                        const std::uint64_t *v_end) {
  // Both lists are distinct values: one merge step at a time, which one steps chosen without a
  // branch (the two lists interleave at random).
  std::uint64_t mask = 0;
  for (std::size_t i = 0; x != x_end && v != v_end;) {
    const std::uint64_t a = *x, b = *v;
    mask |= static_cast<std::uint64_t>(a == b) << i;
    i += a <= b, x += a <= b;
    v += b <= a;
  }
  return mask;
}

// How many of the sorted values [x, x_end) units first..last (one or two) of t hold (in `v`,
// sorted per unit, delimited by `begin`), or equal `bridge` when `with_bridge`: one merge walk,
// the same count as looking each value up.
std::size_t count_held(const std::uint64_t *x, const std::uint64_t *x_end, const std::uint64_t *v,
                       const std::vector<std::uint32_t> &begin, std::uint32_t first, std::uint32_t last,
                       bool with_bridge, std::uint64_t bridge) {
  const std::uint64_t *p = v + begin[first], *pe = v + begin[first + 1];
  const std::uint64_t *q = v + begin[last], *qe = v + begin[last + 1];
  if (first == last) q = qe;
  std::size_t c = 0;
  for (; x != x_end; ++x) {
    const std::uint64_t h = *x;
    while (p != pe && *p < h) ++p;
    while (q != qe && *q < h) ++q;
    c += (p != pe && *p == h) || (q != qe && *q == h) || (with_bridge && h == bridge);
  }
  return c;
}

} // namespace

namespace {

// A unit at most half inside verbatim passages and at most half boilerplate.
bool free_unit(const Unit &u, const std::uint8_t *mask, const std::vector<Span> &taken, bool a_side) {
  const std::uint32_t len = u.end - u.begin;
  return 2 * covered(taken, a_side, u.begin, u.end) <= len && 2 * masked(mask, u) <= len;
}

} // namespace

std::vector<std::uint32_t> free_units(const TextUnits &t, const std::uint8_t *mask, const std::vector<Span> &taken,
                                      bool a_side) {
  std::vector<std::uint32_t> out;
  for (std::uint32_t k = 0; k < t.units.size(); ++k)
    if (free_unit(t.units[k], mask, taken, a_side)) out.push_back(k);
  return out;
}

std::vector<std::uint32_t> rewrite_reachable(const WordFilters &a, const TextUnits &b,
                                             const std::vector<std::uint32_t> &b_units, double min_similarity) {
  std::vector<std::uint32_t> out;
  for (const std::uint32_t k : b_units) {
    std::size_t w = 0, g = 0;
    for (std::uint32_t i = b.word_begin[k]; i < b.word_begin[k + 1]; ++i) w += a.words.may_hold(b.words[i]);
    for (std::uint32_t i = b.bigram_begin[k]; i < b.bigram_begin[k + 1]; ++i) g += a.bigrams.may_hold(b.bigrams[i]);
    // At least the similarity of any window (whose words and bigrams, the one bridging two units
    // too, a's filters hold): combine rises with each count, as its rounding does.
    if (combine(w, b.word_begin[k + 1] - b.word_begin[k], g, b.bigram_begin[k + 1] - b.bigram_begin[k]) >=
        min_similarity)
      out.push_back(k);
  }
  return out;
}

std::vector<Span> find_rewrites(const TextUnits &a, const std::uint8_t *a_mask, const TextUnits &b,
                                const std::uint8_t *b_mask, const std::vector<Span> &taken,
                                const RewriteOptions &options) {
  std::vector<Span> out;
  if (a.units.empty()) return out;
  const std::vector<std::uint32_t> b_units = free_units(b, b_mask, taken, false);
  if (b_units.empty()) return out; // all of b is a verbatim copy or boilerplate
  if (!a.indexed) {
    TextUnits indexed = a;
    indexed.build_index();
    return find_rewrites(indexed, a_mask, b, b_mask, taken, options);
  }
  const std::vector<Unit> &ua = a.units, &ub = b.units;
  std::vector<std::uint8_t> a_free(ua.size());
  bool any_free = false;
  for (std::size_t k = 0; k < ua.size(); ++k) any_free |= a_free[k] = free_unit(ua[k], a_mask, taken, true);
  if (!any_free) return out;

  // Most units of b, in a pair of texts on one topic, cannot reach min_similarity: dropped before
  // any search.
  const std::vector<std::uint32_t> reachable = rewrite_reachable(a.filters, b, b_units, options.min_similarity);
  if (reachable.empty()) return out;
  // Which units of a hold each word: a.holders, of which the free units are read.
  const std::vector<std::pair<std::uint64_t, std::uint32_t>> &holders = a.holders;

  // The similarity of b's unit k to a's units [first, last] (one or two): words and bigrams of k
  // held by either unit, plus the bigram that bridges two units. Which of k's words and bigrams an
  // a unit holds is found once per (k, unit) as bit masks (a unit has at most 64 tokens); a unit
  // too long for them (not made by sentence_units) is counted directly.
  struct Held {
    std::uint32_t unit;
    std::uint64_t words, bigrams;
  };
  std::vector<Held> held; // for the current unit of b
  auto held_by = [&](std::uint32_t k, std::uint32_t u) {
    for (const Held &h : held)
      if (h.unit == u) return h;
    const std::uint64_t *tw = b.words.data() + b.word_begin[k], *tw_end = b.words.data() + b.word_begin[k + 1];
    const std::uint64_t *tb = b.bigrams.data() + b.bigram_begin[k], *tb_end = b.bigrams.data() + b.bigram_begin[k + 1];
    held.push_back(
        Held{u, held_mask(tw, tw_end, a.words.data() + a.word_begin[u], a.words.data() + a.word_begin[u + 1]),
             held_mask(tb, tb_end, a.bigrams.data() + a.bigram_begin[u], a.bigrams.data() + a.bigram_begin[u + 1])});
    return held.back();
  };
  auto similarity = [&](std::uint32_t k, std::uint32_t first, std::uint32_t last) {
    const std::uint64_t *tw = b.words.data() + b.word_begin[k], *tw_end = b.words.data() + b.word_begin[k + 1];
    const std::uint64_t *tb = b.bigrams.data() + b.bigram_begin[k], *tb_end = b.bigrams.data() + b.bigram_begin[k + 1];
    const std::size_t nw = static_cast<std::size_t>(tw_end - tw), ng = static_cast<std::size_t>(tb_end - tb);
    const bool two = first < last;
    const std::uint64_t bridge = two ? bigram(a.tokens[ua[first].end - 1].hash, a.tokens[ua[last].begin].hash) : 0;
    if (nw > 64 || ng > 64)
      return combine(count_held(tw, tw_end, a.words.data(), a.word_begin, first, last, false, 0), nw,
                     count_held(tb, tb_end, a.bigrams.data(), a.bigram_begin, first, last, two, bridge), ng);
    const Held f = held_by(k, first);
    std::uint64_t words = f.words, bigrams = f.bigrams;
    if (two) {
      const Held l = held_by(k, last);
      words |= l.words, bigrams |= l.bigrams;
      const std::uint64_t *at = std::lower_bound(tb, tb_end, bridge);
      if (at != tb_end && *at == bridge) bigrams |= std::uint64_t{1} << (at - tb);
    }
    return combine(static_cast<std::size_t>(std::popcount(words)), nw, static_cast<std::size_t>(std::popcount(bigrams)),
                   ng);
  };

  // Each unit of b with its best window of a: the units that share most words with it, alone and
  // with a free neighbour, scored exactly.
  struct Match {
    std::uint32_t unit, first, last; // b unit; a units [first, last]
    double similarity;
  };
  std::vector<Match> matches;
  std::vector<std::uint32_t> shared(ua.size(), 0), touched;
  for (const std::uint32_t k : reachable) {
    touched.clear();
    // The unit's words are sorted: each is searched for from where the one before it was found,
    // galloping, not in all of the holders.
    auto from = holders.begin();
    for (std::uint32_t i = b.word_begin[k]; i < b.word_begin[k + 1]; ++i) {
      const std::uint64_t h = b.words[i];
      auto it = detail::gallop(from, holders.end(), h, [](const auto &e) { return e.first; });
      for (; it != holders.end() && it->first == h; ++it)
        if (a_free[it->second] && shared[it->second]++ == 0) touched.push_back(it->second);
      from = it;
    }
    // The three units sharing the most words: a reworded sentence shares most with the sentence
    // (or one of the two sentences) it restates.
    std::array<std::uint32_t, 3> top{};
    std::size_t ntop = 0;
    for (std::uint32_t x : touched) {
      if (ntop < top.size()) {
        top[ntop++] = x;
      } else {
        auto worst = std::min_element(top.begin(), top.end(), [&](std::uint32_t p, std::uint32_t q) {
          return shared[p] != shared[q] ? shared[p] < shared[q] : p > q;
        });
        if (shared[x] > shared[*worst] || (shared[x] == shared[*worst] && x < *worst)) *worst = x;
      }
    }
    for (std::uint32_t x : touched) shared[x] = 0;
    held.clear();
    Match best{k, 0, 0, -1.0};
    for (std::size_t j = 0; j < ntop; ++j) {
      const std::uint32_t x = top[j];
      for (int side = -1; side <= 1; ++side) {
        std::uint32_t first = x, last = x;
        if (side < 0) {
          if (x == 0 || !a_free[x - 1]) continue;
          first = x - 1;
        } else if (side > 0) {
          if (x + 1 >= ua.size() || !a_free[x + 1]) continue;
          last = x + 1;
        }
        const double s = similarity(k, first, last);
        // Ties go to the shorter window, then the earlier one, whatever the order of `top`.
        if (s > best.similarity + 1e-12 ||
            (s > best.similarity - 1e-12 &&
             (last - first < best.last - best.first || (last - first == best.last - best.first && first < best.first))))
          best = Match{k, first, last, s};
      }
    }
    if (best.similarity >= options.min_similarity) matches.push_back(best);
  }

  // One-to-one: the most similar claims a's units first.
  std::sort(matches.begin(), matches.end(), [](const Match &x, const Match &y) {
    return x.similarity != y.similarity ? x.similarity > y.similarity : x.unit < y.unit;
  });
  std::vector<std::uint8_t> used(ua.size(), 0);
  std::vector<Match> kept;
  for (const Match &m : matches) {
    bool free = true;
    for (std::uint32_t x = m.first; x <= m.last; ++x) free = free && !used[x];
    if (!free) continue;
    for (std::uint32_t x = m.first; x <= m.last; ++x) used[x] = 1;
    kept.push_back(m);
  }
  std::sort(kept.begin(), kept.end(), [](const Match &x, const Match &y) { return x.unit < y.unit; });

  // Consecutive units of b restating consecutive stretches of a become one passage.
  auto span_of = [&](const Match &m) {
    const Unit &u = ub[m.unit];
    Span s{ua[m.first].begin,   ua[m.last].end, u.begin, u.end, 0, static_cast<float>(m.similarity),
           PassageKind::Rewrite};
    // Tokens whose word the other side holds, on the side with fewer.
    const std::uint64_t *tw = b.words.data() + b.word_begin[m.unit],
                        *tw_end = b.words.data() + b.word_begin[m.unit + 1];
    std::uint32_t in_a = 0, in_b = 0;
    for (std::uint32_t i = s.a_begin; i < s.a_end; ++i) in_a += holds(tw, tw_end, a.tokens[i].hash) ? 1u : 0u;
    for (std::uint32_t i = s.b_begin; i < s.b_end; ++i)
      in_b += window_holds(a, m.first, m.last, b.tokens[i].hash, false);
    s.matched = std::min(in_a, in_b);
    return s;
  };
  std::vector<Span> merged;
  std::uint32_t last_unit = 0, last_a_unit = 0;
  for (const Match &m : kept) {
    Span s = span_of(m);
    if (!merged.empty() && m.unit == last_unit + 1 && m.first == last_a_unit + 1) {
      Span &p = merged.back();
      const double wp = p.b_end - p.b_begin, ws = s.b_end - s.b_begin;
      p.similarity = static_cast<float>((p.similarity * wp + s.similarity * ws) / (wp + ws));
      p.a_end = s.a_end, p.b_end = s.b_end, p.matched += s.matched;
    } else {
      merged.push_back(s);
    }
    last_unit = m.unit, last_a_unit = m.last;
  }
  for (const Span &s : merged)
    if (s.a_end - s.a_begin >= options.min_tokens && s.b_end - s.b_begin >= options.min_tokens) out.push_back(s);
  return out;
}

} // namespace storytrace

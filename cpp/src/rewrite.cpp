#include "storytrace/rewrite.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>

#include <xxhash.h>

#include "storytrace/common.hpp"

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

// Calls emit(value, count) for each run of equal values of the sorted v, in order.
template <class T, class F> void for_each_run(const std::vector<T> &v, F &&emit) {
  for (std::size_t i = 0; i < v.size();) {
    std::size_t j = i;
    while (j < v.size() && v[j] == v[i]) ++j;
    emit(v[i], j - i);
    i = j;
  }
}

std::uint16_t count16(std::size_t n) { return static_cast<std::uint16_t>(std::min<std::size_t>(n, UINT16_MAX)); }

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

void word_forms(std::string_view text, const Token *t, std::size_t n, std::vector<std::uint64_t> &out) {
  out.resize(n);
  std::string word;
  for (std::size_t i = 0; i < n; ++i) {
    const std::string_view raw = text.substr(t[i].start, t[i].end - t[i].start);
    bool ascii = true;
    for (const char c : raw) ascii = ascii && static_cast<unsigned char>(c) < 0x80;
    if (ascii) { // normalize_word's ASCII path: lower case, ` as '
      word.assign(raw);
      for (char &c : word) c = c == '`' ? '\'' : (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
    } else {
      normalize_word(raw, word);
    }
    out[i] = t[i].hash != 0 ? word_form(word, t[i].hash) : word_form(word);
  }
}

VocabularyEvidence vocabulary_evidence(const TextUnits &a, const TextUnits &b, const std::uint8_t *b_mask,
                                       const FormCounts *counts, std::size_t documents) {
  VocabularyEvidence e;
  // b's distinct forms outside boilerplate, and whether a holds each.
  std::vector<std::uint8_t> seen(b.vocab.size(), 0), held(b.vocab.size(), 0);
  for (std::size_t k = 0; k < b.vocab.size(); ++k)
    held[k] = std::binary_search(a.vocab.begin(), a.vocab.end(), b.vocab[k]);
  for (std::size_t i = 0; i < b.token_count; ++i) {
    if (b_mask && b_mask[i]) continue;
    const std::size_t k =
        static_cast<std::size_t>(std::lower_bound(b.vocab.begin(), b.vocab.end(), b.forms[i]) - b.vocab.begin());
    seen[k] = 1;
    ++e.tokens;
    e.matched += held[k];
  }
  const bool weighted = counts && !counts->empty() && documents > 0;
  double all = 0, found = 0;
  for (std::size_t k = 0; k < b.vocab.size(); ++k) {
    if (!seen[k]) continue;
    if (is_figure(b.vocab[k])) ++e.figures, e.figures_held += held[k];
    const double holders = weighted ? std::max<std::uint32_t>(counts->documents(b.vocab[k]), 1) : 1;
    const double w = weighted ? std::log((static_cast<double>(documents) + 1) / holders) : 1.0;
    all += w;
    if (held[k]) found += w;
  }
  e.share = all > 0 ? found / all : 0.0;
  return e;
}

bool vocabulary_derived(const VocabularyEvidence &e, double min_share) {
  return e.tokens >= kVocabularyTokens && e.share >= min_share && 2 * e.figures_held >= e.figures;
}

void TextUnits::build(std::string_view text, const Token *t, std::size_t n, const FormCounts *form_counts) {
  tokens = t;
  token_count = n;
  sentence_units(text, t, n, units);
  word_forms(text, t, n, forms);
  term_begin.assign(1, 0);
  terms.clear();
  counts.clear();
  std::vector<std::uint64_t> f;
  for (const Unit &u : units) {
    f.assign(forms.begin() + u.begin, forms.begin() + u.end);
    std::sort(f.begin(), f.end());
    for_each_run(f, [&](std::uint64_t form, std::size_t n) { terms.push_back(form), counts.push_back(count16(n)); });
    term_begin.push_back(static_cast<std::uint32_t>(terms.size()));
  }
  f.assign(terms.begin(), terms.end());
  std::sort(f.begin(), f.end());
  vocab.clear();
  df.clear();
  for_each_run(f, [&](std::uint64_t form, std::size_t n) {
    vocab.push_back(form), df.push_back(static_cast<std::uint32_t>(n));
  });
  rarity.clear();
  if (form_counts && !form_counts->empty())
    for (const std::uint64_t f : vocab) rarity.push_back(form_rarity(form_counts->documents(f)));
  local.resize(terms.size());
  for (std::size_t i = 0; i < terms.size(); ++i)
    local[i] = static_cast<std::uint32_t>(std::lower_bound(vocab.begin(), vocab.end(), terms[i]) - vocab.begin());
}

std::size_t TextUnits::bytes() const {
  return sizeof(*this) + units.capacity() * sizeof(Unit) + forms.capacity() * 8 + term_begin.capacity() * 4 +
         terms.capacity() * 8 + counts.capacity() * 2 + vocab.capacity() * 8 + df.capacity() * 4 +
         local.capacity() * 4 + rarity.capacity() * 8;
}

namespace {

// Tokens of [begin, end) inside the spans on one side.
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

// A seed: a unit of b and a unit of a it restates; `span` is the verbatim span it comes from
// (-1: a sentence pair). Its bounds are the units' tokens, or the verbatim span's.
struct Seed {
  std::uint32_t b_unit, a_unit;
  std::int32_t span;
  std::uint32_t a_begin, a_end, b_begin, b_end;
};

// A candidate passage: the seeds of one cluster.
struct Fragment {
  std::uint32_t a_begin, a_end, b_begin, b_end;
  double similarity;
  std::vector<std::uint32_t> spans; // verbatim spans inside, sorted
  std::uint32_t matched = 0;        // see Aligner::matched
  bool copied = false;              // one verbatim span alone (a piece a summary may join)
};

bool overlaps(std::uint32_t b0, std::uint32_t e0, std::uint32_t b1, std::uint32_t e1) { return b0 < e1 && b1 < e0; }

class Aligner {
public:
  Aligner(const TextUnits &a, const std::uint8_t *a_mask, const TextUnits &b, const std::uint8_t *b_mask,
          const std::vector<Span> &taken, const RewriteOptions &options)
      : a_(a), b_(b), taken_(taken), options_(options) {
    a_free_ = free_units(a, a_mask, true);
    b_free_ = free_units(b, b_mask, false);
    vocabulary();
  }

  Rewrites run() {
    std::vector<Seed> seeds = sentence_seeds();
    // Nothing reworded: only copied pieces that a summary may join.
    if (seeds.empty()) return taken_.size() < 2 ? Rewrites{} : filter({});
    verbatim_seeds(seeds);
    std::vector<Fragment> found = extend(seeds, kRewriteGap, kRewriteGap);
    // Summaries: clustered again with a wider gap on a's side, a passage shaped as a summary
    // (far longer on a's side) takes the place of those it overlaps on b's.
    for (Fragment &w : extend(seeds, kSummaryGap, kRewriteGap)) {
      if (w.a_end - w.a_begin < kSummaryRatio * (w.b_end - w.b_begin)) continue;
      std::erase_if(found, [&](const Fragment &f) { return overlaps(f.b_begin, f.b_end, w.b_begin, w.b_end); });
      found.push_back(std::move(w));
    }
    return filter(std::move(found));
  }

private:
  // The pair's vocabulary: every form of either text's units, with the units holding it.
  void vocabulary() {
    // The two texts' vocabularies merged, their unit counts added.
    vocab_.clear();
    std::vector<std::uint32_t> df;
    std::vector<double> rarity;
    auto rarity_of = [](const TextUnits &t, std::size_t i) { return t.rarity.empty() ? 1.0 : t.rarity[i]; };
    map_a_.resize(a_.vocab.size()), map_b_.resize(b_.vocab.size());
    for (std::size_t i = 0, j = 0; i < a_.vocab.size() || j < b_.vocab.size();) {
      const auto id = static_cast<std::uint32_t>(vocab_.size());
      if (j == b_.vocab.size() || (i < a_.vocab.size() && a_.vocab[i] < b_.vocab[j])) {
        vocab_.push_back(a_.vocab[i]), df.push_back(a_.df[i]), rarity.push_back(rarity_of(a_, i)), map_a_[i++] = id;
      } else if (i == a_.vocab.size() || b_.vocab[j] < a_.vocab[i]) {
        vocab_.push_back(b_.vocab[j]), df.push_back(b_.df[j]), rarity.push_back(rarity_of(b_, j)), map_b_[j++] = id;
      } else {
        vocab_.push_back(a_.vocab[i]), df.push_back(a_.df[i] + b_.df[j]), rarity.push_back(rarity_of(a_, i));
        map_a_[i++] = id, map_b_[j++] = id;
      }
    }
    const std::size_t w = vocab_.size();
    const double n = static_cast<double>(a_.units.size() + b_.units.size());
    isf_.resize(w);
    for (std::size_t t = 0; t < w; ++t) isf_[t] = std::log(n / df[t]) * rarity[t];
    as_ = side(a_, a_free_, true, map_a_);
    bs_ = side(b_, b_free_, false, map_b_);
    acc_a_.assign(w, 0.0), acc_b_.assign(w, 0.0);
  }

  std::uint32_t id_of(std::uint64_t form) const {
    return static_cast<std::uint32_t>(std::lower_bound(vocab_.begin(), vocab_.end(), form) - vocab_.begin());
  }

  // A text's free units as the pair sees them: each unit's distinct forms (by id in the
  // vocabulary, sorted) and counts, the norm of its tf-isf vector and its mass (the sum of its
  // forms' isf). A unit partly inside verbatim spans is seen without the tokens inside them, so
  // that the copied words, which the verbatim passage holds already, make no rewrite of the rest.
  struct Side {
    std::vector<std::uint32_t> begin, ids;
    std::vector<std::uint16_t> counts;
    std::vector<double> norm, mass;
    std::vector<std::uint32_t> figures; // per unit: its distinct figures
  };
  Side side(const TextUnits &t, const std::vector<std::uint8_t> &free, bool a_side,
            const std::vector<std::uint32_t> &map) const {
    Side out;
    out.begin.assign(1, 0);
    std::vector<std::uint64_t> f;
    for (std::size_t k = 0; k < t.units.size(); ++k) {
      const Unit &u = t.units[k];
      if (!free[k]) {
      } else if (covered(taken_, a_side, u.begin, u.end) == 0) {
        for (std::uint32_t i = t.term_begin[k]; i < t.term_begin[k + 1]; ++i)
          out.ids.push_back(map[t.local[i]]), out.counts.push_back(t.counts[i]);
      } else {
        f.clear();
        for (std::uint32_t i = u.begin; i < u.end; ++i)
          if (covered(taken_, a_side, i, i + 1) == 0) f.push_back(t.forms[i]);
        std::sort(f.begin(), f.end());
        for_each_run(f, [&](std::uint64_t form, std::size_t n) {
          out.ids.push_back(id_of(form)), out.counts.push_back(count16(n));
        });
      }
      out.begin.push_back(static_cast<std::uint32_t>(out.ids.size()));
      double sq = 0, mass = 0;
      std::uint32_t figures = 0;
      for (std::uint32_t i = out.begin[k]; i < out.begin[k + 1]; ++i) {
        const double w = out.counts[i] * isf_[out.ids[i]];
        sq += w * w, mass += isf_[out.ids[i]], figures += is_figure(vocab_[out.ids[i]]);
      }
      out.norm.push_back(std::sqrt(sq)), out.mass.push_back(mass), out.figures.push_back(figures);
    }
    return out;
  }

  // Units that may seed: at most half boilerplate and at most half inside verbatim spans.
  std::vector<std::uint8_t> free_units(const TextUnits &t, const std::uint8_t *mask, bool a_side) const {
    std::vector<std::uint8_t> out(t.units.size());
    for (std::size_t k = 0; k < t.units.size(); ++k) {
      const Unit &u = t.units[k];
      const std::uint32_t len = u.end - u.begin;
      const std::uint32_t in_spans = covered(taken_, a_side, u.begin, u.end);
      out[k] = 2 * masked(mask, u) <= len && 2 * in_spans <= len;
    }
    return out;
  }

  // Sentence pairs whose cosine and weighted Dice both reach the bar. Candidates come from the
  // postings of a's free units; a form held by many of them (a function word) adds too little to
  // make a seed alone and is not followed.
  std::vector<Seed> sentence_seeds() {
    std::vector<Seed> out;
    const std::size_t nt = vocab_.size(), na = a_.units.size();
    std::vector<std::uint32_t> begin(nt + 1, 0);
    for (std::size_t k = 0; k < na; ++k)
      if (a_free_[k])
        for (std::uint32_t i = as_.begin[k]; i < as_.begin[k + 1]; ++i) ++begin[as_.ids[i] + 1];
    for (std::size_t t = 0; t < nt; ++t) begin[t + 1] += begin[t];
    std::vector<std::uint32_t> at(begin.begin(), begin.end() - 1), holder(begin.back());
    for (std::uint32_t k = 0; k < na; ++k)
      if (a_free_[k])
        for (std::uint32_t i = as_.begin[k]; i < as_.begin[k + 1]; ++i) holder[at[as_.ids[i]]++] = k;
    const std::uint32_t cap = 16 + static_cast<std::uint32_t>(na / 4);
    std::vector<std::uint8_t> seen(na, 0);
    std::vector<std::uint32_t> touched;
    for (std::uint32_t k = 0; k < b_.units.size(); ++k) {
      if (!b_free_[k] || bs_.norm[k] == 0) continue;
      touched.clear();
      for (std::uint32_t i = bs_.begin[k]; i < bs_.begin[k + 1]; ++i) {
        const std::uint32_t t = bs_.ids[i];
        if (begin[t + 1] - begin[t] > cap || isf_[t] <= 0) continue;
        for (std::uint32_t p = begin[t]; p < begin[t + 1]; ++p)
          if (!seen[holder[p]]) seen[holder[p]] = 1, touched.push_back(holder[p]);
      }
      for (const std::uint32_t j : touched) {
        seen[j] = 0;
        double dot = 0, shared = 0;
        std::uint32_t shared_figures = 0;
        for (std::uint32_t x = as_.begin[j], y = bs_.begin[k]; x < as_.begin[j + 1] && y < bs_.begin[k + 1];) {
          if (as_.ids[x] < bs_.ids[y]) {
            ++x;
          } else if (bs_.ids[y] < as_.ids[x]) {
            ++y;
          } else {
            const double w = isf_[as_.ids[x]];
            dot += as_.counts[x] * w * bs_.counts[y] * w, shared += w;
            shared_figures += is_figure(vocab_[as_.ids[x]]), ++x, ++y;
          }
        }
        if (as_.norm[j] == 0) continue;
        const double cosine = dot / (as_.norm[j] * bs_.norm[k]);
        const double dice = 2 * shared / (as_.mass[j] + bs_.mass[k]);
        // Two sentences that both give figures and share none report other facts in one form
        // (a templated report), not one fact in other words.
        const bool other_figures = as_.figures[j] > 0 && bs_.figures[k] > 0 && shared_figures == 0;
        if (cosine >= options_.min_similarity && dice >= options_.min_similarity && !other_figures) {
          const Unit &ua = a_.units[j], &ub = b_.units[k];
          out.push_back(Seed{k, j, -1, ua.begin, ua.end, ub.begin, ub.end});
        }
      }
    }
    return out;
  }

  std::uint32_t unit_of(const TextUnits &t, std::uint32_t token) const {
    const auto it = std::upper_bound(t.units.begin(), t.units.end(), token,
                                     [](std::uint32_t x, const Unit &u) { return x < u.end; });
    return static_cast<std::uint32_t>(std::min<std::size_t>(it - t.units.begin(), t.units.size() - 1));
  }

  // Each sentence of b a verbatim span covers is a seed, with the sentence of a it faces.
  void verbatim_seeds(std::vector<Seed> &out) const {
    for (std::size_t s = 0; s < taken_.size(); ++s) {
      const Span &sp = taken_[s];
      if (sp.b_end <= sp.b_begin || sp.a_end <= sp.a_begin) continue;
      const double ratio = static_cast<double>(sp.a_end - sp.a_begin) / (sp.b_end - sp.b_begin);
      for (std::uint32_t k = unit_of(b_, sp.b_begin); k < b_.units.size() && b_.units[k].begin < sp.b_end; ++k) {
        const std::uint32_t x0 = std::max(sp.b_begin, b_.units[k].begin), x1 = std::min(sp.b_end, b_.units[k].end);
        const std::uint32_t mid = (x0 + x1) / 2;
        const auto pos =
            std::min<std::uint32_t>(sp.a_end - 1, sp.a_begin + static_cast<std::uint32_t>((mid - sp.b_begin) * ratio));
        out.push_back(
            Seed{k, unit_of(a_, pos), static_cast<std::int32_t>(s), sp.a_begin, sp.a_end, sp.b_begin, sp.b_end});
      }
    }
  }

  // Splits a cluster where two seeds next in one side's order are more than `gap` units apart.
  static void split(std::vector<std::uint32_t> &cl, const std::vector<Seed> &seeds, bool a_side, std::uint32_t gap,
                    std::vector<std::vector<std::uint32_t>> &out) {
    auto key = [&](std::uint32_t s) { return a_side ? seeds[s].a_unit : seeds[s].b_unit; };
    std::sort(cl.begin(), cl.end(),
              [&](std::uint32_t x, std::uint32_t y) { return key(x) != key(y) ? key(x) < key(y) : x < y; });
    std::size_t from = 0;
    for (std::size_t i = 1; i <= cl.size(); ++i)
      if (i == cl.size() || key(cl[i]) > key(cl[i - 1]) + gap + 1) {
        out.emplace_back(cl.begin() + static_cast<std::ptrdiff_t>(from), cl.begin() + static_cast<std::ptrdiff_t>(i));
        from = i;
      }
  }

  // The tf-isf cosine of tokens [a0, a1) of a and [b0, b1) of b.
  double cosine(std::uint32_t a0, std::uint32_t a1, std::uint32_t b0, std::uint32_t b1) {
    touched_.clear();
    auto add = [&](const TextUnits &t, std::uint32_t x0, std::uint32_t x1, std::vector<double> &acc) {
      for (std::uint32_t i = x0; i < x1; ++i) {
        const std::uint32_t id = id_of(t.forms[i]);
        if (id >= vocab_.size() || vocab_[id] != t.forms[i]) continue; // in no unit (cannot happen)
        if (acc_a_[id] == 0 && acc_b_[id] == 0) touched_.push_back(id);
        acc[id] += isf_[id];
      }
    };
    add(a_, a0, a1, acc_a_);
    add(b_, b0, b1, acc_b_);
    double dot = 0, na = 0, nb = 0;
    for (const std::uint32_t id : touched_) {
      dot += acc_a_[id] * acc_b_[id], na += acc_a_[id] * acc_a_[id], nb += acc_b_[id] * acc_b_[id];
      acc_a_[id] = acc_b_[id] = 0;
    }
    return na > 0 && nb > 0 ? dot / std::sqrt(na * nb) : 0.0;
  }

  // Seeds clustered into fragments: split on either side's gaps until no cluster splits, then
  // each cluster that holds a sentence seed kept when its sides are similar enough, or clustered
  // again with gaps one smaller.
  std::vector<Fragment> extend(const std::vector<Seed> &seeds, std::uint32_t gap_a, std::uint32_t gap_b) {
    std::vector<std::uint32_t> all(seeds.size());
    for (std::uint32_t i = 0; i < all.size(); ++i) all[i] = i;
    std::vector<Fragment> out;
    extend(seeds, all, gap_a, gap_b, out);
    return out;
  }

  void extend(const std::vector<Seed> &seeds, std::vector<std::uint32_t> cluster, std::uint32_t gap_a,
              std::uint32_t gap_b, std::vector<Fragment> &out) {
    std::vector<std::vector<std::uint32_t>> work{std::move(cluster)}, next, parts;
    for (bool changed = true; changed;) {
      changed = false;
      next.clear();
      for (auto &cl : work) {
        parts.clear();
        split(cl, seeds, false, gap_b, parts);
        changed = changed || parts.size() > 1;
        for (auto &p : parts) {
          const std::size_t before = next.size();
          split(p, seeds, true, gap_a, next);
          changed = changed || next.size() - before > 1;
        }
      }
      work.swap(next);
    }
    for (auto &cl : work) {
      Fragment f{UINT32_MAX, 0, UINT32_MAX, 0, 0.0, {}};
      std::size_t sentences = 0;
      units_.clear();
      for (const std::uint32_t s : cl) {
        const Seed &x = seeds[s];
        units_.push_back(x.b_unit);
        f.a_begin = std::min(f.a_begin, x.a_begin), f.a_end = std::max(f.a_end, x.a_end);
        f.b_begin = std::min(f.b_begin, x.b_begin), f.b_end = std::max(f.b_end, x.b_end);
        if (x.span >= 0) {
          f.spans.push_back(static_cast<std::uint32_t>(x.span));
        } else {
          ++sentences;
        }
      }
      if (sentences == 0) continue; // copied text alone: the verbatim passages say it
      std::sort(f.spans.begin(), f.spans.end());
      f.spans.erase(std::unique(f.spans.begin(), f.spans.end()), f.spans.end());
      // Two seeds at least: a pair of similar sentences alone may be two reports of one event
      // (and smaller gaps only split a cluster into fewer seeds each).
      if (sentences + f.spans.size() < 2) continue;
      f.similarity = cosine(f.a_begin, f.a_end, f.b_begin, f.b_end);

      // Most of b's sentences in the passage restate a's: text that shares a topic's words, not
      // its sentences, seeds here and there.
      std::sort(units_.begin(), units_.end());
      const std::size_t spanned = units_.back() - units_.front() + 1;
      const std::size_t seeded = static_cast<std::size_t>(std::unique(units_.begin(), units_.end()) - units_.begin());
      if (f.similarity >= kFragmentSimilarity &&
          kSeededShare * static_cast<double>(spanned) <= static_cast<double>(seeded)) {
        out.push_back(std::move(f));
      } else if (gap_a > 0 || gap_b > 0) {
        extend(seeds, cl, gap_a > 0 ? gap_a - 1 : 0, gap_b > 0 ? gap_b - 1 : 0, out);
      }
    }
  }

  // Fragments grown over the verbatim spans they overlap, then kept best first (similarity times
  // length) when they overlap no fragment kept before on either side and are long enough.
  Rewrites filter(std::vector<Fragment> found) {
    for (Fragment &f : found) {
      for (bool grew = true; grew;) {
        grew = false;
        for (std::uint32_t s = 0; s < taken_.size(); ++s) {
          const Span &sp = taken_[s];
          if (!overlaps(f.a_begin, f.a_end, sp.a_begin, sp.a_end) &&
              !overlaps(f.b_begin, f.b_end, sp.b_begin, sp.b_end))
            continue;
          if (std::find(f.spans.begin(), f.spans.end(), s) == f.spans.end()) f.spans.push_back(s);
          if (sp.a_begin < f.a_begin || sp.a_end > f.a_end || sp.b_begin < f.b_begin || sp.b_end > f.b_end) {
            f.a_begin = std::min(f.a_begin, sp.a_begin), f.a_end = std::max(f.a_end, sp.a_end);
            f.b_begin = std::min(f.b_begin, sp.b_begin), f.b_end = std::max(f.b_end, sp.b_end);
            grew = true;
          }
        }
      }
      std::sort(f.spans.begin(), f.spans.end());
    }
    // As long as a verbatim passage must be: min_tokens on each side, and as many tokens whose
    // form the other side holds (fewer are a few shared words in one form).
    for (Fragment &f : found) f.matched = matched(f);
    std::erase_if(found, [&](const Fragment &f) {
      return f.a_end - f.a_begin < options_.min_tokens || f.b_end - f.b_begin < options_.min_tokens ||
             f.matched < options_.min_tokens;
    });
    auto score = [](const Fragment &f) { return f.similarity * ((f.a_end - f.a_begin) + (f.b_end - f.b_begin)); };
    std::sort(found.begin(), found.end(), [&](const Fragment &x, const Fragment &y) {
      return score(x) != score(y) ? score(x) > score(y) : x.b_begin < y.b_begin;
    });
    std::vector<Fragment> kept;
    for (Fragment &f : found) {
      bool clear = true;
      for (const Fragment &k : kept)
        clear = clear && !overlaps(f.a_begin, f.a_end, k.a_begin, k.a_end) &&
                !overlaps(f.b_begin, f.b_end, k.b_begin, k.b_end);
      if (clear) kept.push_back(std::move(f));
    }
    // The verbatim spans no passage took in are pieces a summary may join; alone they stay as
    // they are.
    std::vector<std::uint8_t> taken_in(taken_.size(), 0);
    for (const Fragment &k : kept)
      for (const std::uint32_t s : k.spans) taken_in[s] = 1;
    for (std::uint32_t s = 0; s < taken_.size(); ++s) {
      const Span &sp = taken_[s];
      if (taken_in[s] || sp.a_end <= sp.a_begin || sp.b_end <= sp.b_begin) continue;
      kept.push_back(Fragment{sp.a_begin, sp.a_end, sp.b_begin, sp.b_end, 1.0, {s}, sp.matched, true});
    }
    join_summaries(kept);
    Rewrites r;
    for (const Fragment &f : kept) {
      if (f.copied) continue;
      const double similarity = cosine(f.a_begin, f.a_end, f.b_begin, f.b_end);
      r.spans.push_back(Span{f.a_begin, f.a_end, f.b_begin, f.b_end, f.matched, static_cast<float>(similarity),
                             PassageKind::Rewrite});
      r.absorbed.insert(r.absorbed.end(), f.spans.begin(), f.spans.end());
    }
    std::sort(r.spans.begin(), r.spans.end(), [](const Span &x, const Span &y) { return x.b_begin < y.b_begin; });
    std::sort(r.absorbed.begin(), r.absorbed.end());
    r.absorbed.erase(std::unique(r.absorbed.begin(), r.absorbed.end()), r.absorbed.end());
    return r;
  }

  // Passages next to each other on b's side (at most kSummaryJoinGap sentences between them) that
  // together are shaped as a summary (their joint side on a kSummaryRatio times b's) are one
  // summary of the stretch of a they span, retold in another order: joined when the joint passage
  // is still as similar as a passage must be and its side on a meets no other passage.
  void join_summaries(std::vector<Fragment> &kept) {
    if (kept.size() < 2) return;
    std::sort(kept.begin(), kept.end(), [](const Fragment &x, const Fragment &y) { return x.b_begin < y.b_begin; });
    std::vector<Fragment> out;
    out.push_back(std::move(kept[0]));
    for (std::size_t i = 1; i < kept.size(); ++i) {
      Fragment &cur = out.back(), &next = kept[i];
      Fragment joint{std::min(cur.a_begin, next.a_begin),
                     std::max(cur.a_end, next.a_end),
                     cur.b_begin,
                     std::max(cur.b_end, next.b_end),
                     0.0,
                     {}};
      // Sentences of b between the two (none when they meet or overlap).
      const std::uint32_t last = unit_of(b_, cur.b_end - 1), first = unit_of(b_, next.b_begin);
      const std::uint32_t between = first > last ? first - last - 1 : 0;
      bool join =
          between <= kSummaryJoinGap && joint.a_end - joint.a_begin >= kSummaryRatio * (joint.b_end - joint.b_begin);
      for (std::size_t j = 0; join && j + 1 < out.size(); ++j)
        join = !overlaps(joint.a_begin, joint.a_end, out[j].a_begin, out[j].a_end);
      for (std::size_t j = i + 1; join && j < kept.size(); ++j)
        join = !overlaps(joint.a_begin, joint.a_end, kept[j].a_begin, kept[j].a_end);
      if (join) {
        joint.similarity = cosine(joint.a_begin, joint.a_end, joint.b_begin, joint.b_end);
        join = joint.similarity >= kFragmentSimilarity;
      }
      if (!join) {
        out.push_back(std::move(next));
        continue;
      }
      joint.spans = std::move(cur.spans);
      joint.spans.insert(joint.spans.end(), next.spans.begin(), next.spans.end());
      std::sort(joint.spans.begin(), joint.spans.end());
      joint.spans.erase(std::unique(joint.spans.begin(), joint.spans.end()), joint.spans.end());
      joint.matched = matched(joint);
      cur = std::move(joint);
    }
    kept = std::move(out);
  }

  // Tokens of either side whose form the other side holds, on the side with fewer.
  std::uint32_t matched(const Fragment &f) const {
    std::vector<std::uint64_t> fa(a_.forms.begin() + f.a_begin, a_.forms.begin() + f.a_end),
        fb(b_.forms.begin() + f.b_begin, b_.forms.begin() + f.b_end);
    std::sort(fa.begin(), fa.end());
    std::sort(fb.begin(), fb.end());
    std::uint32_t in_a = 0, in_b = 0;
    for (std::uint32_t i = f.a_begin; i < f.a_end; ++i) in_a += std::binary_search(fb.begin(), fb.end(), a_.forms[i]);
    for (std::uint32_t i = f.b_begin; i < f.b_end; ++i) in_b += std::binary_search(fa.begin(), fa.end(), b_.forms[i]);
    return std::min(in_a, in_b);
  }

  const TextUnits &a_, &b_;
  const std::vector<Span> &taken_;
  const RewriteOptions &options_;
  std::vector<std::uint64_t> vocab_;
  std::vector<double> isf_, acc_a_, acc_b_;
  Side as_, bs_;
  std::vector<std::uint32_t> touched_, units_, map_a_, map_b_;
  std::vector<std::uint8_t> a_free_, b_free_;
};

} // namespace

Rewrites find_rewrites(const TextUnits &a, const std::uint8_t *a_mask, const TextUnits &b, const std::uint8_t *b_mask,
                       const std::vector<Span> &taken, const RewriteOptions &options) {
  if (a.units.empty() || b.units.empty()) return {};
  return Aligner(a, a_mask, b, b_mask, taken, options).run();
}

Rewrites find_rewrites(std::string_view a_text, const Token *a, std::size_t na, const std::uint8_t *a_mask,
                       std::string_view b_text, const Token *b, std::size_t nb, const std::uint8_t *b_mask,
                       const std::vector<Span> &taken, const RewriteOptions &options, const FormCounts *counts) {
  TextUnits pa, pb;
  pa.build(a_text, a, na, counts);
  pb.build(b_text, b, nb, counts);
  return find_rewrites(pa, a_mask, pb, b_mask, taken, options);
}

void apply_rewrites(std::vector<Span> &found, const Rewrites &r) {
  if (r.spans.empty()) return;
  std::size_t w = 0, next = 0;
  for (std::uint32_t i = 0; i < found.size(); ++i) {
    if (next < r.absorbed.size() && r.absorbed[next] == i) {
      ++next;
      continue;
    }
    found[w++] = found[i];
  }
  found.resize(w);
  found.insert(found.end(), r.spans.begin(), r.spans.end());
}

} // namespace storytrace

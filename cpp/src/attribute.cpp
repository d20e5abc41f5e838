#include "storytrace/attribute.hpp"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <iterator>
#include <numeric>

#include "storytrace/attribute_steps.hpp"

namespace storytrace {

std::string_view evidence_name(Evidence e) {
  switch (e) {
  case Evidence::Published: return "published";
  case Evidence::Credit: return "credit";
  case Evidence::Containment: return "containment";
  case Evidence::Sibling: return "sibling";
  case Evidence::Undirected: return "undirected";
  }
  return "undirected";
}

std::string_view derivation_name(Derivation d) {
  switch (d) {
  case Derivation::Wholly: return "wholly";
  case Derivation::Partially: return "partially";
  case Derivation::None: return "none";
  }
  return "none";
}

std::string_view origin_evidence_name(OriginEvidence e) {
  switch (e) {
  case OriginEvidence::Passages: return "passages";
  case OriginEvidence::Credit: return "credit";
  case OriginEvidence::Vocabulary: return "vocabulary";
  case OriginEvidence::None: return "none";
  }
  return "none";
}

namespace {

struct UnionFind {
  std::vector<std::uint32_t> parent;
  explicit UnionFind(std::size_t n) : parent(n) { std::iota(parent.begin(), parent.end(), 0u); }
  std::uint32_t find(std::uint32_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  }
  void unite(std::uint32_t a, std::uint32_t b) {
    a = find(a), b = find(b);
    if (a != b) parent[std::max(a, b)] = std::min(a, b);
  }
};

// Sorts the (begin, end) intervals of [first, last) and merges, in place from first, those that
// overlap or touch; returns the end of the merged ones.
template <class It> It merge_intervals(It first, It last) {
  std::sort(first, last);
  It out = first;
  for (It it = first; it != last; ++it) {
    if (out != first && it->first <= std::prev(out)->second)
      std::prev(out)->second = std::max(std::prev(out)->second, it->second);
    else
      *out++ = *it;
  }
  return out;
}

} // namespace

namespace steps {

void Runner::report(std::size_t step) const {
  if (in.progress && *in.progress && !(*in.progress)("attribute", step, kSteps)) throw Cancelled();
}

void Runner::parallel(std::size_t step, std::size_t count, const std::function<void(std::size_t)> &fn) const {
  const Progress at_step = [&](std::string_view, std::size_t, std::size_t) {
    return !in.progress || !*in.progress || (*in.progress)("attribute", step, kSteps);
  };
  detail::parallel_for(count, in.threads, 1024, fn, &at_step, "attribute");
}

bool Rules::credits(std::size_t d, std::int32_t agency) const {
  const std::int32_t *b = in.credit_agency + in.credit_begin[d], *e = in.credit_agency + in.credit_begin[d + 1];
  return agency >= 0 && std::find(b, e, agency) != e;
}

std::uint32_t Rules::effective(std::size_t d) const {
  return std::max<std::uint32_t>(1, in.tokens[d] - std::min(in.tokens[d], in.boilerplate[d]));
}

bool Rules::earlier(std::int32_t x, std::int32_t y) const {
  const TimeRange &tx = in.time[x], &ty = in.time[y];
  return orders_before(tx, ty) || (!orders_before(ty, tx) && x < y);
}

bool Rules::reprints_of(std::uint32_t a, std::uint32_t b, std::int32_t agency) const {
  return credits(b, agency) && in.outlet_agency[a] != agency && in.outlet_agency[b] != agency;
}

Origin Rules::best_of(const Tally &v) const {
  Origin best;
  std::uint32_t most = 0;
  v.each([&](const Origin &o, std::uint32_t count) {
    const bool better =
        count > most || (count == most && !best.empty() &&
                         ((o.doc >= 0 && best.doc >= 0) ? earlier(o.doc, best.doc) : o.doc < 0 && best.doc >= 0));
    if (better) best = o, most = count;
  });
  return best;
}

double exactness(const Span &sp) {
  return double{sp.similarity} * sp.matched / std::max<std::uint32_t>(1, sp.b_end - sp.b_begin);
}

// ---- 1. the pair table ------------------------------------------------------------------------

std::size_t PairTable::find(std::uint32_t x, std::uint32_t y) const {
  const std::uint32_t a = std::min(x, y), b = std::max(x, y);
  if (b + 1 >= pairs_of_b.size()) return kNoPair;
  const auto first = pairs.begin() + static_cast<std::ptrdiff_t>(pairs_of_b[b]);
  const auto last = pairs.begin() + static_cast<std::ptrdiff_t>(pairs_of_b[b + 1]);
  const auto it = std::lower_bound(first, last, a, [](const Pair &q, std::uint32_t v) { return q.a < v; });
  return it != last && it->a == a ? static_cast<std::size_t>(it - pairs.begin()) : kNoPair;
}

double PairTable::differences(std::uint32_t x, std::uint32_t y) const {
  const std::size_t q = find(x, y);
  return q == kNoPair ? -1.0 : 1 - pairs[q].exact;
}

PairTable pair_table(const AttributeInput &in, std::vector<Passage> passages) {
  const std::size_t n = in.docs;
  for (Passage &p : passages) {
    if (p.a > p.b) p.flip();
  }
  // Stably by (b, a, b_begin): placed by b (a counting sort, which keeps their order), then each
  // b's few passages stably sorted by (a, b_begin), documents in parallel; the order one
  // stable_sort of millions of passages on one thread gives.
  {
    std::vector<std::uint64_t> at(n + 1, 0);
    for (const Passage &p : passages) ++at[p.b + 1];
    for (std::size_t d = 0; d < n; ++d) at[d + 1] += at[d];
    std::vector<Passage> placed(passages.size());
    {
      std::vector<std::uint64_t> fill(at.begin(), at.end() - 1);
      for (const Passage &p : passages) placed[fill[p.b]++] = p;
    }
    passages.swap(placed);
    auto before = [](const Passage &x, const Passage &y) {
      return x.a != y.a ? x.a < y.a : x.span.b_begin < y.span.b_begin;
    };
    detail::parallel_for(n, in.threads, 4096, [&](std::size_t d) {
      Passage *lo = passages.data() + at[d], *hi = passages.data() + at[d + 1];
      if (hi - lo > 16) {
        std::stable_sort(lo, hi, before);
        return;
      }
      for (Passage *i = lo + 1; i < hi; ++i) { // insertion: stable, and no buffer to allocate
        Passage x = *i, *j = i;
        for (; j > lo && before(x, j[-1]); --j) *j = j[-1];
        *j = x;
      }
    });
  }
  PairTable t;
  t.passages = std::move(passages);
  const std::vector<Passage> &ps = t.passages;
  for (std::size_t i = 0; i < ps.size();) {
    Pair pr{ps[i].a, ps[i].b, i, i, 0, 0, 0, 0, 0};
    double matched = 0, length = 0;
    for (; pr.end < ps.size() && ps[pr.end].a == pr.a && ps[pr.end].b == pr.b; ++pr.end) {
      const Passage &p = ps[pr.end];
      const Span &sp = p.span;
      pr.shared_a += sp.a_end - sp.a_begin;
      pr.shared_b += sp.b_end - sp.b_begin;
      pr.text_a += sp.a_end - sp.a_begin - std::min(p.a_boilerplate, sp.a_end - sp.a_begin);
      pr.text_b += sp.b_end - sp.b_begin - std::min(p.b_boilerplate, sp.b_end - sp.b_begin);
      matched += double{sp.similarity} * sp.matched;
      length += sp.b_end - sp.b_begin;
    }
    pr.exact = matched / std::max(1.0, length);
    t.pairs.push_back(pr);
    i = pr.end;
  }
  t.pairs_of_b.assign(n + 1, 0);
  t.wire_begin.assign(n + 1, 0);
  auto wire_side = [&](const Pair &q, std::uint32_t d) { return in.outlet_agency[q.a == d ? q.b : q.a] != kNone; };
  for (const Pair &q : t.pairs) {
    ++t.pairs_of_b[q.b + 1];
    t.wire_begin[q.a + 1] += wire_side(q, q.a);
    t.wire_begin[q.b + 1] += wire_side(q, q.b);
  }
  for (std::size_t d = 0; d < n; ++d) t.wire_begin[d + 1] += t.wire_begin[d], t.pairs_of_b[d + 1] += t.pairs_of_b[d];
  t.wire_pairs.resize(t.wire_begin[n]);
  std::vector<std::uint64_t> fill(t.wire_begin.begin(), t.wire_begin.end() - 1);
  for (std::size_t q = 0; q < t.pairs.size(); ++q)
    for (const std::uint32_t d : {t.pairs[q].a, t.pairs[q].b})
      if (wire_side(t.pairs[q], d)) t.wire_pairs[fill[d]++] = q;
  return t;
}

// ---- 2. sibling rules -------------------------------------------------------------------------

bool share_edits(const PairTable &t, const AttributeInput &in, std::uint32_t a, std::uint32_t b, std::int32_t agency,
                 const AttributeOptions &options) {
  const double between = t.differences(a, b);
  for (std::uint64_t k = t.wire_begin[a]; k < t.wire_begin[a + 1]; ++k) {
    const Pair &q = t.pairs[t.wire_pairs[k]];
    const std::uint32_t wire = q.a == a ? q.b : q.a;
    if (in.outlet_agency[wire] != agency) continue;
    const double from_wire = std::min(1 - q.exact, t.differences(wire, b));
    if (from_wire > 0 && between <= options.closer * from_wire) return true;
  }
  return false;
}

std::vector<std::uint8_t> own_text_pairs(const PairTable &t, const AttributeInput &in, const AttributeOptions &options,
                                         const Runner &run) {
  const Rules rules{in};
  // d's side of q's passages, merged.
  auto spans_of = [&](const Pair &q, std::uint32_t d, std::vector<std::pair<std::uint32_t, std::uint32_t>> &out) {
    out.clear();
    for (std::size_t k = q.begin; k < q.end; ++k) {
      const Span &sp = t.passages[k].span;
      out.emplace_back(q.a == d ? sp.a_begin : sp.b_begin, q.a == d ? sp.a_end : sp.b_end);
    }
    out.erase(merge_intervals(out.begin(), out.end()), out.end());
  };
  // d's tokens in q's passages and not in w's, in those of q's stretches that hold some of w's.
  auto beyond = [&](const Pair &q, const Pair &w, std::uint32_t d) {
    thread_local std::vector<std::pair<std::uint32_t, std::uint32_t>> in_q, in_w;
    spans_of(q, d, in_q), spans_of(w, d, in_w);
    std::uint32_t count = 0;
    for (const auto &[s0, e0] : in_q) {
      std::uint32_t inside = 0;
      for (const auto &[s1, e1] : in_w)
        if (s1 < e0 && s0 < e1) inside += std::min(e0, e1) - std::max(s0, s1);
      if (inside > 0) count += (e0 - s0) - inside; // beside the agency's text, not in a passage apart
    }
    return count;
  };
  std::vector<std::uint8_t> own_text(t.pairs.size(), 0);
  run.parallel(0, t.pairs.size(), [&](std::size_t q) {
    const std::uint32_t a = t.pairs[q].a, b = t.pairs[q].b;
    for (std::uint64_t c = in.credit_begin[a]; c != in.credit_begin[a + 1] && !own_text[q]; ++c) {
      const std::int32_t agency = in.credit_agency[c];
      if (!rules.reprints_of(a, b, agency)) continue;
      for (std::uint64_t k = t.wire_begin[a]; k < t.wire_begin[a + 1] && !own_text[q]; ++k) {
        const Pair &w = t.pairs[t.wire_pairs[k]];
        const std::uint32_t wire = w.a == a ? w.b : w.a;
        const std::size_t wb = t.find(wire, b);
        if (in.outlet_agency[wire] == agency && wb != PairTable::kNoPair &&
            beyond(t.pairs[q], w, a) >= options.own_text && beyond(t.pairs[q], t.pairs[wb], b) >= options.own_text)
          own_text[q] = 1;
      }
    }
  });
  return own_text;
}

// ---- 3. direction -----------------------------------------------------------------------------

bool Directions::directed(const PairTable &t, std::uint32_t source, std::uint32_t target) const {
  const std::size_t q = t.find(source, target);
  return q != PairTable::kNoPair && directed_from_a[q] == (source < target ? 1 : -1);
}

Directions directions(PairTable &t, const AttributeInput &in, const std::vector<std::uint8_t> &own_text,
                      const AttributeOptions &options, const Runner &run) {
  const Rules rules{in};
  Directions out;
  out.directed_from_a.assign(t.pairs.size(), 0);
  out.link_of.resize(t.passages.size());
  out.links.resize(t.pairs.size());
  // Each pair on its own: it writes its link, its direction and its own passages only.
  run.parallel(0, t.pairs.size(), [&](std::size_t q) {
    const Pair &pr = t.pairs[q];
    const std::size_t i = pr.begin, j = pr.end;
    const std::uint32_t a = pr.a, b = pr.b, shared_a = pr.shared_a, shared_b = pr.shared_b;
    // The share of a found in b (and of b in a), of the text outside boilerplate.
    const double ca = std::min(1.0, static_cast<double>(pr.text_a) / rules.effective(a));
    const double cb = std::min(1.0, static_cast<double>(pr.text_b) / rules.effective(b));
    Evidence ev = Evidence::Undirected;
    bool a_is_source = true;
    std::int32_t agency = kNone;
    // Two reprints of an agency's copy, neither copying the other: siblings.
    for (std::uint64_t c = in.credit_begin[a]; c != in.credit_begin[a + 1]; ++c) {
      const std::int32_t credited = in.credit_agency[c];
      if (rules.reprints_of(a, b, credited) && !own_text[q] && !share_edits(t, in, a, b, credited, options)) {
        agency = credited;
        ev = Evidence::Sibling;
        break;
      }
    }
    if (ev != Evidence::Sibling) {
      // Publication decides only when one was surely first: a date without a time spans a range,
      // and two such dates are ordered by their days.
      const TimeRange ta = in.time[a], tb = in.time[b];
      const bool dated = ta.known() && tb.known();
      if (surely_before(ta, tb)) {
        ev = Evidence::Published;
        a_is_source = true;
      } else if (surely_before(tb, ta)) {
        ev = Evidence::Published;
        a_is_source = false;
      } else if (rules.credits(b, in.outlet_agency[a]) && !rules.credits(a, in.outlet_agency[b])) {
        ev = Evidence::Credit;
        a_is_source = true;
      } else if (rules.credits(a, in.outlet_agency[b]) && !rules.credits(b, in.outlet_agency[a])) {
        ev = Evidence::Credit;
        a_is_source = false;
      } else if (ca - cb >= options.containment_margin) {
        ev = Evidence::Containment; // more of a is found in b: a is the derived text
        a_is_source = false;
      } else if (cb - ca >= options.containment_margin) {
        ev = Evidence::Containment;
        a_is_source = true;
      } else if (dated && ta.order_time() != tb.order_time()) {
        // Nothing else decides: a document known only by its day is taken to follow one
        // published at a known time that day (the way a dated reprint follows the wire).
        ev = Evidence::Published;
        a_is_source = orders_before(ta, tb);
      }
    }
    Link link{};
    link.evidence = ev;
    link.agency = agency;
    link.source = a_is_source ? a : b;
    link.target = a_is_source ? b : a;
    link.shared_tokens = a_is_source ? shared_b : shared_a;
    link.source_shared_tokens = a_is_source ? shared_a : shared_b;
    link.containment = a_is_source ? cb : ca;
    link.source_containment = a_is_source ? ca : cb;
    if (ev == Evidence::Published || ev == Evidence::Credit || ev == Evidence::Containment)
      out.directed_from_a[q] = a_is_source ? 1 : -1;
    for (std::size_t k = i; k < j; ++k) {
      out.link_of[k] = q;
      if (!a_is_source) t.passages[k].flip(); // orient: a = source, b = target
    }
    out.links[q] = link;
  });
  return out;
}

// ---- 4. incoming spans ------------------------------------------------------------------------

IncomingSpans incoming_spans(const PairTable &t, const Directions &dirs, std::size_t n) {
  const std::vector<Passage> &passages = t.passages;
  IncomingSpans out;
  out.begin.assign(n + 1, 0);
  out.any_begin.assign(n + 1, 0);
  for (std::size_t k = 0; k < passages.size(); ++k) {
    const Link &l = dirs.links[dirs.link_of[k]];
    if (l.evidence == Evidence::Sibling) ++out.begin[passages[k].a + 1];
    if (l.evidence != Evidence::Undirected) ++out.begin[passages[k].b + 1];
    ++out.any_begin[passages[k].a + 1];
    ++out.any_begin[passages[k].b + 1];
  }
  for (std::size_t d = 0; d < n; ++d) out.begin[d + 1] += out.begin[d], out.any_begin[d + 1] += out.any_begin[d];
  out.spans.resize(out.begin[n]);
  out.any.resize(out.any_begin[n]);
  std::vector<std::uint64_t> fill(out.begin.begin(), out.begin.end() - 1);
  std::vector<std::uint64_t> fill_any(out.any_begin.begin(), out.any_begin.end() - 1);
  for (std::size_t k = 0; k < passages.size(); ++k) {
    const Passage &p = passages[k];
    const Link &l = dirs.links[dirs.link_of[k]];
    const auto pk = static_cast<std::uint32_t>(k);
    if (l.evidence == Evidence::Sibling) {
      out.spans[fill[p.a]++] = Incoming{p.span.a_begin, p.span.a_end, Origin{kNone, l.agency}, pk};
      out.spans[fill[p.b]++] = Incoming{p.span.b_begin, p.span.b_end, Origin{kNone, l.agency}, pk};
    } else if (l.evidence != Evidence::Undirected) {
      out.spans[fill[p.b]++] =
          Incoming{p.span.b_begin, p.span.b_end, Origin{static_cast<std::int32_t>(p.a), kNone}, pk};
    }
    out.any[fill_any[p.a]++] = {p.span.a_begin, p.span.a_end};
    out.any[fill_any[p.b]++] = {p.span.b_begin, p.span.b_end};
  }
  return out;
}

Origin choose(const Rules &rules, const PairTable &t, const Directions &dirs, std::size_t target,
              const std::vector<Origin> &active) {
  const AttributeInput &in = rules.in;
  Origin best;
  for (const Origin &o : active)
    if (o.doc >= 0 && rules.credits(target, in.outlet_agency[o.doc]) &&
        (best.doc < 0 || rules.earlier(o.doc, best.doc)))
      best = o;
  if (!best.empty()) return best;
  for (const Origin &o : active)
    if (o.doc < 0 && (best.agency < 0 || o.agency < best.agency)) best = o;
  if (!best.empty()) return best;
  for (const Origin &o : active) {
    bool passed_on = false;
    for (const Origin &p : active)
      if (p.doc >= 0 && p.doc != o.doc &&
          dirs.directed(t, static_cast<std::uint32_t>(p.doc), static_cast<std::uint32_t>(o.doc))) {
        passed_on = true;
        break;
      }
    if (!passed_on && (best.doc < 0 || rules.earlier(o.doc, best.doc))) best = o;
  }
  if (best.empty()) // a cycle of containment decisions: fall back to the earliest
    for (const Origin &o : active)
      if (best.doc < 0 || rules.earlier(o.doc, best.doc)) best = o;
  return best;
}

// ---- 5. the sweep -----------------------------------------------------------------------------

Sweep sweep(const PairTable &table, const Directions &dirs, IncomingSpans &incoming, const AttributeInput &in,
            const AttributeOptions &options, const Runner &run) {
  const std::size_t n = in.docs;
  const Rules rules{in};
  const std::vector<Passage> &passages = table.passages;
  const std::vector<Incoming> &inc = incoming.spans;
  const std::vector<std::uint64_t> &inc_begin = incoming.begin, &any_begin = incoming.any_begin;
  Sweep out;
  out.reused_tokens.assign(n, 0);
  out.shared_tokens.assign(n, 0);
  out.passage_tally.resize(passages.size());
  out.doc_tally.resize(n);
  out.direct_tokens.assign(passages.size(), 0);
  std::vector<Tally> &passage_tally = out.passage_tally, &doc_tally = out.doc_tally;
  std::vector<std::uint32_t> &direct_tokens = out.direct_tokens;
  // Documents are swept in parallel, each writing its own results and those of its incoming
  // passages. A sibling passage is incoming on both its sides: its a side's tally is kept apart,
  // and joined in front of its b side's after the sweep (as a sweep in corpus order, a < b, has it).
  std::vector<std::int32_t> sibling_slot(passages.size(), -1);
  std::size_t siblings = 0;
  for (std::size_t k = 0; k < passages.size(); ++k)
    if (dirs.links[dirs.link_of[k]].evidence == Evidence::Sibling)
      sibling_slot[k] = static_cast<std::int32_t>(siblings++);
  std::vector<Tally> sibling_a_tally(siblings);
  run.report(2);
  run.parallel(2, n, [&](std::size_t t) {
    // Per target, emptied for each one (not allocated a million times over).
    thread_local std::vector<Origin> closest, active;
    thread_local std::vector<std::uint32_t> cuts, active_passages;
    thread_local std::vector<std::size_t> by_begin, live, stretch_live, stretch_at;
    thread_local std::vector<std::int32_t> holders;
    thread_local std::vector<std::uint32_t> alone_in, covered;
    thread_local std::vector<std::uint8_t> without, here;
    // Tokens shared in any direction: the union of spans.
    {
      auto &any = incoming.any;
      auto b = any.begin() + static_cast<std::ptrdiff_t>(any_begin[t]);
      auto e = any.begin() + static_cast<std::ptrdiff_t>(any_begin[t + 1]);
      std::uint32_t covered_any = 0;
      for (auto it = b, merged = merge_intervals(b, e); it != merged; ++it) covered_any += it->second - it->first;
      out.shared_tokens[t] = covered_any;
    }
    const std::size_t ib = inc_begin[t], ie = inc_begin[t + 1];
    if (ib == ie) return;
    cuts.clear();
    for (std::size_t k = ib; k < ie; ++k) cuts.push_back(inc[k].begin), cuts.push_back(inc[k].end);
    std::sort(cuts.begin(), cuts.end());
    cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
    // The stretches between cuts, each with the spans that cover it: every span that starts at or
    // before a stretch and ends after its start covers all of it.
    by_begin.resize(ie - ib);
    std::iota(by_begin.begin(), by_begin.end(), ib);
    std::sort(by_begin.begin(), by_begin.end(),
              [&](std::size_t x, std::size_t y) { return inc[x].begin < inc[y].begin; });
    live.clear();
    stretch_live.clear();
    stretch_at.assign(1, 0);
    for (std::size_t c = 0, next = 0; c + 1 < cuts.size(); ++c) {
      const std::uint32_t s = cuts[c];
      while (next < by_begin.size() && inc[by_begin[next]].begin <= s) live.push_back(by_begin[next++]);
      live.erase(std::remove_if(live.begin(), live.end(), [&](std::size_t k) { return inc[k].end <= s; }), live.end());
      stretch_live.insert(stretch_live.end(), live.begin(), live.end());
      stretch_at.push_back(stretch_live.size());
    }
    // The documents the target holds text of: all each one holds, without[x * H + y] (whether x
    // holds a stretch that y does not), and per incoming span, its tokens no other document holds.
    holders.clear();
    for (std::size_t k = ib; k < ie; ++k)
      if (inc[k].origin.doc >= 0 && std::find(holders.begin(), holders.end(), inc[k].origin.doc) == holders.end())
        holders.push_back(inc[k].origin.doc);
    const std::size_t H = holders.size();
    const bool parsimony = H >= 2 && H <= options.own_text_holders;
    auto holder = [&](std::int32_t doc) {
      return static_cast<std::size_t>(std::find(holders.begin(), holders.end(), doc) - holders.begin());
    };
    if (parsimony) {
      alone_in.assign(ie - ib, 0), covered.assign(H, 0), without.assign(H * H, 0);
      for (std::size_t c = 0; c + 1 < stretch_at.size(); ++c) {
        const std::uint32_t length = cuts[c + 1] - cuts[c];
        here.assign(H, 0);
        std::size_t count = 0;
        for (std::size_t j = stretch_at[c]; j < stretch_at[c + 1]; ++j)
          if (const std::int32_t doc = inc[stretch_live[j]].origin.doc; doc >= 0 && !here[holder(doc)])
            here[holder(doc)] = 1, ++count;
        for (std::size_t x = 0; x < H; ++x) {
          if (!here[x]) continue;
          covered[x] += length;
          for (std::size_t y = 0; y < H; ++y)
            if (!here[y]) without[x * H + y] = 1;
        }
        if (count == 1)
          for (std::size_t j = stretch_at[c]; j < stretch_at[c + 1]; ++j)
            if (inc[stretch_live[j]].origin.doc >= 0) alone_in[stretch_live[j] - ib] += length;
      }
    }
    auto &tally = doc_tally[t];
    for (std::size_t c = 0; c + 1 < stretch_at.size(); ++c) {
      const std::uint32_t s = cuts[c], e = cuts[c + 1];
      const std::size_t *lb = stretch_live.data() + stretch_at[c], *le = stretch_live.data() + stretch_at[c + 1];
      active.clear();
      active_passages.clear();
      for (const std::size_t *it = lb; it != le; ++it) {
        const std::size_t k = *it;
        if (std::find(active.begin(), active.end(), inc[k].origin) == active.end()) active.push_back(inc[k].origin);
        active_passages.push_back(inc[k].passage);
      }
      if (active.empty()) continue;
      const Origin o = choose(rules, table, dirs, t, active);
      out.reused_tokens[t] += e - s;
      tally.add(o, e - s);
      for (std::uint32_t p : active_passages)
        (passages[p].a == t ? sibling_a_tally[static_cast<std::size_t>(sibling_slot[p])] : passage_tally[p])
            .add(o, e - s);
      // The direct source of the stretch: the holder the origin rule picks, unless another holder's
      // copy matches the target with at most options.closer of its differences (the target keeps that
      // copy's own edits: it copied that copy).
      closest.clear();
      for (const Origin &c2 : active)
        if (c2.doc >= 0) closest.push_back(c2);
      if (closest.empty()) continue; // held only by siblings: nobody in the corpus was copied
      auto exact_from = [&](const Origin &from) {
        double x = 0;
        for (const std::size_t *it = lb; it != le; ++it)
          if (inc[*it].origin == from) x = std::max(x, exactness(passages[inc[*it].passage].span));
        return x;
      };
      Origin direct = choose(rules, table, dirs, t, closest);
      const double base = exact_from(direct);
      double best = base;
      for (const Origin &c2 : closest) {
        const double x = exact_from(c2);
        if (x > best && 1 - x <= options.closer * (1 - base)) best = x, direct = c2;
      }
      // ... or, where no copy is closer, unless a holder as exact (see options.own_text_slack)
      // holds all the origin's holder holds and its passage here carries options.own_text tokens
      // of its own besides: the one that holds most of the target.
      if (parsimony && best == base) {
        const std::size_t d = holder(direct.doc);
        std::uint32_t widest = 0;
        Origin wide = direct;
        for (const Origin &c2 : closest) {
          const std::size_t h = holder(c2.doc);
          if (h == d || without[d * H + h] || covered[h] <= widest || exact_from(c2) < best - options.own_text_slack)
            continue;
          bool own_text = false; // in the very passage that covers this stretch
          for (const std::size_t *it = lb; it != le; ++it)
            own_text = own_text || (inc[*it].origin == c2 && alone_in[*it - ib] >= options.own_text);
          if (!own_text) continue;
          widest = covered[h], wide = c2;
        }
        direct = wide;
      }
      for (const std::size_t *it = lb; it != le; ++it)
        if (inc[*it].origin == direct) direct_tokens[inc[*it].passage] += e - s;
    }
  });
  for (std::size_t k = 0; k < passages.size(); ++k) {
    if (sibling_slot[k] < 0) continue;
    Tally joined = std::move(sibling_a_tally[static_cast<std::size_t>(sibling_slot[k])]);
    passage_tally[k].each([&](const Origin &o, std::uint32_t count) { joined.add(o, count); });
    passage_tally[k] = std::move(joined);
  }
  return out;
}

// ---- 6. chains --------------------------------------------------------------------------------

Origin resolve(const std::vector<std::int32_t> &reprint_of, Origin o) {
  return o.doc >= 0 && reprint_of[o.doc] >= 0 ? Origin{kNone, reprint_of[o.doc]} : o;
}

std::vector<std::int32_t> chains(const Sweep &sw, const AttributeInput &in, const AttributeOptions &options,
                                 Attribution &out) {
  const std::size_t n = in.docs;
  const Rules rules{in};
  out.reused_tokens = sw.reused_tokens;
  out.shared_tokens = sw.shared_tokens;
  out.reuse_share.assign(n, 0.0);
  out.derivation.assign(n, Derivation::None);
  out.origin_doc.assign(n, kNone);
  out.origin_agency.assign(n, kNone);
  out.origin_evidence.assign(n, OriginEvidence::None);
  for (std::size_t t = 0; t < n; ++t) {
    // A stretch found reworded counts as one copied: the share is of the text found earlier, in
    // whichever words.
    const double share = static_cast<double>(sw.reused_tokens[t]) / static_cast<double>(rules.effective(t));
    out.reuse_share[t] = std::min(1.0, share);
    if (out.reused_tokens[t] > 0) {
      out.derivation[t] = share >= options.wholly ? Derivation::Wholly : Derivation::Partially;
      const Origin o = rules.best_of(sw.doc_tally[t]);
      out.origin_doc[t] = o.doc;
      out.origin_agency[t] = o.doc >= 0 ? in.outlet_agency[o.doc] : o.agency;
      out.origin_evidence[t] = OriginEvidence::Passages;
    } else if (in.credit_begin[t + 1] > in.credit_begin[t]) {
      out.origin_agency[t] = in.credit_agency[in.credit_begin[t]];
      out.origin_evidence[t] = OriginEvidence::Credit;
    }
  }
  // A copy of a wholly derived reprint of agency copy is traced to the agency (the step of the
  // chain that the candidates' own passages cannot show), through any number of wholly derived
  // copies in between. reprint_of[s] is the agency whose copy s wholly reprints (s not being that
  // agency), or kNone. It is found for every document before any origin changes, so that the
  // result does not depend on corpus order.
  std::vector<std::int32_t> reprint_of(n, kNone);
  {
    auto wholly_by_passages = [&](std::uint32_t s) {
      return out.origin_evidence[s] == OriginEvidence::Passages && out.derivation[s] == Derivation::Wholly;
    };
    std::vector<std::uint8_t> state(n, 0); // 0: not seen, 1: on the current chain, 2: resolved
    std::vector<std::uint32_t> chain;
    for (std::uint32_t d = 0; d < n; ++d) {
      // Down the chain of wholly derived copies, to a resolved document or the chain's end.
      chain.clear();
      std::int32_t agency = kNone;
      for (std::uint32_t s = d;;) {
        if (state[s] == 2) {
          agency = reprint_of[s];
          break;
        }
        if (state[s] == 1) break; // a cycle of containment decisions: no agency
        state[s] = 1;
        chain.push_back(s);
        if (!wholly_by_passages(s)) break;
        if (out.origin_doc[s] == kNone) {
          agency = out.origin_agency[s];
          break;
        }
        s = static_cast<std::uint32_t>(out.origin_doc[s]);
      }
      // Back up the chain: a wholly derived copy reprints the agency's copy unless it is the agency.
      for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
        if (!wholly_by_passages(*it) || in.outlet_agency[*it] == agency) agency = kNone;
        reprint_of[*it] = agency;
        state[*it] = 2;
      }
    }
  }
  // An origin that is a wholly derived reprint of agency copy resolves to the agency; used alike
  // for documents, passages and stories.
  for (std::size_t t = 0; t < n; ++t) {
    const Origin o = resolve(reprint_of, Origin{out.origin_doc[t], out.origin_agency[t]});
    out.origin_doc[t] = o.doc;
    out.origin_agency[t] = o.doc >= 0 ? out.origin_agency[t] : o.agency;
  }
  return reprint_of;
}

// Links in (target, source) order.
static bool link_before(const Link &x, const Link &y) {
  return x.target != y.target ? x.target < y.target : x.source < y.source;
}

// ---- 7. passages and links ----------------------------------------------------------------------

void passages_and_links(PairTable &table, Directions &dirs, const Sweep &sw,
                        const std::vector<std::int32_t> &reprint_of, const AttributeInput &in, Attribution &out) {
  const Rules rules{in};
  std::vector<Passage> &passages = table.passages;
  out.passage_origin_doc.assign(passages.size(), kNone);
  out.passage_origin_agency.assign(passages.size(), kNone);
  out.passage_evidence.resize(passages.size());
  out.passage_direct.assign(passages.size(), false);
  out.links = std::move(dirs.links);
  for (std::size_t k = 0; k < passages.size(); ++k) {
    const Origin o = resolve(reprint_of, rules.best_of(sw.passage_tally[k]));
    out.passage_origin_doc[k] = o.doc;
    out.passage_origin_agency[k] = o.doc >= 0 ? in.outlet_agency[o.doc] : o.agency;
    out.passage_evidence[k] = out.links[dirs.link_of[k]].evidence;
    const Span &sp = passages[k].span;
    out.passage_direct[k] = 2 * sw.direct_tokens[k] >= sp.b_end - sp.b_begin && sw.direct_tokens[k] > 0;
    if (out.passage_direct[k]) out.links[dirs.link_of[k]].direct = true;
  }
  for (Link &l : out.links) l.is_origin = out.origin_doc[l.target] == static_cast<std::int32_t>(l.source);
  out.passages = std::move(passages);
  std::sort(out.links.begin(), out.links.end(), link_before);
}

// ---- 7b. vocabulary ----------------------------------------------------------------------------

void vocabulary(const std::vector<Passage> &records, const AttributeInput &in, Attribution &out) {
  const std::size_t n = in.docs;
  const Rules rules{in};
  out.vocabulary_share.assign(n, 0.0);
  std::vector<std::int32_t> best(n, kNone); // per target, its record
  for (std::size_t k = 0; k < records.size(); ++k) {
    const Passage &r = records[k];
    const std::int32_t agency = in.outlet_agency[r.a];
    if (!surely_before(in.time[r.a], in.time[r.b]) && !(agency >= 0 && rules.credits(r.b, agency))) continue;
    const double share = r.span.similarity;
    std::int32_t &b = best[r.b];
    if (b == kNone || share > records[static_cast<std::size_t>(b)].span.similarity ||
        (share == records[static_cast<std::size_t>(b)].span.similarity &&
         rules.earlier(static_cast<std::int32_t>(r.a),
                       static_cast<std::int32_t>(records[static_cast<std::size_t>(b)].a))))
      b = static_cast<std::int32_t>(k);
  }
  const std::size_t before = out.links.size();
  for (std::size_t t = 0; t < n; ++t) {
    if (best[t] == kNone) continue;
    const Passage &r = records[static_cast<std::size_t>(best[t])];
    out.vocabulary_share[t] = r.span.similarity;
    if (out.reused_tokens[t] > 0) continue; // its passages decide
    const std::uint32_t s = r.a;
    out.derivation[t] = Derivation::Partially;
    const bool reprint =
        out.derivation[s] == Derivation::Wholly && (out.origin_doc[s] >= 0 || out.origin_agency[s] >= 0);
    out.origin_doc[t] = reprint ? out.origin_doc[s] : static_cast<std::int32_t>(s);
    out.origin_agency[t] = reprint ? out.origin_agency[s] : in.outlet_agency[s];
    out.origin_evidence[t] = OriginEvidence::Vocabulary;
    Link l{static_cast<std::uint32_t>(t),
           s,
           0,
           0,
           r.span.similarity,
           0.0,
           surely_before(in.time[s], in.time[t]) ? Evidence::Published : Evidence::Credit,
           kNone,
           false};
    l.is_origin = out.origin_doc[t] == static_cast<std::int32_t>(s);
    l.direct = true;
    l.vocabulary = true;
    out.links.push_back(l);
  }
  // The new links come in target order: merged into the sorted ones.
  std::inplace_merge(out.links.begin(), out.links.begin() + static_cast<std::ptrdiff_t>(before), out.links.end(),
                     link_before);
}

// ---- 8. stories ---------------------------------------------------------------------------------

void stories(const Sweep &sw, const std::vector<std::int32_t> &reprint_of, const AttributeInput &in, Attribution &out) {
  const std::size_t n = in.docs;
  const Rules rules{in};
  const std::vector<Tally> &doc_tally = sw.doc_tally;
  auto resolved = [&](const Origin &o) { return resolve(reprint_of, o); };
  UnionFind uf(n);
  for (const Link &l : out.links) uf.unite(l.source, l.target);
  out.story.assign(n, kNone);
  std::vector<std::uint32_t> size(n, 0);
  for (std::size_t d = 0; d < n; ++d) ++size[uf.find(static_cast<std::uint32_t>(d))];
  std::vector<std::int32_t> story_of_root(n, kNone);
  std::int32_t stories = 0;
  for (std::size_t d = 0; d < n; ++d) {
    const std::uint32_t r = uf.find(static_cast<std::uint32_t>(d));
    if (size[r] < 2) continue;
    if (story_of_root[r] == kNone) story_of_root[r] = stories++;
    out.story[d] = story_of_root[r];
  }
  out.story_begin.assign(static_cast<std::size_t>(stories) + 1, 0);
  for (std::size_t d = 0; d < n; ++d)
    if (out.story[d] >= 0) ++out.story_begin[static_cast<std::size_t>(out.story[d]) + 1];
  for (std::size_t s = 0; s < static_cast<std::size_t>(stories); ++s) out.story_begin[s + 1] += out.story_begin[s];
  out.story_docs.resize(out.story_begin.back());
  {
    std::vector<std::uint64_t> fill(out.story_begin.begin(), out.story_begin.end() - 1);
    for (std::size_t d = 0; d < n; ++d)
      if (out.story[d] >= 0)
        out.story_docs[fill[static_cast<std::size_t>(out.story[d])]++] = static_cast<std::uint32_t>(d);
  }
  // Each story is named by its smallest member's global id.
  out.story_id.assign(static_cast<std::size_t>(stories), 0);
  for (std::size_t s = 0; s < static_cast<std::size_t>(stories); ++s) {
    std::uint64_t smallest = UINT64_MAX;
    for (std::size_t k = out.story_begin[s]; k < out.story_begin[s + 1]; ++k) {
      const std::uint32_t d = out.story_docs[k];
      smallest = std::min(smallest, in.global_id ? in.global_id[d] : global_id(IdKind::Int, std::to_string(d)));
    }
    out.story_id[s] = static_cast<std::int64_t>(smallest);
  }
  out.story_origin_doc.assign(static_cast<std::size_t>(stories), kNone);
  out.story_origin_agency.assign(static_cast<std::size_t>(stories), kNone);
  for (std::size_t s = 0; s < static_cast<std::size_t>(stories); ++s) {
    // The story's origin: where most of its reused text comes from.
    Tally tally;
    for (std::size_t k = out.story_begin[s]; k < out.story_begin[s + 1]; ++k)
      doc_tally[out.story_docs[k]].each([&](const Origin &o, std::uint32_t count) { tally.add(resolved(o), count); });
    const Origin o = rules.best_of(tally);
    out.story_origin_doc[s] = o.doc;
    out.story_origin_agency[s] = o.doc >= 0 ? in.outlet_agency[o.doc] : o.agency;
  }
}

} // namespace steps

Attribution attribute(const AttributeInput &in, std::vector<Passage> passages, const AttributeOptions &options) {
  using namespace steps;
  const Runner run{in};
  Attribution out;
  run.report(0);
  // Document-level records are no passages: they are read once the passages have decided.
  std::vector<Passage> records;
  const auto is_record = [](const Passage &p) { return p.span.kind == PassageKind::Vocabulary; };
  std::copy_if(passages.begin(), passages.end(), std::back_inserter(records), is_record);
  std::erase_if(passages, is_record);
  PairTable table = pair_table(in, std::move(passages));                              // 1
  const std::vector<std::uint8_t> own_text = own_text_pairs(table, in, options, run); // 2
  Directions dirs = directions(table, in, own_text, options, run);                    // 3
  run.report(1);
  IncomingSpans incoming = incoming_spans(table, dirs, in.docs);                // 4
  const Sweep swept = sweep(table, dirs, incoming, in, options, run);           // 5
  const std::vector<std::int32_t> reprint_of = chains(swept, in, options, out); // 6
  run.report(3);
  passages_and_links(table, dirs, swept, reprint_of, in, out); // 7
  vocabulary(records, in, out);                                // 7b
  run.report(4);
  stories(swept, reprint_of, in, out); // 8
  run.report(Runner::kSteps);
  return out;
}

} // namespace storytrace

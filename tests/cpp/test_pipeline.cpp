// The in-process engine end to end: trace(), compare(), the monitoring index, options, cancelling.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "helpers.hpp"
#include "storytrace/monitor.hpp"
#include "storytrace/pipeline.hpp"
#include "storytrace/stages.hpp"

namespace storytrace {
namespace {

using testing::cp_substr;
using testing::decode;
using testing::Rng;
using testing::TestCorpus;
using testing::words;

// A wire story with text in several scripts; it ends with a full stop, which no passage includes.
std::string wire_core() {
  return "Z\u00FCrich " + words(5000, 25) + " S\u00E3o Paulo \u0130stanbul'da na\u00EFve \u00C7ank\u0131r\u0131 " +
         words(5100, 25) + " \u0416\u0443\u0440\u043D\u0430\u043B \u0645\u0631\u062D\u0628\u0627 caf\u00E9";
}
std::string wire() { return wire_core() + "."; }

// The wire story with one word changed in the middle.
std::string wire_edited() {
  std::string w = wire();
  const std::string from = " " + words(5110, 1) + " ", to = " CHANGED ";
  w.replace(w.find(from), from.size(), to);
  return w;
}

std::string intro() { return "\u00DCnl\u00FC gazeteciler \U0001F600 \u2014 " + words(8000, 40) + ". "; }

struct WireCorpus {
  TestCorpus corpus;
  AliasTable aliases = AliasTable::defaults();
  std::int32_t reuters = aliases.agency_id("Reuters");
  WireCorpus() {
    corpus.outlet_agency = {reuters, kNone, kNone, kNone, kNone};
    corpus.add(wire(), 100, 0);                               // 0: Reuters' own story
    corpus.add(wire(), 200, 1);                               // 1: reprinted whole
    corpus.add(intro() + wire(), 300, 2);                     // 2: with an introduction
    corpus.add(wire_edited() + " " + words(9000, 5), 400, 3); // 3: edited, with a short ending
    corpus.add(words(20000, 80), 150, 4);                     // 4: unrelated
  }
};

TraceOptions options(std::size_t threads) {
  TraceOptions o;
  o.threads = threads;
  return o;
}

const Link *find_link(const Attribution &a, std::uint32_t target, std::uint32_t source) {
  for (const Link &l : a.links)
    if (l.target == target && l.source == source) return &l;
  return nullptr;
}

TEST(Trace, WireStoryReprintedByThreeOutlets) {
  const WireCorpus w;
  const CorpusView view = w.corpus.view();
  const TraceResult r = trace(view, w.aliases, options(1));
  const Attribution &a = r.attribution;

  ASSERT_EQ(r.tokens.size(), 5u);
  EXPECT_EQ(r.tokens[4], 80u);
  EXPECT_EQ(r.boilerplate_tokens, (std::vector<std::uint32_t>(5, 0)));
  EXPECT_EQ(r.credit_begin, (std::vector<std::uint64_t>(6, 0)));

  // Every reprint links to every earlier holder of the story; the origin is Reuters' copy.
  ASSERT_EQ(a.links.size(), 6u);
  const std::vector<std::pair<int, int>> expected{{1, 0}, {2, 0}, {2, 1}, {3, 0}, {3, 1}, {3, 2}};
  for (const auto &[target, source] : expected) {
    const Link *l = find_link(a, target, source);
    ASSERT_NE(l, nullptr) << source << " -> " << target;
    EXPECT_EQ(l->evidence, Evidence::Published);
    EXPECT_EQ(l->is_origin, source == 0) << source << " -> " << target;
  }
  EXPECT_EQ(a.derivation, (std::vector<Derivation>{Derivation::None, Derivation::Wholly, Derivation::Partially,
                                                   Derivation::Wholly, Derivation::None}));
  EXPECT_EQ(a.origin_doc, (std::vector<std::int32_t>{kNone, 0, 0, 0, kNone}));
  EXPECT_EQ(a.origin_agency, (std::vector<std::int32_t>{kNone, w.reuters, w.reuters, w.reuters, kNone}));
  EXPECT_EQ(a.story, (std::vector<std::int32_t>{0, 0, 0, 0, kNone}));
  EXPECT_EQ(a.story_origin_doc, (std::vector<std::int32_t>{0}));
  EXPECT_EQ(a.story_origin_agency, (std::vector<std::int32_t>{w.reuters}));
  // Doc 2: the story is its only reused text.
  const std::size_t wire_tokens = r.tokens[0];
  EXPECT_EQ(r.tokens[1], wire_tokens);
  EXPECT_EQ(a.reused_tokens[2], wire_tokens);
  EXPECT_DOUBLE_EQ(a.reuse_share[2], static_cast<double>(wire_tokens) / r.tokens[2]);
  EXPECT_EQ(a.reused_tokens[3], wire_tokens); // the changed word is bridged inside the passage
  EXPECT_EQ(a.reused_tokens[0], 0u);

  // Offsets: code points pick out the same text as bytes, and that text is the story.
  ASSERT_EQ(r.a_start.size(), a.passages.size());
  const std::string core = wire_core();
  const std::string edited_core = wire_edited().substr(0, wire_edited().size() - 1);
  const std::int64_t intro_cps = static_cast<std::int64_t>(decode(intro()).size());
  const std::int64_t intro_bytes = static_cast<std::int64_t>(intro().size());
  ASSERT_NE(intro_cps, intro_bytes);
  for (std::size_t k = 0; k < a.passages.size(); ++k) {
    const Passage &p = a.passages[k];
    SCOPED_TRACE(std::to_string(p.a) + " -> " + std::to_string(p.b));
    const std::string_view src = view.doc(p.a), dst = view.doc(p.b);
    const std::string src_text = cp_substr(src, r.a_start[k], r.a_end[k]);
    const std::string dst_text = cp_substr(dst, r.b_start[k], r.b_end[k]);
    EXPECT_EQ(src_text, src.substr(r.a_byte_start[k], r.a_byte_end[k] - r.a_byte_start[k]));
    EXPECT_EQ(dst_text, dst.substr(r.b_byte_start[k], r.b_byte_end[k] - r.b_byte_start[k]));
    EXPECT_EQ(src_text, p.a == 3 ? edited_core : core);
    EXPECT_EQ(dst_text, p.b == 3 ? edited_core : core);
    // Byte offsets are those of the span's first and last tokens.
    std::vector<Token> toks;
    tokenize(src, toks);
    const Token *ta = toks.data();
    EXPECT_EQ(r.a_byte_start[k], ta[p.span.a_begin].start);
    EXPECT_EQ(r.a_byte_end[k], ta[p.span.a_end - 1].end);
    if (p.b == 2) {
      EXPECT_EQ(r.b_start[k], intro_cps);
      EXPECT_EQ(r.b_byte_start[k], intro_bytes);
    } else {
      EXPECT_EQ(r.b_start[k], 0);
    }
  }
}

// The tokens tables two align_corpus calls left (attribute_corpus frees all but the counts).
void expect_same_shingles(const TraceResult &x, const TraceResult &y) {
  EXPECT_EQ(x.tok.sh_begin, y.tok.sh_begin);
  EXPECT_EQ(x.tok.shingles, y.tok.shingles);
  EXPECT_EQ(x.tok.sh_order, y.tok.sh_order);
}

// Every output array of two traces.
void expect_same(const TraceResult &x, const TraceResult &y) {
  EXPECT_EQ(x.tok.tok_begin, y.tok.tok_begin);
  EXPECT_EQ(x.tokens, y.tokens);
  EXPECT_EQ(x.boilerplate_tokens, y.boilerplate_tokens);
  EXPECT_EQ(x.credit_begin, y.credit_begin);
  EXPECT_EQ(x.credit_agency, y.credit_agency);
  ASSERT_EQ(x.candidates.size(), y.candidates.size());
  for (std::size_t i = 0; i < x.candidates.size(); ++i) {
    EXPECT_EQ(x.candidates[i].first, y.candidates[i].first);
    EXPECT_EQ(x.candidates[i].second, y.candidates[i].second);
    EXPECT_EQ(x.candidates[i].shared, y.candidates[i].shared);
  }
  testing::expect_same_attribution(x.attribution, y.attribution);
  EXPECT_EQ(x.a_start, y.a_start);
  EXPECT_EQ(x.a_end, y.a_end);
  EXPECT_EQ(x.b_start, y.b_start);
  EXPECT_EQ(x.b_end, y.b_end);
  EXPECT_EQ(x.a_byte_start, y.a_byte_start);
  EXPECT_EQ(x.a_byte_end, y.a_byte_end);
  EXPECT_EQ(x.b_byte_start, y.b_byte_start);
  EXPECT_EQ(x.b_byte_end, y.b_byte_end);
}

// A few hundred documents: shared stories, outlet footers, credits, undated documents (unless
// all_dated, which gives every document its own time).
TestCorpus generated_corpus(const AliasTable &aliases, bool all_dated = false, std::size_t n = 600) {
  TestCorpus c;
  Rng rng(2024);
  c.outlet_agency.assign(10, kNone);
  c.outlet_agency[0] = aliases.agency_id("Associated Press");
  const char *datelines[] = {"", "", "LONDON (AP) - ", "PARIS (AFP) - ", "\u0130STANBUL (AA) - "};
  std::vector<std::int64_t> times(n);
  for (std::size_t d = 0; d < n; ++d) times[d] = static_cast<std::int64_t>(d) * 1000;
  for (std::size_t d = n; d > 1; --d) std::swap(times[d - 1], times[rng.below(d)]);
  for (std::size_t d = 0; d < n; ++d) {
    const std::int32_t outlet = d % 13 == 0 ? kNone : static_cast<std::int32_t>(d % 10);
    std::int64_t time = d % 11 == 0 ? kNoTime : static_cast<std::int64_t>(rng.below(1000));
    if (all_dated) time = times[d];
    std::string text = datelines[rng.below(5)];
    text += words(300000 + d * 60, 5 + rng.below(40)) + ". ";
    const std::size_t story = rng.below(40);
    std::string s = words(100000 + story * 200, 50 + story % 7);
    if (rng.below(3) == 0) s.replace(s.find(' ', 100), 1, " \u00E9dit\u00E9 ");
    text += s + ". ";
    if (rng.below(4) == 0) text += words(100000 + rng.below(40) * 200, 30) + ". ";
    if (outlet >= 0 && rng.below(5) < 3) text += words(200000 + static_cast<std::size_t>(outlet) * 100, 15);
    c.add(text, time, outlet);
  }
  return c;
}

TEST(Trace, SameResultsForOneAndTwoThreads) {
  const AliasTable aliases = AliasTable::defaults();
  const TestCorpus corpus = generated_corpus(aliases);
  const CorpusView view = corpus.view();
  const TraceResult one = trace(view, aliases, options(1));
  const TraceResult two = trace(view, aliases, options(2));
  expect_same(one, two);
  expect_same_shingles(align_corpus(view, aliases, options(1)), align_corpus(view, aliases, options(2)));
  // The corpus exercises every stage: boilerplate, credits, links of several kinds.
  const auto &a = one.attribution;
  EXPECT_GT(std::count_if(one.boilerplate_tokens.begin(), one.boilerplate_tokens.end(),
                          [](std::uint32_t t) { return t > 0; }),
            0);
  EXPECT_FALSE(one.credit_agency.empty());
  std::set<Evidence> kinds;
  for (const Link &l : a.links) kinds.insert(l.evidence);
  EXPECT_TRUE(kinds.count(Evidence::Published));
  EXPECT_TRUE(kinds.count(Evidence::Sibling));
  EXPECT_GT(std::count(a.derivation.begin(), a.derivation.end(), Derivation::Wholly), 0);
  EXPECT_GT(std::count(a.derivation.begin(), a.derivation.end(), Derivation::Partially), 0);
  // Every passage's code-point offsets select the same text as its byte offsets.
  for (std::size_t k = 0; k < a.passages.size(); k += 7) {
    const std::string_view doc = view.doc(a.passages[k].b);
    EXPECT_EQ(cp_substr(doc, one.b_start[k], one.b_end[k]),
              doc.substr(one.b_byte_start[k], one.b_byte_end[k] - one.b_byte_start[k]));
  }
}

// The code points of UTF-8 text.
std::vector<char32_t> code_points(std::string_view text) {
  std::vector<char32_t> out;
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    const std::size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    char32_t cp = len == 1 ? c : len == 2 ? c & 0x1F : len == 3 ? c & 0x0F : c & 0x07;
    for (std::size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
    out.push_back(cp);
    i += len;
  }
  return out;
}

TEST(Trace, SameResultsWhenDocumentsAreReadInPlaceAtAnyWidth) {
  const AliasTable aliases = AliasTable::defaults();
  TestCorpus corpus = generated_corpus(aliases, false, 300);
  corpus.add("\U0001F600 emoji \u00E9t\u00E9 " + words(100000, 60) + " \U0001F4F0", 5, 1);
  corpus.add("");
  const CorpusView view = corpus.view();
  // Each document as a Python str holds it: ASCII as UTF-8 bytes, else at the narrowest width
  // that holds its code points (1, 2 or 4 bytes), or wider.
  std::vector<std::vector<std::uint8_t>> w1;
  std::vector<std::vector<std::uint16_t>> w2;
  std::vector<std::vector<std::uint32_t>> w4;
  CorpusView refs = view;
  refs.text = {};
  refs.offsets.clear();
  std::set<std::uint32_t> widths;
  for (std::size_t d = 0; d < view.size(); ++d) {
    const std::string_view doc = view.doc(d);
    const std::vector<char32_t> cps = code_points(doc);
    const char32_t top = cps.empty() ? 0 : *std::max_element(cps.begin(), cps.end());
    std::uint32_t width = top < 0x80 ? 0 : top < 0x100 ? 1 : top < 0x10000 ? 2 : 4;
    if (width && d % 5 == 0) width = 4; // wider than it needs: still read right
    widths.insert(width);
    TextRef r{nullptr, cps.size(), width};
    if (width == 0) {
      r = TextRef{doc.data(), doc.size(), 0};
    } else if (width == 1) {
      r.data = w1.emplace_back(cps.begin(), cps.end()).data();
    } else if (width == 2) {
      r.data = w2.emplace_back(cps.begin(), cps.end()).data();
    } else {
      r.data = w4.emplace_back(cps.begin(), cps.end()).data();
    }
    refs.refs.push_back(r);
    std::string back;
    EXPECT_EQ(refs.doc(d, back), doc);
    EXPECT_LE(doc.size(), refs.doc_bytes(d));
  }
  EXPECT_EQ(widths, (std::set<std::uint32_t>{0, 1, 2, 4}));
  EXPECT_EQ(refs.size(), view.size());
  EXPECT_THROW(refs.doc(0), std::logic_error);
  expect_same(trace(view, aliases, options(2)), trace(refs, aliases, options(2)));
  expect_same_shingles(align_corpus(view, aliases, options(2)), align_corpus(refs, aliases, options(2)));
}

TEST(Trace, ResultsDoNotDependOnCorpusOrder) {
  // With every document dated, corpus order decides nothing: a shuffled corpus gives the same
  // results document by document.
  const AliasTable aliases = AliasTable::defaults();
  const TestCorpus base = generated_corpus(aliases, true, 300);
  const CorpusView view = base.view();
  std::vector<std::uint32_t> perm(base.size()); // perm[i]: the base document at position i
  for (std::uint32_t i = 0; i < perm.size(); ++i) perm[i] = i;
  Rng rng(99);
  for (std::size_t i = perm.size(); i > 1; --i) std::swap(perm[i - 1], perm[rng.below(i)]);
  TestCorpus shuffled;
  shuffled.outlet_agency = base.outlet_agency;
  for (std::uint32_t d : perm) shuffled.add(view.doc(d), base.published[d], base.outlet[d]);
  std::vector<std::int32_t> pos(perm.size());
  for (std::uint32_t i = 0; i < perm.size(); ++i) pos[perm[i]] = static_cast<std::int32_t>(i);
  auto map = [&](std::int32_t d) { return d < 0 ? d : pos[static_cast<std::size_t>(d)]; };

  const TraceResult x = trace(view, aliases, options(2));
  const TraceResult y = trace(shuffled.view(), aliases, options(2));
  const Attribution &a = x.attribution, &b = y.attribution;
  ASSERT_FALSE(a.links.empty());
  for (std::uint32_t d = 0; d < perm.size(); ++d) {
    const auto e = static_cast<std::size_t>(pos[d]);
    SCOPED_TRACE(::testing::Message() << "document " << d << " at " << e);
    ASSERT_EQ(x.tokens[d], y.tokens[e]);
    EXPECT_EQ(x.boilerplate_tokens[d], y.boilerplate_tokens[e]);
    EXPECT_EQ(a.reused_tokens[d], b.reused_tokens[e]);
    EXPECT_EQ(a.shared_tokens[d], b.shared_tokens[e]);
    EXPECT_EQ(a.derivation[d], b.derivation[e]);
    EXPECT_EQ(map(a.origin_doc[d]), b.origin_doc[e]);
    EXPECT_EQ(a.origin_agency[d], b.origin_agency[e]);
    EXPECT_EQ(a.origin_evidence[d], b.origin_evidence[e]);
    EXPECT_EQ(a.story[d] == kNone, b.story[e] == kNone);
  }
  // Links, with sibling pairs taken as unordered.
  auto key = [](std::int32_t t, std::int32_t s, const Link &l) {
    if (l.evidence == Evidence::Sibling && s > t) std::swap(s, t);
    return std::make_tuple(t, s, static_cast<int>(l.evidence), l.agency, l.is_origin);
  };
  std::multiset<std::tuple<std::int32_t, std::int32_t, int, std::int32_t, bool>> lx, ly;
  auto i32 = [](std::uint32_t v) { return static_cast<std::int32_t>(v); };
  for (const Link &l : a.links) lx.insert(key(map(i32(l.target)), map(i32(l.source)), l));
  for (const Link &l : b.links) ly.insert(key(i32(l.target), i32(l.source), l));
  EXPECT_EQ(lx, ly);
  // Stories: the same groups of documents with the same origins.
  std::set<std::pair<std::set<std::int32_t>, std::pair<std::int32_t, std::int32_t>>> sx, sy;
  for (std::size_t st = 0; st + 1 < a.story_begin.size(); ++st) {
    std::set<std::int32_t> docs;
    for (auto k = a.story_begin[st]; k < a.story_begin[st + 1]; ++k) docs.insert(map(i32(a.story_docs[k])));
    sx.emplace(docs, std::make_pair(map(a.story_origin_doc[st]), a.story_origin_agency[st]));
  }
  for (std::size_t st = 0; st + 1 < b.story_begin.size(); ++st) {
    std::set<std::int32_t> docs(b.story_docs.begin() + static_cast<std::ptrdiff_t>(b.story_begin[st]),
                                b.story_docs.begin() + static_cast<std::ptrdiff_t>(b.story_begin[st + 1]));
    sy.emplace(docs, std::make_pair(b.story_origin_doc[st], b.story_origin_agency[st]));
  }
  EXPECT_EQ(sx, sy);
}

TEST(Trace, TheTwoHalvesMakeATraceAlsoFromTablesReadBack) {
  WireCorpus w;
  const TraceResult whole = trace(w.corpus.view(), w.aliases, options(2));
  // align_corpus then attribute_corpus, as trace runs them.
  TraceResult halves = align_corpus(w.corpus.view(), w.aliases, options(2));
  EXPECT_TRUE(halves.attribution.links.empty());
  EXPECT_FALSE(halves.tok.shingles.empty());
  attribute_corpus(w.corpus.view(), halves, options(2));
  expect_same(whole, halves);
  // Attribution frees what of the tokens table it does not read (the largest arrays of a trace),
  // memory and all; the token counts stay.
  EXPECT_EQ(halves.tok.shingles.capacity(), 0u);
  EXPECT_EQ(halves.tok.sh_order.capacity(), 0u);
  EXPECT_EQ(halves.tok.sample.capacity(), 0u);
  EXPECT_TRUE(halves.tok.forms.empty());
  EXPECT_EQ(halves.tok.size(), w.corpus.view().size());
  // From the aligned tables alone, as a checkpoint holds them: no tokens kept, offsets tokenize again.
  TraceResult aligned = align_corpus(w.corpus.view(), w.aliases, options(1));
  TraceResult read;
  read.tokens = aligned.tokens;
  read.boilerplate_tokens = aligned.boilerplate_tokens;
  read.credit_begin = aligned.credit_begin;
  read.credit_agency = aligned.credit_agency;
  read.candidates = aligned.candidates;
  read.attribution.passages = aligned.attribution.passages;
  read.tok.tok_begin = aligned.tok.tok_begin;
  TraceResult copy = read;
  attribute_corpus(w.corpus.view(), read, options(1), nullptr, w.aliases.agencies().size());
  expect_same(whole, read);
  // A passage beyond its document's tokens, or a token count the text does not have, is refused.
  copy.attribution.passages[0].span.b_end = copy.tokens[copy.attribution.passages[0].b] + 1;
  EXPECT_THROW(attribute_corpus(w.corpus.view(), copy, options(1)), std::invalid_argument);
  TraceResult miscounted = aligned;
  miscounted.tok.tokens.clear();
  const std::uint32_t d = miscounted.attribution.passages[0].b;
  ++miscounted.tokens[d];
  for (std::size_t k = d + 1; k < miscounted.tok.tok_begin.size(); ++k) ++miscounted.tok.tok_begin[k];
  EXPECT_THROW(attribute_corpus(w.corpus.view(), miscounted, options(1)), std::invalid_argument);
}

// Each stage of stages.hpp run on its own, from tables that keep neither the tokens nor the
// shingles' order (as tables read back from files do), gives what trace gives.
TEST(Stages, RunOneByOneFromTablesTheyGiveWhatTraceGives) {
  const AliasTable aliases = AliasTable::defaults();
  const TestCorpus corpus = generated_corpus(aliases, false, 400);
  const CorpusView view = corpus.view();
  const TraceOptions opts = options(2);
  const TraceResult whole = trace(view, aliases, opts);
  Tokenized tok = tokenize_stage(view, opts, nullptr, /*keep_tokens_bytes=*/0);
  EXPECT_TRUE(tok.tokens.empty());
  tok.sh_order.clear();
  check_tokenized(view, tok, opts);
  EXPECT_EQ(tok.shingles, align_corpus(view, aliases, opts).tok.shingles);
  const BoilerplateTable bp = boilerplate_stage(view, tok, opts);
  check_boilerplate(view, tok, bp);
  EXPECT_EQ(bp.tokens, whole.tokens);
  EXPECT_EQ(bp.boilerplate_tokens, whole.boilerplate_tokens);
  const CreditTable credits = credits_stage(view, aliases, opts);
  check_credits(view, credits, aliases.agencies().size());
  EXPECT_EQ(credits.begin, whole.credit_begin);
  EXPECT_EQ(credits.agency, whole.credit_agency);
  const Postings postings = postings_stage(view, tok, bp, opts);
  check_postings(view, postings);
  const std::vector<Candidate> candidates = candidates_stage(view, tok, bp, postings, opts);
  check_candidates(view, candidates);
  ASSERT_EQ(candidates.size(), whole.candidates.size());
  for (std::size_t i = 0; i < candidates.size(); ++i)
    EXPECT_EQ(std::tie(candidates[i].first, candidates[i].second, candidates[i].shared),
              std::tie(whole.candidates[i].first, whole.candidates[i].second, whole.candidates[i].shared));
  std::vector<Passage> passages = align_stage(view, tok, bp, candidates, opts);
  check_passages(view, bp.tokens, passages);
  const Attribution at = attribute_stage(view, bp, credits, passages, opts, nullptr, aliases.agencies().size());
  testing::expect_same_attribution(at, whole.attribution);
  const PassageOffsets off = offsets_stage(view, tok, at.passages, opts);
  EXPECT_EQ(off.a_start, whole.a_start);
  EXPECT_EQ(off.b_end, whole.b_end);
  EXPECT_EQ(off.a_byte_end, whole.a_byte_end);
  EXPECT_EQ(off.b_byte_start, whole.b_byte_start);
}

TEST(Stages, DamagedTablesAreRefused) {
  WireCorpus w;
  const CorpusView view = w.corpus.view();
  const TraceOptions opts = options(1);
  const Tokenized tok = tokenize_stage(view, opts);
  const BoilerplateTable bp = boilerplate_stage(view, tok, opts);
  const Postings postings = postings_stage(view, tok, bp, opts);
  const std::vector<Candidate> candidates = candidates_stage(view, tok, bp, postings, opts);
  ASSERT_GE(candidates.size(), 2u);
  const std::vector<Passage> passages = align_stage(view, tok, bp, candidates, opts);
  ASSERT_FALSE(passages.empty());

  TraceOptions other = opts;
  other.ngram = opts.ngram + 1;
  EXPECT_THROW(check_tokenized(view, tok, other), std::invalid_argument); // made with another ngram
  Tokenized short_tok = tok;
  short_tok.shingles.pop_back();
  EXPECT_THROW(check_tokenized(view, short_tok, opts), std::invalid_argument);
  Tokenized miscounted = tok; // a document given one token more than its text has, its shingles too
  miscounted.tokens.clear();
  for (std::size_t d = 1; d < miscounted.tok_begin.size(); ++d) ++miscounted.tok_begin[d], ++miscounted.sh_begin[d];
  miscounted.shingles.insert(miscounted.shingles.begin(), 7);
  miscounted.sh_order.clear();
  check_tokenized(view, miscounted, opts); // consistent in itself ...
  std::string scratch;
  std::vector<Token> toks;
  EXPECT_THROW(doc_tokens(miscounted, view.doc(0), 0, toks), std::invalid_argument); // ... not with the text

  BoilerplateTable bad_bp = bp;
  bad_bp.mask.assign(tok.shingles.size() + 1, 0);
  EXPECT_THROW(check_boilerplate(view, tok, bad_bp), std::invalid_argument);
  bad_bp = bp;
  bad_bp.boilerplate_tokens[0] = bad_bp.tokens[0] + 1;
  EXPECT_THROW(check_boilerplate(view, tok, bad_bp), std::invalid_argument);

  CreditTable credits = credits_stage(view, w.aliases, opts);
  check_credits(view, credits, w.aliases.agencies().size());
  credits.begin.back() += 1; // a credit more than the offsets say
  EXPECT_THROW(check_credits(view, credits, w.aliases.agencies().size()), std::invalid_argument);
  credits.agency.push_back(static_cast<std::int32_t>(w.aliases.agencies().size())); // an unknown agency
  EXPECT_THROW(check_credits(view, credits, w.aliases.agencies().size()), std::invalid_argument);
  credits.agency.back() = 0;
  check_credits(view, credits, w.aliases.agencies().size());

  Postings p = postings;
  ASSERT_FALSE(p.rank.empty());
  p.rank[0] = static_cast<std::uint32_t>(view.size());
  EXPECT_THROW(check_postings(view, p), std::invalid_argument);
  p = postings;
  ASSERT_GE(p.hash.size(), 2u);
  std::swap(p.hash[0], p.hash[1]);
  EXPECT_THROW(check_postings(view, p), std::invalid_argument);

  std::vector<Candidate> cs = candidates;
  std::swap(cs[0], cs[1]);
  EXPECT_THROW(check_candidates(view, cs), std::invalid_argument);
  cs = candidates;
  cs[0].first = cs[0].second;
  EXPECT_THROW(check_candidates(view, cs), std::invalid_argument);

  std::vector<Passage> ps = passages;
  ps[0].span.b_end = bp.tokens[ps[0].b] + 1;
  EXPECT_THROW(check_passages(view, bp.tokens, ps), std::invalid_argument);
  EXPECT_THROW(offsets_stage(view, tok, ps, opts), std::invalid_argument);
  EXPECT_THROW(attribute_stage(view, bp, credits_stage(view, w.aliases, opts), ps, opts), std::invalid_argument);
}

TEST(Trace, AgencyCopyPrintedByTwoPapersAndCopiedByAThird) {
  const AliasTable aliases = AliasTable::defaults();
  const std::int32_t ap = aliases.agency_id("Associated Press");
  const std::string story = words(60000, 50);
  TestCorpus c;
  c.outlet_agency.assign(3, kNone);
  c.add("WASHINGTON (AP) \u2014 " + story, 10, 0); // paper 0 runs AP's story
  c.add("WASHINGTON (AP) \u2014 " + story, 20, 1); // so does paper 1
  c.add(story + ". " + words(61000, 5), 30, 2);    // paper 2 copies it, credit stripped
  c.add(words(62000, 40), 5, 2);                   // unrelated
  const TraceResult r = trace(c.view(), aliases, options(2));
  const Attribution &a = r.attribution;
  EXPECT_EQ(r.credit_begin, (std::vector<std::uint64_t>{0, 1, 2, 2, 2}));
  EXPECT_EQ(r.credit_agency, (std::vector<std::int32_t>{ap, ap}));
  const Link *sibling = find_link(a, 1, 0);
  ASSERT_NE(sibling, nullptr);
  EXPECT_EQ(sibling->evidence, Evidence::Sibling);
  EXPECT_EQ(sibling->agency, ap);
  // Neither paper is the other's source; all three carry AP's text.
  EXPECT_EQ(a.origin_doc, (std::vector<std::int32_t>{kNone, kNone, kNone, kNone}));
  EXPECT_EQ(a.origin_agency, (std::vector<std::int32_t>{ap, ap, ap, kNone}));
  EXPECT_EQ(a.derivation,
            (std::vector<Derivation>{Derivation::Wholly, Derivation::Wholly, Derivation::Wholly, Derivation::None}));
  EXPECT_EQ(a.story, (std::vector<std::int32_t>{0, 0, 0, kNone}));
  EXPECT_EQ(a.story_origin_doc, (std::vector<std::int32_t>{kNone}));
  EXPECT_EQ(a.story_origin_agency, (std::vector<std::int32_t>{ap}));
  // Given no global ids, each document has that of its corpus index as an int id.
  const std::uint64_t smallest =
      std::min({global_id(IdKind::Int, "0"), global_id(IdKind::Int, "1"), global_id(IdKind::Int, "2")});
  EXPECT_EQ(a.story_id, (std::vector<std::int64_t>{static_cast<std::int64_t>(smallest)}));
}

TEST(Trace, StoriesAreNamedByTheirSmallestGlobalId) {
  const AliasTable aliases = AliasTable::defaults();
  const std::string first = words(63000, 50), second = words(64000, 50);
  TestCorpus c;
  c.add(first, 10, 0);
  c.add(second, 11, 0);
  c.add(first + ". " + words(65000, 5), 20, 1);
  c.add(second, 21, 1);
  c.add(words(66000, 40), 5, 2);
  CorpusView view = c.view();
  view.global_id = {50, 7, 40, 900, 1};
  const TraceResult r = trace(view, aliases, options(2));
  EXPECT_EQ(r.attribution.story, (std::vector<std::int32_t>{0, 1, 0, 1, kNone}));
  EXPECT_EQ(r.attribution.story_id, (std::vector<std::int64_t>{40, 7}));
  view.global_id.pop_back();
  EXPECT_THROW(trace(view, aliases, options(1)), std::invalid_argument);
}

TEST(Trace, ContainmentCountsTextOutsideBoilerplate) {
  // Four articles of one outlet open with one sentence, which is boilerplate; two of them then
  // carry one story. Their passage runs into the opening: containment counts only its text outside
  // boilerplate, against the document's text outside boilerplate, and stays within 1.
  const AliasTable aliases = AliasTable::defaults();
  const std::string head = words(70000, 25) + ". ", story = words(71000, 60);
  TestCorpus c;
  c.add(head + story, 10, 0);
  c.add(head + story, 20, 0);
  c.add(head + words(72000, 60), 30, 0);
  c.add(head + words(73000, 60), 40, 0);
  const TraceResult r = trace(c.view(), aliases, options(2));
  EXPECT_EQ(r.boilerplate_tokens, (std::vector<std::uint32_t>{25, 25, 25, 25}));
  ASSERT_EQ(r.attribution.links.size(), 1u);
  const Link *link = find_link(r.attribution, 1, 0);
  ASSERT_NE(link, nullptr);
  EXPECT_GT(link->shared_tokens, 60u); // the passage takes in some of the opening
  EXPECT_DOUBLE_EQ(link->containment, 1.0);
  EXPECT_DOUBLE_EQ(link->source_containment, 1.0);
}

TEST(Trace, CreditsAreDistinctPerDocumentInTextOrder) {
  const AliasTable aliases = AliasTable::defaults();
  TestCorpus c;
  c.add("LONDON (Reuters) - " + words(0, 20) + ". (AP)\nCopyright 2024 Thomson Reuters.");
  c.add(words(100, 20));
  c.add("By The Associated Press\n" + words(200, 20));
  const TraceResult r = trace(c.view(), aliases, options(1));
  EXPECT_EQ(r.credit_begin, (std::vector<std::uint64_t>{0, 2, 2, 3}));
  const std::int32_t reuters = aliases.agency_id("Reuters"), ap = aliases.agency_id("Associated Press");
  EXPECT_EQ(r.credit_agency, (std::vector<std::int32_t>{reuters, ap, ap}));
  // A credit alone gives an origin agency.
  EXPECT_EQ(r.attribution.origin_agency[0], reuters);
  EXPECT_EQ(r.attribution.origin_evidence[0], OriginEvidence::Credit);
  EXPECT_EQ(r.attribution.origin_evidence[1], OriginEvidence::None);
}

TEST(Trace, EmptyCorpusAndEmptyDocuments) {
  const AliasTable aliases = AliasTable::defaults();
  TestCorpus none;
  const TraceResult r0 = trace(none.view(), aliases, options(2));
  EXPECT_TRUE(r0.tokens.empty());
  EXPECT_TRUE(r0.attribution.links.empty());
  EXPECT_EQ(r0.credit_begin, (std::vector<std::uint64_t>{0}));

  TestCorpus blanks;
  blanks.add("");
  blanks.add("   ");
  blanks.add(words(0, 40), 5, kNone);
  blanks.add("");
  blanks.add(words(0, 40), 6, kNone);
  const TraceResult r = trace(blanks.view(), aliases, options(2));
  EXPECT_EQ(r.tokens, (std::vector<std::uint32_t>{0, 0, 40, 0, 40}));
  ASSERT_EQ(r.attribution.links.size(), 1u);
  EXPECT_EQ(r.attribution.links[0].source, 2u);
  EXPECT_EQ(r.attribution.links[0].target, 4u);
  EXPECT_EQ(r.attribution.derivation[4], Derivation::Wholly);
}

TEST(Trace, RejectsMismatchedArrays) {
  TestCorpus c;
  c.add(words(0, 20));
  CorpusView v = c.view();
  v.published.push_back(5);
  EXPECT_THROW(trace(v, AliasTable::defaults(), options(1)), std::invalid_argument);
}

TEST(TraceOptions, MadeFromNamedValues) {
  EXPECT_EQ(make_options({}).ngram, TraceOptions{}.ngram);
  const TraceOptions o = make_options({{"ngram", std::int64_t{20}}, {"rewrites", false}, {"wholly", 0.5}});
  EXPECT_EQ(o.ngram, 20u);
  EXPECT_EQ(o.min_tokens, 20u); // follows a larger ngram unless given
  EXPECT_FALSE(o.rewrites);
  EXPECT_EQ(o.wholly, 0.5);
  EXPECT_EQ(make_options({{"ngram", std::int64_t{20}}, {"min_tokens", std::int64_t{25}}}).min_tokens, 25u);
  EXPECT_EQ(make_options({{"wholly", std::int64_t{1}}}).wholly, 1.0); // an integer is a number
  EXPECT_THROW(make_options({{"ngram", std::int64_t{20}}, {"min_tokens", std::int64_t{10}}}), std::invalid_argument);
  EXPECT_THROW(make_options({{"ngrams", std::int64_t{5}}}), std::invalid_argument);
  EXPECT_THROW(make_options({{"ngram", 5.0}}), std::invalid_argument);
  EXPECT_THROW(make_options({{"rewrites", std::int64_t{1}}}), std::invalid_argument);
  EXPECT_THROW(make_options({{"max_gap", std::int64_t{-1}}}), std::invalid_argument);
  // Every option is in the table once, and every default is in its range.
  for (const OptionSpec &s : option_specs()) {
    EXPECT_EQ(find_option(s.name), &s);
    EXPECT_LE(s.minimum, s.maximum) << s.name;
    EXPECT_FALSE(s.help.empty() || s.doc.empty()) << s.name;
  }
  EXPECT_EQ(option_specs().size(), 19u);
  // Attribution takes its options from TraceOptions.
  const TraceOptions tuned = make_options({{"closer", 0.5},
                                           {"own_text", std::int64_t{20}},
                                           {"own_text_holders", std::int64_t{8}},
                                           {"own_text_slack", 0.1},
                                           {"containment_margin", 0.2}});
  const AttributeOptions ao = tuned.attribute_options();
  EXPECT_EQ(std::tie(ao.closer, ao.own_text, ao.own_text_holders, ao.own_text_slack, ao.containment_margin),
            std::make_tuple(0.5, std::size_t{20}, std::size_t{8}, 0.1, 0.2));
  try {
    make_options({{"ngram", std::int64_t{65}}});
    FAIL() << "no exception";
  } catch (const std::invalid_argument &e) {
    EXPECT_STREQ(e.what(), "ngram must be at most 64, got 65");
  }
}

TEST(TraceOptions, Validate) {
  EXPECT_NO_THROW(TraceOptions{}.validate());
  auto bad = [](auto change) {
    TraceOptions o;
    change(o);
    EXPECT_THROW(o.validate(), std::invalid_argument);
  };
  bad([](TraceOptions &o) { o.ngram = 0; });
  bad([](TraceOptions &o) { o.ngram = 65, o.min_tokens = 100; });
  bad([](TraceOptions &o) { o.min_tokens = 4; }); // below ngram 5
  bad([](TraceOptions &o) { o.fanout = 0; });
  bad([](TraceOptions &o) { o.min_shared = 0; });
  bad([](TraceOptions &o) { o.wholly = 0.0; });
  bad([](TraceOptions &o) { o.wholly = -0.5; });
  bad([](TraceOptions &o) { o.wholly = 1.5; });
  bad([](TraceOptions &o) { o.wholly = std::nan(""); });
  bad([](TraceOptions &o) { o.boilerplate_min_share = 1.5; });
  bad([](TraceOptions &o) { o.containment_margin = -0.1; });
  bad([](TraceOptions &o) { o.closer = 1.5; });
  bad([](TraceOptions &o) { o.own_text = 0; });
  bad([](TraceOptions &o) { o.own_text_slack = -0.01; });
  TraceOptions edge;
  edge.wholly = 1.0;
  edge.ngram = 1;
  edge.min_tokens = 1;
  EXPECT_NO_THROW(edge.validate());
  // The message names the option.
  TraceOptions o;
  o.ngram = 0;
  try {
    o.validate();
    FAIL() << "no exception";
  } catch (const std::invalid_argument &e) {
    EXPECT_NE(std::string(e.what()).find("ngram"), std::string::npos) << e.what();
  }
  // Every entry point validates.
  TestCorpus c;
  c.add(words(0, 20));
  EXPECT_THROW(trace(c.view(), AliasTable::defaults(), o), std::invalid_argument);
  EXPECT_THROW(compare("a b c", "a b c", o), std::invalid_argument);
  EXPECT_THROW(MonitorIndex{o}, std::invalid_argument);
}

TEST(Compare, TextWithItself) {
  const std::string text = intro() + wire();
  const Comparison c = compare(text, text, TraceOptions{});
  EXPECT_EQ(c.a_tokens, c.b_tokens);
  EXPECT_DOUBLE_EQ(c.a_in_b, 1.0);
  EXPECT_DOUBLE_EQ(c.b_in_a, 1.0);
  EXPECT_DOUBLE_EQ(c.jaccard, 1.0);
  ASSERT_EQ(c.spans.size(), 1u);
  EXPECT_EQ(c.spans[0].a_begin, 0u);
  EXPECT_EQ(c.spans[0].a_end, c.a_tokens);
  EXPECT_EQ(c.a_start, (std::vector<std::int64_t>{0}));
  // The passage ends at the last word, before the final full stop.
  EXPECT_EQ(c.a_end, (std::vector<std::int64_t>{static_cast<std::int64_t>(decode(text).size()) - 1}));
  EXPECT_EQ(c.b_end, c.a_end);
}

TEST(Compare, PartialOverlapAndUnrelatedTexts) {
  const std::string x = words(1000, 30), y = "\u00C9t\u00E9 " + words(2000, 29), z = words(3000, 30);
  const std::string a = x + " " + y, b = y + " " + z;
  const Comparison c = compare(a, b, TraceOptions{});
  EXPECT_EQ(c.a_tokens, 60u);
  EXPECT_EQ(c.b_tokens, 60u);
  EXPECT_DOUBLE_EQ(c.a_in_b, 0.5);
  EXPECT_DOUBLE_EQ(c.b_in_a, 0.5);
  EXPECT_DOUBLE_EQ(c.jaccard, 26.0 / 86.0); // 26 shared of 56 + 56 - 26 distinct shingles
  ASSERT_EQ(c.spans.size(), 1u);
  EXPECT_EQ(cp_substr(a, c.a_start[0], c.a_end[0]), y);
  EXPECT_EQ(cp_substr(b, c.b_start[0], c.b_end[0]), y);
  EXPECT_EQ(c.b_start[0], 0);

  const Comparison u = compare(x, z, TraceOptions{});
  EXPECT_EQ(u.a_in_b, 0.0);
  EXPECT_EQ(u.b_in_a, 0.0);
  EXPECT_EQ(u.jaccard, 0.0);
  EXPECT_TRUE(u.spans.empty());
  const Comparison e = compare("", x, TraceOptions{});
  EXPECT_EQ(e.a_tokens, 0u);
  EXPECT_EQ(e.a_in_b, 0.0);
  EXPECT_EQ(e.jaccard, 0.0);
}

TEST(Monitor, QueryFindsTheDocumentsThatShareAParagraph) {
  MonitorIndex index{TraceOptions{}};
  const std::string para = words(50000, 40);
  TestCorpus first;
  first.add(words(1000, 30) + ". " + para + ". " + words(2000, 30)); // 0: holds the paragraph
  first.add(words(3000, 80));                                        // 1: unrelated
  EXPECT_EQ(index.add(first.view()), 0u);
  TestCorpus second;
  second.add(words(4000, 80));                                                        // 2: unrelated
  second.add("\u00DCber \u0130stanbul " + words(50000, 20) + ". " + words(6000, 30)); // 3: half of it
  EXPECT_EQ(index.add(second.view()), 2u);
  EXPECT_EQ(index.size(), 4u);

  const std::string query =
      "Intro \u00E4\u00F6\u00FC \U0001F600 " + words(7000, 20) + " " + para + " " + words(8000, 10);
  const std::vector<QueryHit> hits = index.query(query, 10);
  ASSERT_EQ(hits.size(), 2u);
  EXPECT_EQ(hits[0].doc, 0u);
  EXPECT_EQ(hits[1].doc, 3u);
  EXPECT_EQ(hits[0].shared_tokens, 40u);
  EXPECT_EQ(hits[0].doc_shared_tokens, 40u);
  EXPECT_DOUBLE_EQ(hits[0].containment, 40.0 / 72.0);
  EXPECT_DOUBLE_EQ(hits[0].doc_containment, 40.0 / 100.0);
  EXPECT_EQ(hits[1].shared_tokens, 20u);
  ASSERT_EQ(hits[0].spans.size(), 1u);
  EXPECT_EQ(cp_substr(query, hits[0].query_start[0], hits[0].query_end[0]), para);
  EXPECT_EQ(cp_substr(first.view().doc(0), hits[0].doc_start[0], hits[0].doc_end[0]), para);
  ASSERT_EQ(hits[1].spans.size(), 1u);
  EXPECT_EQ(cp_substr(query, hits[1].query_start[0], hits[1].query_end[0]), words(50000, 20));
  EXPECT_EQ(cp_substr(second.view().doc(1), hits[1].doc_start[0], hits[1].doc_end[0]), words(50000, 20));

  const std::vector<QueryHit> best = index.query(query, 1);
  ASSERT_EQ(best.size(), 1u);
  EXPECT_EQ(best[0].doc, 0u);
  EXPECT_TRUE(index.query(words(90000, 60), 10).empty());
  EXPECT_TRUE(index.query(query, 0).empty());
  EXPECT_TRUE(index.query("", 10).empty());
}

TEST(Monitor, ManyBatchesGiveTheSameHits) {
  // More batches than the index keeps as separate runs: they are merged along the way.
  const std::string para = words(50000, 40);
  MonitorIndex batched{TraceOptions{}}, single{TraceOptions{}};
  TestCorpus all;
  for (std::size_t d = 0; d < 20; ++d) {
    const std::string text =
        words(1000 * d, 20) + (d % 3 == 0 ? " " + para : std::string()) + " " + words(100000 + d * 100, 10);
    TestCorpus one;
    one.add(text);
    EXPECT_EQ(batched.add(one.view()), d);
    all.add(text);
  }
  single.add(all.view());
  const std::string query = words(70000, 10) + " " + para;
  const auto x = batched.query(query, 100), y = single.query(query, 100);
  ASSERT_EQ(x.size(), 7u);
  ASSERT_EQ(y.size(), x.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    EXPECT_EQ(x[i].doc, y[i].doc);
    EXPECT_EQ(x[i].doc % 3, 0u);
    EXPECT_EQ(x[i].shared_tokens, 40u);
    EXPECT_EQ(x[i].doc_start, y[i].doc_start);
    EXPECT_EQ(x[i].query_start, y[i].query_start);
  }
}

TEST(ParallelFor, RunsEveryIndexOnceForAnyThreadCount) {
  for (std::size_t threads : {1, 2, 3, 8}) {
    for (std::size_t grain : {1, 7, 1000}) {
      std::vector<std::atomic<int>> hits(1000);
      detail::parallel_for(hits.size(), threads, grain, [&](std::size_t i) { hits[i].fetch_add(1); });
      for (std::size_t i = 0; i < hits.size(); ++i) ASSERT_EQ(hits[i].load(), 1) << i;
    }
  }
  detail::parallel_for(0, 2, 1, [](std::size_t) { FAIL() << "no work expected"; });
}

TEST(ParallelFor, CancelStopsTheWorkEarly) {
  std::atomic<std::size_t> ran{0};
  std::size_t calls = 0;
  Progress stop_first = [&](std::string_view stage, std::size_t, std::size_t total) {
    EXPECT_EQ(stage, "work");
    EXPECT_EQ(total, 10000u);
    ++calls;
    return false;
  };
  EXPECT_THROW(detail::parallel_for(
                   10000, 1, 10, [&](std::size_t) { ++ran; }, &stop_first, "work"),
               Cancelled);
  EXPECT_EQ(calls, 1u);
  EXPECT_EQ(ran.load(), 0u); // the stage's first report comes before any work
  // Stopped at the second report: after the calling thread's first block.
  calls = 0;
  Progress stop_second = [&](std::string_view, std::size_t done, std::size_t) {
    if (++calls == 1) EXPECT_EQ(done, 0u);
    return calls < 2;
  };
  EXPECT_THROW(detail::parallel_for(
                   10000, 1, 10, [&](std::size_t) { ++ran; }, &stop_second, "work"),
               Cancelled);
  EXPECT_EQ(calls, 2u);
  EXPECT_EQ(ran.load(), 10u); // one block, then the stop
  // With helper threads too (how far they got before the stop depends on scheduling).
  EXPECT_THROW(detail::parallel_for(
                   10000, 2, 10, [&](std::size_t) { ++ran; }, &stop_first, "work"),
               Cancelled);
}

TEST(ParallelFor, FirstExceptionIsRethrown) {
  for (std::size_t threads : {1, 2}) {
    std::atomic<std::size_t> ran{0};
    EXPECT_THROW(detail::parallel_for(100000, threads, 16,
                                      [&](std::size_t i) {
                                        ++ran;
                                        if (i == 40) throw std::out_of_range("bad document");
                                      }),
                 std::out_of_range);
    if (threads == 1) {
      EXPECT_EQ(ran.load(), 41u); // stopped at once (with more threads: by scheduling)
    }
  }
}

TEST(Cancel, ProgressReturningFalseStopsTheWork) {
  const WireCorpus w;
  const CorpusView view = w.corpus.view();
  Progress stop = [](std::string_view, std::size_t, std::size_t) { return false; };
  EXPECT_THROW(trace(view, w.aliases, options(2), &stop), Cancelled);

  // Progress comes from the calling thread only, through every stage, until one says stop.
  const auto caller = std::this_thread::get_id();
  std::set<std::string> stages;
  bool other_thread = false;
  Progress record = [&](std::string_view stage, std::size_t done, std::size_t total) {
    other_thread |= std::this_thread::get_id() != caller;
    EXPECT_LE(done, total);
    stages.emplace(stage);
    return true;
  };
  trace(view, w.aliases, options(2), &record);
  EXPECT_FALSE(other_thread);
  EXPECT_TRUE(stages.count("tokenize"));
  EXPECT_TRUE(stages.count("candidates"));
  EXPECT_TRUE(stages.count("align"));

  Progress stop_at_align = [](std::string_view stage, std::size_t, std::size_t) { return stage != "align"; };
  EXPECT_THROW(trace(view, w.aliases, options(2), &stop_at_align), Cancelled);

  // Attribution reports its steps and stops inside them too, not only between stages.
  std::vector<std::size_t> attribute_steps;
  Progress steps = [&](std::string_view stage, std::size_t done, std::size_t total) {
    if (stage == "attribute") {
      EXPECT_EQ(total, 5u);
      attribute_steps.push_back(done);
    }
    return true;
  };
  trace(view, w.aliases, options(2), &steps);
  // Every step, in order (the long ones again between blocks of their work).
  EXPECT_TRUE(std::is_sorted(attribute_steps.begin(), attribute_steps.end()));
  EXPECT_EQ(std::set<std::size_t>(attribute_steps.begin(), attribute_steps.end()),
            (std::set<std::size_t>{0, 1, 2, 3, 4, 5}));
  std::size_t offsets_seen = 0;
  Progress stop_in_attribute = [&](std::string_view stage, std::size_t done, std::size_t) {
    offsets_seen += stage == "offsets";
    return !(stage == "attribute" && done == 3);
  };
  EXPECT_THROW(trace(view, w.aliases, options(2), &stop_in_attribute), Cancelled);
  EXPECT_EQ(offsets_seen, 0u);

  MonitorIndex index{TraceOptions{}};
  EXPECT_THROW(index.add(view, &stop), Cancelled);
  EXPECT_EQ(index.size(), 0u);
}

TEST(Stages, CatalogNamesOptionsAndEarlierStages) {
  std::set<std::string_view> seen, used;
  for (const StageInfo &s : stage_catalog()) {
    for (std::string_view input : s.inputs) EXPECT_TRUE(seen.count(input)) << s.name << " reads " << input;
    for (std::string_view o : s.options) {
      const bool known = std::any_of(option_specs().begin(), option_specs().end(),
                                     [&](const OptionSpec &spec) { return spec.name == o; });
      EXPECT_TRUE(known) << s.name << " names " << o;
      used.insert(o);
    }
    seen.insert(s.name);
  }
  // Every option but those that tune speed or memory changes some stage's table, and those none.
  for (const OptionSpec &spec : option_specs())
    if (spec.used_by & kForTrace) EXPECT_EQ(used.count(spec.name), spec.tunes ? 0u : 1u) << spec.name;
  EXPECT_EQ(seen.size(), 8u);
}

} // namespace
} // namespace storytrace

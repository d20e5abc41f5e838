// Attribution: link direction, origins, derivation and stories, on hand-made passages.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <vector>

#include "helpers.hpp"
#include "storytrace/attribute.hpp"
#include "storytrace/attribute_steps.hpp"

namespace storytrace {
namespace {

// Documents described by hand; run() builds the AttributeInput over them.
struct Docs {
  std::vector<std::int64_t> published;
  std::vector<std::int32_t> agency; // the agency each document's outlet is, or kNone
  std::vector<std::vector<std::int32_t>> credits;
  std::vector<std::uint32_t> tokens, boilerplate;
  std::vector<std::int64_t> latest; // empty: exact times

  std::uint32_t add(std::uint32_t ntokens, std::int64_t time = kNoTime, std::vector<std::int32_t> credited = {},
                    std::int32_t outlet_agency = kNone, std::uint32_t bp = 0) {
    published.push_back(time);
    agency.push_back(outlet_agency);
    credits.push_back(std::move(credited));
    tokens.push_back(ntokens);
    boilerplate.push_back(bp);
    return static_cast<std::uint32_t>(tokens.size() - 1);
  }

  // The AttributeInput over the documents, with the arrays it points into.
  struct Input {
    std::vector<TimeRange> times;
    std::vector<std::uint64_t> credit_begin{0};
    std::vector<std::int32_t> credit_agency;
    AttributeInput in;
  };
  std::unique_ptr<Input> input(std::size_t threads = 1) const {
    auto x = std::make_unique<Input>();
    for (const auto &c : credits) {
      x->credit_agency.insert(x->credit_agency.end(), c.begin(), c.end());
      x->credit_begin.push_back(x->credit_agency.size());
    }
    x->times.resize(tokens.size());
    for (std::size_t d = 0; d < x->times.size(); ++d)
      x->times[d] =
          published[d] == kNoTime ? TimeRange{} : TimeRange{published[d], latest.empty() ? published[d] : latest[d]};
    AttributeInput &in = x->in;
    in.docs = tokens.size();
    in.time = x->times.data();
    in.outlet_agency = agency.data();
    in.credit_begin = x->credit_begin.data();
    in.credit_agency = x->credit_agency.data();
    in.tokens = tokens.data();
    in.boilerplate = boilerplate.data();
    in.threads = threads;
    return x;
  }

  Attribution run(std::vector<Passage> passages, const AttributeOptions &options = {}, std::size_t threads = 1) const {
    const auto x = input(threads);
    Attribution out = attribute(x->in, std::move(passages), options);
    check_shape(out);
    return out;
  }

  // Sizes and orderings that every attribution must have.
  void check_shape(const Attribution &r) const {
    const std::size_t n = tokens.size();
    EXPECT_EQ(r.reused_tokens.size(), n);
    EXPECT_EQ(r.shared_tokens.size(), n);
    EXPECT_EQ(r.reuse_share.size(), n);
    EXPECT_EQ(r.derivation.size(), n);
    EXPECT_EQ(r.origin_doc.size(), n);
    EXPECT_EQ(r.origin_agency.size(), n);
    EXPECT_EQ(r.origin_evidence.size(), n);
    EXPECT_EQ(r.story.size(), n);
    EXPECT_EQ(r.passage_origin_doc.size(), r.passages.size());
    EXPECT_EQ(r.passage_origin_agency.size(), r.passages.size());
    EXPECT_EQ(r.passage_evidence.size(), r.passages.size());
    EXPECT_EQ(r.passage_direct.size(), r.passages.size());
    for (std::size_t i = 1; i < r.links.size(); ++i)
      EXPECT_TRUE(r.links[i - 1].target < r.links[i].target ||
                  (r.links[i - 1].target == r.links[i].target && r.links[i - 1].source < r.links[i].source));
    ASSERT_FALSE(r.story_begin.empty());
    EXPECT_EQ(r.story_begin.back(), r.story_docs.size());
    EXPECT_EQ(r.story_origin_doc.size() + 1, r.story_begin.size());
    EXPECT_EQ(r.story_origin_agency.size() + 1, r.story_begin.size());
    for (std::size_t d = 0; d < n; ++d) {
      EXPECT_LE(r.reused_tokens[d], r.shared_tokens[d]) << "doc " << d;
      EXPECT_GE(r.reuse_share[d], 0.0);
      EXPECT_LE(r.reuse_share[d], 1.0);
    }
  }
};

Passage pass(std::uint32_t a, std::uint32_t b, std::uint32_t a_begin, std::uint32_t a_end, std::uint32_t b_begin,
             std::uint32_t b_end) {
  return Passage{a, b, Span{a_begin, a_end, b_begin, b_end, a_end - a_begin}};
}

// A passage over the same tokens of both texts, with `edits` tokens inside it unmatched.
Passage edited(std::uint32_t a, std::uint32_t b, std::uint32_t len, std::uint32_t edits) {
  return Passage{a, b, Span{0, len, 0, len, len - edits}};
}

const Link &link(const Attribution &r, std::uint32_t target, std::uint32_t source) {
  for (const Link &l : r.links)
    if (l.target == target && l.source == source) return l;
  ADD_FAILURE() << "no link " << source << " -> " << target;
  static const Link none{};
  return none;
}

// The index of the passage whose (oriented) source is `a` and target `b`.
std::size_t passage(const Attribution &r, std::uint32_t a, std::uint32_t b) {
  for (std::size_t k = 0; k < r.passages.size(); ++k)
    if (r.passages[k].a == a && r.passages[k].b == b) return k;
  ADD_FAILURE() << "no passage " << a << " -> " << b;
  return 0;
}

TEST(Attribute, EarlierDocumentIsTheSource) {
  Docs docs;
  docs.add(100, 200);
  docs.add(100, 100);
  const Attribution r = docs.run({pass(0, 1, 0, 80, 10, 90)});
  ASSERT_EQ(r.links.size(), 1u);
  const Link &l = link(r, 0, 1);
  EXPECT_EQ(l.evidence, Evidence::Published);
  EXPECT_EQ(l.shared_tokens, 80u);
  EXPECT_EQ(l.source_shared_tokens, 80u);
  EXPECT_DOUBLE_EQ(l.containment, 0.8);
  EXPECT_EQ(l.agency, kNone);
  EXPECT_TRUE(l.is_origin);
  // The passage is re-oriented: a is the source (doc 1), b the target (doc 0).
  ASSERT_EQ(r.passages.size(), 1u);
  EXPECT_EQ(r.passages[0].a, 1u);
  EXPECT_EQ(r.passages[0].b, 0u);
  EXPECT_EQ(r.passages[0].span.a_begin, 10u);
  EXPECT_EQ(r.passages[0].span.a_end, 90u);
  EXPECT_EQ(r.passages[0].span.b_begin, 0u);
  EXPECT_EQ(r.passages[0].span.b_end, 80u);
  EXPECT_EQ(r.passage_origin_doc[0], 1);
  EXPECT_EQ(r.passage_evidence[0], Evidence::Published);
  EXPECT_EQ(r.reused_tokens, (std::vector<std::uint32_t>{80, 0}));
  EXPECT_EQ(r.shared_tokens, (std::vector<std::uint32_t>{80, 80}));
  EXPECT_EQ(r.derivation, (std::vector<Derivation>{Derivation::Wholly, Derivation::None}));
  EXPECT_EQ(r.origin_doc, (std::vector<std::int32_t>{1, kNone}));
  EXPECT_EQ(r.origin_evidence, (std::vector<OriginEvidence>{OriginEvidence::Passages, OriginEvidence::None}));
  EXPECT_EQ(r.story, (std::vector<std::int32_t>{0, 0}));
  EXPECT_EQ(r.story_origin_doc, (std::vector<std::int32_t>{1}));
}

TEST(Attribute, EqualTimesAreNoEvidence) {
  Docs docs;
  docs.add(100, 50);
  docs.add(100, 50);
  const Attribution r = docs.run({pass(0, 1, 0, 60, 0, 60)});
  ASSERT_EQ(r.links.size(), 1u);
  EXPECT_EQ(r.links[0].evidence, Evidence::Undirected);
}

TEST(Attribute, TwoReprintsOfTheSameAgencyAreSiblings) {
  Docs docs;
  const std::int32_t ap = 5;
  docs.add(100, 1, {ap});
  docs.add(100, 2, {ap}); // later, but neither copies the other
  const Attribution r = docs.run({pass(1, 0, 20, 80, 0, 60)});
  ASSERT_EQ(r.links.size(), 1u);
  const Link &l = r.links[0];
  EXPECT_EQ(l.evidence, Evidence::Sibling);
  EXPECT_EQ(l.agency, ap);
  EXPECT_EQ(l.source, 0u); // the lower corpus index
  EXPECT_EQ(l.target, 1u);
  EXPECT_FALSE(l.is_origin);
  EXPECT_EQ(r.origin_doc, (std::vector<std::int32_t>{kNone, kNone}));
  EXPECT_EQ(r.origin_agency, (std::vector<std::int32_t>{ap, ap}));
  EXPECT_EQ(r.origin_evidence, (std::vector<OriginEvidence>{OriginEvidence::Passages, OriginEvidence::Passages}));
  EXPECT_EQ(r.reused_tokens, (std::vector<std::uint32_t>{60, 60}));
  EXPECT_EQ(r.derivation, (std::vector<Derivation>{Derivation::Partially, Derivation::Partially}));
  ASSERT_EQ(r.passages.size(), 1u);
  EXPECT_EQ(r.passage_origin_doc[0], kNone);
  EXPECT_EQ(r.passage_origin_agency[0], ap);
  EXPECT_EQ(r.passage_evidence[0], Evidence::Sibling);
  EXPECT_EQ(r.story, (std::vector<std::int32_t>{0, 0}));
  EXPECT_EQ(r.story_origin_doc, (std::vector<std::int32_t>{kNone}));
  EXPECT_EQ(r.story_origin_agency, (std::vector<std::int32_t>{ap}));
}

TEST(Attribute, TheAgencysOwnCopyIsNotASibling) {
  const std::int32_t reuters = 2;
  Docs docs;
  docs.add(100, kNoTime, {reuters}, reuters); // Reuters' own story carries its own dateline credit
  docs.add(100, kNoTime, {reuters});          // a newspaper reprinting it
  const Attribution r = docs.run({pass(0, 1, 0, 90, 0, 90)});
  ASSERT_EQ(r.links.size(), 1u);
  EXPECT_EQ(r.links[0].evidence, Evidence::Credit);
  EXPECT_EQ(r.links[0].source, 0u);
  EXPECT_EQ(r.links[0].target, 1u);
  EXPECT_EQ(r.origin_doc[1], 0);
  EXPECT_EQ(r.origin_agency[1], reuters);
}

TEST(Attribute, ChainsAreFollowedToTheFirstDocument) {
  // Corpus order differs from time order: C (t=3), A (t=1), B (t=2). C shares text with both.
  Docs docs;
  const std::uint32_t c = docs.add(100, 3), a = docs.add(100, 1), b = docs.add(100, 2);
  const Attribution r = docs.run({pass(a, b, 0, 50, 0, 50), pass(b, c, 0, 50, 0, 50), pass(a, c, 0, 50, 0, 50)});
  ASSERT_EQ(r.links.size(), 3u);
  EXPECT_EQ(link(r, b, a).evidence, Evidence::Published);
  EXPECT_EQ(link(r, c, a).evidence, Evidence::Published);
  EXPECT_EQ(link(r, c, b).evidence, Evidence::Published);
  EXPECT_EQ(r.origin_doc[c], static_cast<std::int32_t>(a));
  EXPECT_EQ(r.origin_doc[b], static_cast<std::int32_t>(a));
  EXPECT_EQ(r.origin_doc[a], kNone);
  EXPECT_TRUE(link(r, c, a).is_origin);
  EXPECT_FALSE(link(r, c, b).is_origin);
  EXPECT_TRUE(link(r, b, a).is_origin);
  // The passage C took from B carries A's text.
  EXPECT_EQ(r.passage_origin_doc[passage(r, b, c)], static_cast<std::int32_t>(a));
  EXPECT_EQ(r.passage_origin_doc[passage(r, a, c)], static_cast<std::int32_t>(a));
  EXPECT_EQ(r.reused_tokens[c], 50u); // counted once, though two passages cover it
  EXPECT_EQ(r.story, (std::vector<std::int32_t>{0, 0, 0}));
  EXPECT_EQ(r.story_origin_doc, (std::vector<std::int32_t>{static_cast<std::int32_t>(a)}));
  // Without the direct passage A-C, nothing shows that C's text is A's: its origin is B.
  const Attribution r2 = docs.run({pass(a, b, 0, 50, 0, 50), pass(b, c, 0, 50, 0, 50)});
  EXPECT_EQ(r2.origin_doc[c], static_cast<std::int32_t>(b));
}

TEST(Attribute, OutletThatIsTheCreditedAgencyIsTheSourceWhenUndated) {
  const std::int32_t aa = 4;
  for (bool agency_first : {true, false}) {
    Docs docs;
    std::uint32_t agency_doc, paper;
    if (agency_first) {
      agency_doc = docs.add(60, kNoTime, {}, aa);
      paper = docs.add(120, kNoTime, {aa});
    } else {
      paper = docs.add(120, kNoTime, {aa});
      agency_doc = docs.add(60, kNoTime, {}, aa);
    }
    // 50 of the agency's 60 tokens against 50 of the paper's 120: containment alone would say the
    // opposite, but the credit decides first.
    const Attribution r = docs.run({pass(agency_doc, paper, 0, 50, 0, 50)});
    ASSERT_EQ(r.links.size(), 1u);
    EXPECT_EQ(r.links[0].source, agency_doc);
    EXPECT_EQ(r.links[0].target, paper);
    EXPECT_EQ(r.links[0].evidence, Evidence::Credit);
    EXPECT_EQ(r.origin_doc[paper], static_cast<std::int32_t>(agency_doc));
    EXPECT_EQ(r.origin_agency[paper], aa);
    EXPECT_EQ(r.reused_tokens[agency_doc], 0u);
    EXPECT_EQ(r.passage_evidence[0], Evidence::Credit);
  }
}

TEST(Attribute, UndatedEqualContainmentIsUndirected) {
  Docs docs;
  docs.add(100);
  docs.add(100);
  const Attribution r = docs.run({pass(1, 0, 0, 60, 10, 70)});
  ASSERT_EQ(r.links.size(), 1u);
  const Link &l = r.links[0];
  EXPECT_EQ(l.evidence, Evidence::Undirected);
  EXPECT_EQ(l.source, 0u);
  EXPECT_EQ(l.target, 1u);
  EXPECT_FALSE(l.is_origin);
  EXPECT_DOUBLE_EQ(l.containment, 0.6);
  EXPECT_EQ(r.reused_tokens, (std::vector<std::uint32_t>{0, 0}));
  EXPECT_EQ(r.shared_tokens, (std::vector<std::uint32_t>{60, 60}));
  EXPECT_EQ(r.derivation, (std::vector<Derivation>{Derivation::None, Derivation::None}));
  EXPECT_EQ(r.origin_doc, (std::vector<std::int32_t>{kNone, kNone}));
  EXPECT_EQ(r.origin_evidence, (std::vector<OriginEvidence>{OriginEvidence::None, OriginEvidence::None}));
  EXPECT_EQ(r.passage_origin_doc[0], kNone);
  EXPECT_EQ(r.passage_evidence[0], Evidence::Undirected);
  EXPECT_EQ(r.story, (std::vector<std::int32_t>{0, 0})); // still one story
  EXPECT_EQ(r.story_origin_doc, (std::vector<std::int32_t>{kNone}));
  EXPECT_EQ(r.story_origin_agency, (std::vector<std::int32_t>{kNone}));
}

TEST(Attribute, UndatedUnequalContainmentPointsAtTheMoreContainedDocument) {
  for (bool short_first : {false, true}) {
    Docs docs;
    const std::uint32_t big = short_first ? 1 : 0, small = short_first ? 0 : 1;
    docs.add(short_first ? 80 : 200);
    docs.add(short_first ? 200 : 80);
    const Attribution r = docs.run({pass(0, 1, 0, 60, 10, 70)});
    ASSERT_EQ(r.links.size(), 1u);
    const Link &l = r.links[0];
    EXPECT_EQ(l.evidence, Evidence::Containment);
    EXPECT_EQ(l.target, small); // 60/80 of it is shared, against 60/200 of the other
    EXPECT_EQ(l.source, big);
    EXPECT_DOUBLE_EQ(l.containment, 0.75);
    EXPECT_DOUBLE_EQ(l.source_containment, 0.3);
    EXPECT_EQ(r.origin_doc[small], static_cast<std::int32_t>(big));
    EXPECT_EQ(r.reused_tokens[small], 60u);
    EXPECT_EQ(r.reused_tokens[big], 0u);
    EXPECT_EQ(r.derivation[small], Derivation::Wholly);
  }
}

TEST(Attribute, ContainmentMarginAndBoilerplate) {
  Docs docs;
  docs.add(100);
  docs.add(95);
  const std::vector<Passage> ps{pass(0, 1, 0, 60, 0, 60)}; // 0.60 against 0.63
  EXPECT_EQ(docs.run(ps).links[0].evidence, Evidence::Undirected);
  AttributeOptions loose;
  loose.containment_margin = 0.02;
  const Attribution r = docs.run(ps, loose);
  EXPECT_EQ(r.links[0].evidence, Evidence::Containment);
  EXPECT_EQ(r.links[0].target, 1u);

  // Boilerplate does not count: 40 of doc 0's 50 effective tokens are shared, 40 of doc 1's 100.
  Docs bp;
  bp.add(100, kNoTime, {}, kNone, 50);
  bp.add(100);
  const Attribution rb = bp.run({pass(0, 1, 0, 40, 0, 40)});
  EXPECT_EQ(rb.links[0].evidence, Evidence::Containment);
  EXPECT_EQ(rb.links[0].target, 0u);
  EXPECT_DOUBLE_EQ(rb.links[0].containment, 0.8);
}

TEST(Attribute, DerivationThresholds) {
  Docs docs;
  const std::uint32_t src = docs.add(1000, 0);
  const std::uint32_t t70 = docs.add(100, 1), t69 = docs.add(100, 2), t1 = docs.add(100, 3);
  const std::uint32_t t_bp = docs.add(100, 4, {}, kNone, 30); // 49 of 70 effective tokens
  const std::uint32_t t_over = docs.add(100, 5, {}, kNone, 90);
  const std::uint32_t alone = docs.add(100, 6);
  const std::vector<Passage> ps{pass(src, t70, 0, 70, 0, 70), pass(src, t69, 100, 169, 20, 89),
                                pass(src, t1, 300, 301, 50, 51), pass(src, t_bp, 400, 449, 0, 49),
                                pass(src, t_over, 500, 550, 0, 50)};
  const Attribution r = docs.run(ps);
  EXPECT_EQ(r.derivation[src], Derivation::None);
  EXPECT_EQ(r.derivation[t70], Derivation::Wholly);
  EXPECT_EQ(r.derivation[t69], Derivation::Partially);
  EXPECT_EQ(r.derivation[t1], Derivation::Partially);
  EXPECT_EQ(r.derivation[t_bp], Derivation::Wholly);
  EXPECT_EQ(r.derivation[t_over], Derivation::Wholly);
  EXPECT_EQ(r.derivation[alone], Derivation::None);
  EXPECT_DOUBLE_EQ(r.reuse_share[t70], 0.7);
  EXPECT_DOUBLE_EQ(r.reuse_share[t69], 0.69);
  EXPECT_DOUBLE_EQ(r.reuse_share[t1], 0.01);
  EXPECT_DOUBLE_EQ(r.reuse_share[t_bp], 0.7);
  EXPECT_DOUBLE_EQ(r.reuse_share[t_over], 1.0); // capped
  EXPECT_DOUBLE_EQ(r.reuse_share[alone], 0.0);
  EXPECT_EQ(r.story[alone], kNone);
  for (std::uint32_t t : {t70, t69, t1, t_bp, t_over}) EXPECT_EQ(r.origin_doc[t], static_cast<std::int32_t>(src));
  // A lower bar for "wholly".
  AttributeOptions half;
  half.wholly = 0.5;
  const Attribution h = docs.run(ps, half);
  EXPECT_EQ(h.derivation[t69], Derivation::Wholly);
  EXPECT_EQ(h.derivation[t1], Derivation::Partially);
}

TEST(Attribute, OriginIsWhereMostReusedTextCameFrom) {
  Docs docs;
  const std::uint32_t s1 = docs.add(100, 1), s2 = docs.add(100, 2), t = docs.add(100, 3);
  // Overlapping spans in t: [0, 60) from s1 and [30, 90) from s2; tokens counted once.
  const Attribution r = docs.run({pass(s1, t, 0, 60, 0, 60), pass(s2, t, 10, 70, 30, 90)});
  EXPECT_EQ(r.reused_tokens[t], 90u);
  EXPECT_EQ(r.shared_tokens[t], 90u);
  // s1 is earlier: the shared stretch [30, 60) goes to it, so s1 has 60 tokens and s2 30.
  EXPECT_EQ(r.origin_doc[t], static_cast<std::int32_t>(s1));
  EXPECT_TRUE(link(r, t, s1).is_origin);
  EXPECT_FALSE(link(r, t, s2).is_origin);
  // Disjoint spans: the larger share wins.
  const Attribution r2 = docs.run({pass(s1, t, 0, 30, 0, 30), pass(s2, t, 0, 40, 50, 90)});
  EXPECT_EQ(r2.reused_tokens[t], 70u);
  EXPECT_EQ(r2.origin_doc[t], static_cast<std::int32_t>(s2));
  EXPECT_EQ(r2.derivation[t], Derivation::Wholly);
}

TEST(Attribute, CreditAloneGivesTheOriginAgency) {
  Docs docs;
  docs.add(100, 1, {7, 3});
  docs.add(100, 2);
  const Attribution r = docs.run({});
  EXPECT_EQ(r.origin_agency, (std::vector<std::int32_t>{7, kNone}));
  EXPECT_EQ(r.origin_doc, (std::vector<std::int32_t>{kNone, kNone}));
  EXPECT_EQ(r.origin_evidence, (std::vector<OriginEvidence>{OriginEvidence::Credit, OriginEvidence::None}));
  EXPECT_EQ(r.derivation, (std::vector<Derivation>{Derivation::None, Derivation::None}));
  EXPECT_EQ(r.story, (std::vector<std::int32_t>{kNone, kNone}));
  EXPECT_TRUE(r.links.empty());
  EXPECT_EQ(r.story_begin, (std::vector<std::uint64_t>{0}));
}

TEST(Attribute, CopyOfAnAgencyReprintIsTracedToTheAgency) {
  const std::int32_t ap = 3;
  Docs docs;
  const std::uint32_t r1 = docs.add(100, 1, {ap}), r2 = docs.add(100, 2, {ap}), copy = docs.add(100, 3);
  const Attribution r =
      docs.run({pass(r1, r2, 0, 100, 0, 100), pass(r2, copy, 0, 100, 0, 100), pass(r1, copy, 0, 100, 0, 100)});
  EXPECT_EQ(link(r, r2, r1).evidence, Evidence::Sibling);
  EXPECT_EQ(link(r, copy, r1).evidence, Evidence::Published);
  EXPECT_EQ(r.origin_agency[r1], ap);
  EXPECT_EQ(r.origin_agency[r2], ap);
  EXPECT_EQ(r.origin_doc[copy], kNone);
  EXPECT_EQ(r.origin_agency[copy], ap);
  EXPECT_EQ(r.derivation[copy], Derivation::Wholly);
  EXPECT_EQ(r.story_origin_doc, (std::vector<std::int32_t>{kNone}));
  EXPECT_EQ(r.story_origin_agency, (std::vector<std::int32_t>{ap}));
  // The copy's passages say what the copy itself says: the text is AP's.
  for (std::uint32_t source : {r1, r2}) {
    const std::size_t k = passage(r, source, copy);
    EXPECT_EQ(r.passage_origin_doc[k], kNone);
    EXPECT_EQ(r.passage_origin_agency[k], ap);
  }
}

TEST(Attribute, ChainsThroughAgencyReprintsDoNotDependOnCorpusOrder) {
  // R1 and R2 reprint AP's story; S copies it whole from them; T copies S (and only S).
  const std::int32_t ap = 3;
  enum { R1, R2, S, T };
  const std::int64_t times[] = {1, 2, 3, 4};
  const std::vector<std::int32_t> credits[] = {{ap}, {ap}, {}, {}};
  std::vector<int> order{R1, R2, S, T}; // order[i]: the role of corpus document i
  do {
    Docs docs;
    std::uint32_t at[4];
    for (std::size_t i = 0; i < 4; ++i) at[order[i]] = docs.add(100, times[order[i]], credits[order[i]]);
    const Attribution r = docs.run({pass(at[R1], at[R2], 0, 100, 0, 100), pass(at[R1], at[S], 0, 100, 0, 100),
                                    pass(at[R2], at[S], 0, 100, 0, 100), pass(at[S], at[T], 0, 100, 0, 100)});
    SCOPED_TRACE(::testing::Message() << "order " << order[0] << order[1] << order[2] << order[3]);
    for (int role : {R1, R2, S, T}) {
      EXPECT_EQ(r.origin_doc[at[role]], kNone) << "role " << role;
      EXPECT_EQ(r.origin_agency[at[role]], ap) << "role " << role;
      EXPECT_EQ(r.derivation[at[role]], Derivation::Wholly) << "role " << role;
    }
    EXPECT_EQ(r.story_origin_agency, (std::vector<std::int32_t>{ap}));
  } while (std::next_permutation(order.begin(), order.end()));
}

TEST(Attribute, StoriesGroupConnectedDocuments) {
  Docs docs;
  for (std::int64_t t = 0; t < 6; ++t) docs.add(100, t);
  const Attribution r = docs.run({pass(2, 4, 0, 50, 0, 50), pass(1, 5, 0, 50, 0, 50), pass(0, 2, 0, 50, 0, 50)});
  EXPECT_EQ(r.story, (std::vector<std::int32_t>{0, 1, 0, kNone, 0, 1}));
  EXPECT_EQ(r.story_begin, (std::vector<std::uint64_t>{0, 3, 5}));
  EXPECT_EQ(r.story_docs, (std::vector<std::uint32_t>{0, 2, 4, 1, 5}));
  EXPECT_EQ(r.story_origin_doc, (std::vector<std::int32_t>{0, 1}));
  EXPECT_EQ(r.origin_doc, (std::vector<std::int32_t>{kNone, kNone, 0, kNone, 2, 1}));
  EXPECT_EQ(r.links.size(), 3u);
}

TEST(Attribute, SeveralPassagesOfOnePairMakeOneLink) {
  Docs docs;
  docs.add(200, 1);
  docs.add(200, 2);
  const Attribution r = docs.run({pass(0, 1, 100, 140, 120, 160), pass(0, 1, 0, 30, 0, 30)});
  ASSERT_EQ(r.links.size(), 1u);
  EXPECT_EQ(r.links[0].shared_tokens, 70u);
  EXPECT_EQ(r.passages.size(), 2u);
  EXPECT_EQ(r.reused_tokens[1], 70u);
  EXPECT_DOUBLE_EQ(r.reuse_share[1], 0.35);
}

TEST(Attribute, EmptyInput) {
  Docs docs;
  const Attribution none = docs.run({});
  EXPECT_TRUE(none.links.empty());
  EXPECT_EQ(none.story_begin, (std::vector<std::uint64_t>{0}));
  docs.add(10);
  docs.add(0);
  const Attribution two = docs.run({});
  EXPECT_EQ(two.derivation, (std::vector<Derivation>{Derivation::None, Derivation::None}));
  EXPECT_EQ(two.story, (std::vector<std::int32_t>{kNone, kNone}));
}

TEST(Attribute, Names) {
  EXPECT_EQ(evidence_name(Evidence::Published), "published");
  EXPECT_EQ(evidence_name(Evidence::Credit), "credit");
  EXPECT_EQ(evidence_name(Evidence::Containment), "containment");
  EXPECT_EQ(evidence_name(Evidence::Sibling), "sibling");
  EXPECT_EQ(evidence_name(Evidence::Undirected), "undirected");
  EXPECT_EQ(derivation_name(Derivation::Wholly), "wholly");
  EXPECT_EQ(derivation_name(Derivation::Partially), "partially");
  EXPECT_EQ(derivation_name(Derivation::None), "none");
  EXPECT_EQ(origin_evidence_name(OriginEvidence::Passages), "passages");
  EXPECT_EQ(origin_evidence_name(OriginEvidence::Credit), "credit");
  EXPECT_EQ(origin_evidence_name(OriginEvidence::None), "none");
}

// A document-level record: b's vocabulary held by a, as the rewrite scorer makes it.
Passage vocabulary_record(std::uint32_t a, std::uint32_t b, std::uint32_t na, std::uint32_t nb, float share) {
  return Passage{a, b, Span{0, na, 0, nb, std::min(na, nb) / 2, share, PassageKind::Vocabulary}};
}

TEST(Attribute, VocabularyAloneMakesAPartialDerivationFromAnEarlierDocument) {
  Docs docs;
  docs.add(100, 100);     // 0: the source
  docs.add(100, 200);     // 1: holds half its vocabulary in 0, and 0.6 of it in 2
  docs.add(100, 150);     // 2: another earlier document
  docs.add(100, 300);     // 3: has passages with 0, and a record too
  docs.add(100, 200);     // 4: a record with a document published at the same time
  docs.add(100, kNoTime); // 5: undated
  const Attribution r = docs.run({vocabulary_record(0, 1, 100, 100, 0.5f), vocabulary_record(2, 1, 100, 100, 0.6f),
                                  pass(0, 3, 0, 40, 0, 40), vocabulary_record(2, 3, 100, 100, 0.9f),
                                  vocabulary_record(1, 4, 100, 100, 0.8f), vocabulary_record(0, 5, 100, 100, 0.8f)});
  // Records are no passages.
  ASSERT_EQ(r.passages.size(), 1u);
  EXPECT_EQ(r.passages[0].span.kind, PassageKind::Verbatim);
  EXPECT_EQ(r.derivation[1], Derivation::Partially);
  EXPECT_EQ(r.origin_doc[1], 2); // the one holding most of it
  EXPECT_EQ(r.origin_evidence[1], OriginEvidence::Vocabulary);
  EXPECT_EQ(r.reuse_share[1], 0.0);
  EXPECT_FLOAT_EQ(static_cast<float>(r.vocabulary_share[1]), 0.6f);
  const Link &l = link(r, 1, 2);
  EXPECT_TRUE(l.vocabulary);
  EXPECT_TRUE(l.is_origin);
  EXPECT_EQ(l.evidence, Evidence::Published);
  EXPECT_EQ(l.shared_tokens, 0u);
  EXPECT_FLOAT_EQ(static_cast<float>(l.containment), 0.6f);
  EXPECT_EQ(r.story[1], r.story[2]);
  EXPECT_NE(r.story[1], kNone);
  // Passages decide where there are any: 3 keeps its origin in 0, and gains no vocabulary link.
  EXPECT_EQ(r.origin_doc[3], 0);
  EXPECT_EQ(r.origin_evidence[3], OriginEvidence::Passages);
  EXPECT_EQ(std::count_if(r.links.begin(), r.links.end(), [](const Link &x) { return x.vocabulary; }), 1);
  // Not surely earlier: no evidence.
  EXPECT_EQ(r.derivation[4], Derivation::None);
  EXPECT_EQ(r.derivation[5], Derivation::None);
  EXPECT_EQ(r.vocabulary_share[4], 0.0);
  EXPECT_TRUE(std::is_sorted(r.links.begin(), r.links.end(), [](const Link &x, const Link &y) {
    return x.target != y.target ? x.target < y.target : x.source < y.source;
  }));
}

TEST(Attribute, VocabularyOfACreditedAgencysCopyCountsUndated) {
  Docs docs;
  docs.add(100, kNoTime, {}, 7); // 0: the agency's own copy
  docs.add(100, kNoTime, {7});   // 1: credits it
  const Attribution r = docs.run({vocabulary_record(0, 1, 100, 100, 0.7f)});
  EXPECT_EQ(r.derivation[1], Derivation::Partially);
  EXPECT_EQ(r.origin_doc[1], 0);
  EXPECT_EQ(r.origin_agency[1], 7);
  EXPECT_EQ(link(r, 1, 0).evidence, Evidence::Credit);
}

} // namespace
} // namespace storytrace

namespace storytrace {
namespace {

TEST(Attribute, ADayOverlappingAKnownTimeDoesNotDecideButCreditDoes) {
  // The wire at 05:00 on a day; a reprint known only by that day: [day - 14 h, day + 36 h].
  const std::int64_t h = 3600;
  Docs docs;
  docs.add(100, 29 * h);               // wire, exact
  docs.add(100, 24 * h - 14 * h, {7}); // reprint, day only, credits agency 7
  docs.agency[0] = 7;
  docs.latest = {29 * h, 24 * h + 36 * h};
  const Attribution r = docs.run({pass(0, 1, 0, 100, 0, 100)});
  EXPECT_EQ(link(r, 1, 0).evidence, Evidence::Credit);
  EXPECT_EQ(r.derivation[1], Derivation::Wholly);
  EXPECT_EQ(r.derivation[0], Derivation::None);
}

TEST(Attribute, ADayFollowsAKnownTimeWhenNothingElseDecides) {
  const std::int64_t h = 3600;
  Docs docs;
  docs.add(100, 29 * h);          // exact
  docs.add(100, 24 * h - 14 * h); // day only, same day, no credit, same text
  docs.latest = {29 * h, 24 * h + 36 * h};
  const Attribution r = docs.run({pass(0, 1, 0, 100, 0, 100)});
  EXPECT_EQ(link(r, 1, 0).evidence, Evidence::Published);
  EXPECT_EQ(r.origin_doc[1], 0);
}

TEST(Attribute, TwoDaysAreOrderedByTheirDates) {
  const std::int64_t h = 3600;
  Docs docs;
  docs.add(100, 48 * h - 14 * h); // day 2
  docs.add(100, 24 * h - 14 * h); // day 1
  docs.latest = {48 * h + 36 * h, 24 * h + 36 * h};
  const Attribution r = docs.run({pass(0, 1, 0, 100, 0, 100)});
  EXPECT_EQ(link(r, 0, 1).evidence, Evidence::Published);
  EXPECT_EQ(r.derivation[0], Derivation::Wholly);
  EXPECT_EQ(r.derivation[1], Derivation::None);
}

TEST(Attribute, ARewrittenStretchCountsAsOneCopied) {
  // Half of doc 1 rewritten from doc 0: partially derived; all of it, in either kind: wholly.
  Docs docs;
  docs.add(100, 1);
  docs.add(100, 2);
  Passage reworded = pass(0, 1, 0, 50, 0, 50);
  reworded.span.kind = PassageKind::Rewrite;
  reworded.span.similarity = 0.4f;
  Attribution r = docs.run({reworded});
  EXPECT_EQ(r.reused_tokens[1], 50u);
  EXPECT_NEAR(r.reuse_share[1], 0.5, 1e-6);
  EXPECT_EQ(r.derivation[1], Derivation::Partially);
  Passage verbatim = pass(0, 1, 50, 100, 50, 100);
  r = docs.run({reworded, verbatim});
  EXPECT_NEAR(r.reuse_share[1], 1.0, 1e-6);
  EXPECT_EQ(r.derivation[1], Derivation::Wholly);
}

// An agency story (doc 0), an edited reprint of it (1) and a copy of that reprint (2), which keeps
// the reprint's edits: the copy's direct source is the reprint, its origin still the agency.
TEST(Attribute, TheDirectSourceIsTheCopyWhoseEditsTheTargetKeeps) {
  const std::int32_t ap = 3;
  Docs docs;
  const std::uint32_t wire = docs.add(100, 1, {ap}, ap), reprint = docs.add(100, 2), copy = docs.add(100, 3);
  const Attribution r =
      docs.run({edited(wire, reprint, 100, 8), edited(reprint, copy, 100, 0), edited(wire, copy, 100, 8)});
  EXPECT_TRUE(r.passage_direct[passage(r, wire, reprint)]);
  EXPECT_TRUE(r.passage_direct[passage(r, reprint, copy)]);
  EXPECT_FALSE(r.passage_direct[passage(r, wire, copy)]);
  EXPECT_TRUE(link(r, copy, reprint).direct);
  EXPECT_FALSE(link(r, copy, wire).direct);
  EXPECT_EQ(r.origin_doc[copy], static_cast<std::int32_t>(wire));
  // The copy adds edits of its own: still closer to the reprint, while it keeps most of them.
  const Attribution own =
      docs.run({edited(wire, reprint, 100, 8), edited(reprint, copy, 100, 2), edited(wire, copy, 100, 10)});
  EXPECT_TRUE(own.passage_direct[passage(own, reprint, copy)]);
  EXPECT_FALSE(own.passage_direct[passage(own, wire, copy)]);
  // 2 of the wire's 10 differences is 0.2 of them: not closer with `closer` below that.
  AttributeOptions strict;
  strict.closer = 0.15;
  const Attribution far =
      docs.run({edited(wire, reprint, 100, 8), edited(reprint, copy, 100, 2), edited(wire, copy, 100, 10)}, strict);
  EXPECT_FALSE(far.passage_direct[passage(far, reprint, copy)]);
  EXPECT_TRUE(far.passage_direct[passage(far, wire, copy)]);
}

TEST(Attribute, WithoutACloserCopyTheDirectSourceIsTheOrigin) {
  Docs docs;
  const std::uint32_t wire = docs.add(100, 1), r1 = docs.add(100, 2), r2 = docs.add(100, 3);
  // Identical copies: nothing says r2 took r1's copy rather than the wire's.
  Attribution r = docs.run({edited(wire, r1, 100, 0), edited(r1, r2, 100, 0), edited(wire, r2, 100, 0)});
  EXPECT_TRUE(r.passage_direct[passage(r, wire, r1)]);
  EXPECT_TRUE(r.passage_direct[passage(r, wire, r2)]);
  EXPECT_FALSE(r.passage_direct[passage(r, r1, r2)]);
  // Two independent edits of the wire that happen to share some (r1-r2 differ by 6, r2 from the
  // wire by 8): not close enough to say r2 copied r1.
  r = docs.run({edited(wire, r1, 100, 6), edited(r1, r2, 100, 6), edited(wire, r2, 100, 8)});
  EXPECT_TRUE(r.passage_direct[passage(r, wire, r2)]);
  EXPECT_FALSE(r.passage_direct[passage(r, r1, r2)]);
  EXPECT_FALSE(link(r, r2, r1).direct);
  // Each stretch gets its own direct source: r1 holds the first half of r2 without r2's
  // differences from the wire, which holds all of it (a passage is direct when it is the direct
  // source of at least half of it).
  r = docs.run({edited(wire, r1, 50, 4), edited(r1, r2, 50, 0), edited(wire, r2, 100, 4)});
  EXPECT_TRUE(r.passage_direct[passage(r, r1, r2)]);
  EXPECT_TRUE(r.passage_direct[passage(r, wire, r2)]);
  // Where r1 is no closer than the wire, the wire is the direct source of the whole.
  r = docs.run({pass(wire, r1, 0, 50, 0, 50), pass(wire, r2, 0, 100, 0, 100), pass(r1, r2, 0, 50, 0, 50)});
  EXPECT_TRUE(r.passage_direct[passage(r, wire, r2)]);
  EXPECT_FALSE(r.passage_direct[passage(r, r1, r2)]);
}

TEST(Attribute, ACopyKeepingAReprintsOwnParagraphsCopiedThatReprint) {
  Docs docs;
  // r1: its own 20-token intro, the wire's 100 tokens word for word, its own 20-token close; r2
  // copied r1 whole. Only r1's own paragraphs tell r2 took r1's page, which holds all the wire
  // text r2 has: r1 is the direct source of all of it.
  const std::uint32_t wire = docs.add(100, 1), r1 = docs.add(140, 2), r2 = docs.add(140, 3);
  Attribution r =
      docs.run({pass(wire, r1, 0, 100, 20, 120), pass(r1, r2, 0, 140, 0, 140), pass(wire, r2, 0, 100, 20, 120)});
  EXPECT_TRUE(r.passage_direct[passage(r, r1, r2)]);
  EXPECT_FALSE(r.passage_direct[passage(r, wire, r2)]);
  EXPECT_TRUE(link(r, r2, r1).direct);
  EXPECT_FALSE(link(r, r2, wire).direct);
  EXPECT_EQ(r.origin_doc[r2], static_cast<std::int32_t>(wire)); // the story is still the wire's
  // The same with own_text above r1's 40 tokens, or with fewer holders allowed than the two here:
  // the origin's holder stays direct.
  for (auto change :
       {+[](AttributeOptions &o) { o.own_text = 41; }, +[](AttributeOptions &o) { o.own_text_holders = 1; }}) {
    AttributeOptions o;
    change(o);
    r = docs.run({pass(wire, r1, 0, 100, 20, 120), pass(r1, r2, 0, 140, 0, 140), pass(wire, r2, 0, 100, 20, 120)}, o);
    EXPECT_TRUE(r.passage_direct[passage(r, wire, r2)]);
    EXPECT_FALSE(r.passage_direct[passage(r, r1, r2)]);
  }
  // Fewer than own_text tokens of its own (14 of 15): no evidence; the origin's holder stays direct.
  r = docs.run({pass(wire, r1, 0, 100, 14, 114), pass(r1, r2, 0, 114, 0, 114), pass(wire, r2, 0, 100, 14, 114)});
  EXPECT_TRUE(r.passage_direct[passage(r, wire, r2)]);
  EXPECT_FALSE(r.passage_direct[passage(r, r1, r2)]);
  // r1's own text in a passage apart from the wire text (a closing line two papers word alike):
  // the wire text is still the wire's.
  r = docs.run({pass(wire, r1, 0, 100, 20, 120), pass(r1, r2, 20, 120, 20, 120), pass(r1, r2, 125, 140, 125, 140),
                pass(wire, r2, 0, 100, 20, 120)});
  EXPECT_TRUE(r.passage_direct[passage(r, wire, r2)]);
  for (std::size_t k = 0; k < r.passages.size(); ++k)
    if (r.passages[k].a == r1 && r.passages[k].span.b_begin == 20) EXPECT_FALSE(r.passage_direct[k]);
  // r2 holds r1's intro but not r1's edits of the wire text (10 of r1's 120 tokens unmatched,
  // more than own_text_slack): r2 took the wire text from the wire.
  Passage edits = pass(r1, r2, 0, 120, 0, 120);
  edits.span.matched = 110;
  r = docs.run({pass(wire, r1, 0, 100, 20, 120), edits, pass(wire, r2, 0, 100, 20, 120)});
  EXPECT_TRUE(r.passage_direct[passage(r, wire, r2)]);
  EXPECT_FALSE(r.passage_direct[passage(r, r1, r2)]);
  // ... unless the slack allows it (10 of 120 is 0.083).
  AttributeOptions slack;
  slack.own_text_slack = 0.1;
  r = docs.run({pass(wire, r1, 0, 100, 20, 120), edits, pass(wire, r2, 0, 100, 20, 120)}, slack);
  EXPECT_TRUE(r.passage_direct[passage(r, r1, r2)]);
}

TEST(Attribute, ReprintsSharingParagraphsBesideTheAgencysCopyAreNotSiblings) {
  const std::int32_t ap = 3;
  Docs docs;
  const std::uint32_t wire = docs.add(100, 1, {ap}, ap), r1 = docs.add(140, 2, {ap}), r2 = docs.add(140, 3, {ap});
  // Both credit AP, but r2 holds r1's own intro and close around AP's text: r2 copied r1.
  Attribution r =
      docs.run({pass(wire, r1, 0, 100, 20, 120), pass(r1, r2, 0, 140, 0, 140), pass(wire, r2, 0, 100, 20, 120)});
  EXPECT_EQ(link(r, r2, r1).evidence, Evidence::Published);
  EXPECT_TRUE(r.passage_direct[passage(r, r1, r2)]);
  // What they share besides AP's text is a line in a passage apart: siblings under AP.
  r = docs.run({pass(wire, r1, 0, 100, 20, 120), pass(r1, r2, 20, 120, 20, 120), pass(r1, r2, 122, 140, 122, 140),
                pass(wire, r2, 0, 100, 20, 120)});
  EXPECT_EQ(link(r, r2, r1).evidence, Evidence::Sibling);
  // 14 tokens of r1's own beside AP's text: fewer than a passage's worth. Siblings.
  r = docs.run({pass(wire, r1, 0, 100, 14, 114), pass(r1, r2, 0, 114, 0, 114), pass(wire, r2, 0, 100, 14, 114)});
  EXPECT_EQ(link(r, r2, r1).evidence, Evidence::Sibling);
  // ... enough with own_text at 14.
  AttributeOptions fewer;
  fewer.own_text = 14;
  r = docs.run({pass(wire, r1, 0, 100, 14, 114), pass(r1, r2, 0, 114, 0, 114), pass(wire, r2, 0, 100, 14, 114)}, fewer);
  EXPECT_EQ(link(r, r2, r1).evidence, Evidence::Published);
}

TEST(Attribute, ReprintsSharingEditsOfTheAgencysCopyAreNotSiblings) {
  const std::int32_t ap = 3;
  Docs docs;
  const std::uint32_t wire = docs.add(100, 1, {ap}, ap), r1 = docs.add(100, 2, {ap}), r2 = docs.add(100, 3, {ap});
  // r2 carries r1's edits of the wire: r2 copied r1, credit and all.
  Attribution r = docs.run({edited(wire, r1, 100, 8), edited(r1, r2, 100, 0), edited(wire, r2, 100, 8)});
  EXPECT_EQ(link(r, r2, r1).evidence, Evidence::Published);
  EXPECT_TRUE(r.passage_direct[passage(r, r1, r2)]);
  EXPECT_EQ(r.origin_doc[r2], static_cast<std::int32_t>(wire));
  // With `closer` at 0 only copies without a difference between them share edits.
  AttributeOptions exact;
  exact.closer = 0;
  r = docs.run({edited(wire, r1, 100, 8), edited(r1, r2, 100, 1), edited(wire, r2, 100, 8)}, exact);
  EXPECT_EQ(link(r, r2, r1).evidence, Evidence::Sibling);
  r = docs.run({edited(wire, r1, 100, 8), edited(r1, r2, 100, 1), edited(wire, r2, 100, 8)});
  EXPECT_EQ(link(r, r2, r1).evidence, Evidence::Published);
  // Independent edits: r1 and r2 differ from each other more than from the wire. Siblings.
  r = docs.run({edited(wire, r1, 100, 4), edited(r1, r2, 100, 9), edited(wire, r2, 100, 5)});
  EXPECT_EQ(link(r, r2, r1).evidence, Evidence::Sibling);
  // Unedited copies: nothing to share. Siblings.
  r = docs.run({edited(wire, r1, 100, 0), edited(r1, r2, 100, 0), edited(wire, r2, 100, 0)});
  EXPECT_EQ(link(r, r2, r1).evidence, Evidence::Sibling);
  // Without the agency's own copy in the corpus, there is nothing to compare with. Siblings.
  Docs two;
  const std::uint32_t a = two.add(100, 2, {ap}), b = two.add(100, 3, {ap});
  r = two.run({edited(a, b, 100, 0)});
  EXPECT_EQ(link(r, b, a).evidence, Evidence::Sibling);
}

TEST(Attribute, SameResultForAnyThreadCount) {
  // Stories of an agency's copy and its reprints (dated or not, crediting it or not, some copying
  // each other), with thousands of passages: every field the same with 1, 2 and 4 threads, run
  // after run (the steps per pair and per document write their own results only).
  testing::Rng rng(77);
  Docs docs;
  std::vector<Passage> passages;
  for (std::uint32_t story = 0; story < 300; ++story) {
    const std::int32_t agency = static_cast<std::int32_t>(rng.below(3));
    const std::int64_t t0 = 1000 * story;
    std::vector<std::uint32_t> members{docs.add(200, t0, {}, agency)};
    for (std::size_t k = 0; k < 2 + rng.below(20); ++k) {
      const std::int64_t time = rng.below(4) == 0 ? kNoTime : t0 + 1 + static_cast<std::int64_t>(rng.below(100));
      std::vector<std::int32_t> credited;
      if (rng.below(2) == 0) credited.push_back(agency);
      members.push_back(docs.add(150 + static_cast<std::uint32_t>(rng.below(100)), time, credited, kNone,
                                 static_cast<std::uint32_t>(rng.below(20))));
    }
    for (std::size_t k = 1; k < members.size(); ++k) {
      const std::uint32_t from = rng.below(3) == 0 ? members[rng.below(k)] : members[0];
      for (std::uint32_t part = 0; part < 1 + rng.below(3); ++part) {
        const std::uint32_t len = 15 + static_cast<std::uint32_t>(rng.below(30)), at = part * 50;
        Span sp{at, at + len, at + 2, at + 2 + len, len - static_cast<std::uint32_t>(rng.below(3))};
        if (rng.below(10) == 0) sp.kind = PassageKind::Rewrite, sp.similarity = 0.8f;
        passages.push_back(Passage{from, members[k], sp});
      }
    }
  }
  ASSERT_GT(passages.size(), 3000u);
  const Attribution one = docs.run(passages, {}, 1);
  for (const std::size_t threads : {2, 4}) {
    for (int round = 0; round < 3; ++round) {
      SCOPED_TRACE(threads);
      testing::expect_same_attribution(docs.run(passages, {}, threads), one);
    }
  }
}

// ---- the steps on their own ----------------------------------------------------------------------

TEST(AttributeSteps, PairTableOrientsGroupsAndFindsPairs) {
  const std::int32_t ap = 3;
  Docs docs;
  const std::uint32_t wire = docs.add(100, 1, {ap}, ap), p1 = docs.add(100, 2, {}, kNone, 10), p2 = docs.add(100, 3);
  const auto x = docs.input();
  // Given from either side and out of order; one pair has two passages.
  const steps::PairTable t = steps::pair_table(x->in, {pass(p2, p1, 50, 60, 40, 50), pass(p1, wire, 0, 30, 0, 30),
                                                       pass(p1, p2, 0, 20, 0, 20), edited(wire, p2, 100, 10)});
  ASSERT_EQ(t.passages.size(), 4u);
  for (const Passage &p : t.passages) EXPECT_LT(p.a, p.b);
  // Sorted by (b, a, b_begin): (wire, p1), then (wire, p2), then p1-p2's two passages by b_begin.
  EXPECT_EQ(t.passages[0].b, p1);
  EXPECT_EQ(t.passages[1].b, p2);
  EXPECT_EQ(t.passages[1].a, wire);
  EXPECT_EQ(t.passages[2].span.b_begin, 0u);
  EXPECT_EQ(t.passages[3].span.b_begin, 50u); // flipped: p1's side 40-50 is now a, p2's 50-60 is b
  ASSERT_EQ(t.pairs.size(), 3u);
  const steps::Pair &both = t.pairs[t.find(p2, p1)];
  EXPECT_EQ(both.end - both.begin, 2u);
  EXPECT_EQ(both.shared_a, 30u);
  EXPECT_EQ(both.shared_b, 30u);
  EXPECT_DOUBLE_EQ(t.pairs[t.find(wire, p2)].exact, 0.9);
  EXPECT_DOUBLE_EQ(t.differences(p2, wire), 1 - 0.9);
  EXPECT_EQ(t.find(p1, p1), steps::PairTable::kNoPair);
  EXPECT_LT(t.differences(p1, 7), 0);
  // The pairs with an agency's own document, per document.
  EXPECT_EQ(t.wire_begin[p1 + 1] - t.wire_begin[p1], 1u);
  EXPECT_EQ(t.wire_begin[wire + 1] - t.wire_begin[wire], 0u);
}

TEST(AttributeSteps, SiblingRulesOnTheirOwn) {
  const std::int32_t ap = 3;
  Docs docs;
  const std::uint32_t wire = docs.add(140, 1, {ap}, ap), r1 = docs.add(140, 2, {ap}), r2 = docs.add(140, 3, {ap});
  const auto x = docs.input();
  const steps::Runner run{x->in};
  const AttributeOptions o;
  // r2 keeps r1's edits of the wire: they share edits.
  steps::PairTable t =
      steps::pair_table(x->in, {edited(wire, r1, 100, 8), edited(r1, r2, 100, 0), edited(wire, r2, 100, 8)});
  EXPECT_TRUE(steps::share_edits(t, x->in, r1, r2, ap, o));
  EXPECT_FALSE(steps::share_edits(t, x->in, r1, r2, ap + 1, o)); // not that agency's copy
  EXPECT_EQ(steps::own_text_pairs(t, x->in, o, run), (std::vector<std::uint8_t>(3, 0)));
  // r2 holds r1's own 40 tokens around the wire's text.
  t = steps::pair_table(
      x->in, {pass(wire, r1, 0, 100, 20, 120), pass(r1, r2, 0, 140, 0, 140), pass(wire, r2, 0, 100, 20, 120)});
  const std::vector<std::uint8_t> own = steps::own_text_pairs(t, x->in, o, run);
  for (std::size_t q = 0; q < t.pairs.size(); ++q)
    EXPECT_EQ(own[q], t.pairs[q].a == r1 && t.pairs[q].b == r2) << "pair " << q;
  EXPECT_FALSE(steps::share_edits(t, x->in, r1, r2, ap, o)); // no edits to share
}

TEST(AttributeSteps, DirectionsOrientPassagesAndAnswerDirected) {
  const std::int32_t ap = 3;
  Docs docs;
  const std::uint32_t wire = docs.add(100, 1, {ap}, ap), r1 = docs.add(100, 2, {ap}), r2 = docs.add(100, 3, {ap}),
                      undated = docs.add(60), other = docs.add(100);
  const auto x = docs.input();
  const steps::Runner run{x->in};
  steps::PairTable t =
      steps::pair_table(x->in, {edited(r2, wire, 100, 0), edited(r1, r2, 100, 0), pass(undated, other, 0, 60, 0, 60)});
  const std::vector<std::uint8_t> own = steps::own_text_pairs(t, x->in, AttributeOptions{}, run);
  const steps::Directions d = steps::directions(t, x->in, own, AttributeOptions{}, run);
  ASSERT_EQ(d.links.size(), t.pairs.size());
  for (std::size_t q = 0; q < t.pairs.size(); ++q) {
    const Link &l = d.links[q];
    for (std::size_t k = t.pairs[q].begin; k < t.pairs[q].end; ++k) {
      EXPECT_EQ(d.link_of[k], q);
      if (l.evidence != Evidence::Sibling && l.evidence != Evidence::Undirected) EXPECT_EQ(t.passages[k].a, l.source);
    }
  }
  EXPECT_TRUE(d.directed(t, wire, r2));
  EXPECT_FALSE(d.directed(t, r2, wire));
  EXPECT_FALSE(d.directed(t, r1, r2)); // siblings under AP
  EXPECT_FALSE(d.directed(t, r2, r1));
  // Undated, 60 of 60 tokens against 60 of 100: the shorter one is contained, so derived.
  EXPECT_TRUE(d.directed(t, other, undated));
  // Incoming spans: the target of a directed link, both sides of siblings (the agency behind them).
  const steps::IncomingSpans inc = steps::incoming_spans(t, d, docs.tokens.size());
  auto spans_of = [&](std::uint32_t doc) {
    return std::vector<steps::Incoming>(inc.spans.begin() + static_cast<std::ptrdiff_t>(inc.begin[doc]),
                                        inc.spans.begin() + static_cast<std::ptrdiff_t>(inc.begin[doc + 1]));
  };
  EXPECT_TRUE(spans_of(wire).empty());
  ASSERT_EQ(spans_of(r1).size(), 1u);
  EXPECT_EQ(spans_of(r1)[0].origin, (steps::Origin{kNone, ap}));
  ASSERT_EQ(spans_of(r2).size(), 2u); // from the wire, and as r1's sibling
  ASSERT_EQ(spans_of(undated).size(), 1u);
  EXPECT_EQ(spans_of(undated)[0].origin, (steps::Origin{static_cast<std::int32_t>(other), kNone}));
  EXPECT_EQ(inc.any_begin[r2 + 1] - inc.any_begin[r2], 2u);
}

TEST(AttributeSteps, ChooseTakesTheCreditedCopyThenTheAgencyThenTheFirstNotPassedOn) {
  const std::int32_t ap = 3;
  Docs docs;
  const std::uint32_t a = docs.add(100, 1), b = docs.add(100, 2), wire = docs.add(100, 5, {}, ap),
                      t = docs.add(100, 9, {ap});
  const auto x = docs.input();
  const steps::Runner run{x->in};
  steps::PairTable table = steps::pair_table(
      x->in, {edited(a, b, 100, 0), edited(a, t, 100, 0), edited(b, t, 100, 0), edited(wire, t, 100, 0)});
  const steps::Directions d =
      steps::directions(table, x->in, std::vector<std::uint8_t>(table.pairs.size(), 0), AttributeOptions{}, run);
  const steps::Rules rules{x->in};
  using O = steps::Origin;
  const O oa{static_cast<std::int32_t>(a), kNone}, ob{static_cast<std::int32_t>(b), kNone},
      ow{static_cast<std::int32_t>(wire), kNone}, agency{kNone, ap};
  EXPECT_EQ(steps::choose(rules, table, d, t, {oa, ob, ow}), ow);         // t credits AP: AP's own copy
  EXPECT_EQ(steps::choose(rules, table, d, t, {oa, agency, ob}), agency); // then the agency
  EXPECT_EQ(steps::choose(rules, table, d, t, {ob, oa}), oa);             // then the first, which passed it to b
  EXPECT_EQ(steps::choose(rules, table, d, b, {ob}), ob);
}

TEST(AttributeSteps, SweepChainsAndStoriesComposeToAttribute) {
  const std::int32_t ap = 3;
  Docs docs;
  const std::uint32_t wire = docs.add(100, 1, {ap}, ap), reprint = docs.add(100, 2), copy = docs.add(120, 3),
                      alone = docs.add(50, 4);
  (void)alone;
  const std::vector<Passage> given{edited(wire, reprint, 100, 8), edited(reprint, copy, 100, 0),
                                   edited(wire, copy, 100, 8)};
  const auto x = docs.input();
  const steps::Runner run{x->in};
  const AttributeOptions o;
  steps::PairTable t = steps::pair_table(x->in, given);
  steps::Directions d = steps::directions(t, x->in, steps::own_text_pairs(t, x->in, o, run), o, run);
  steps::IncomingSpans inc = steps::incoming_spans(t, d, docs.tokens.size());
  const steps::Sweep sw = steps::sweep(t, d, inc, x->in, o, run);
  EXPECT_EQ(sw.reused_tokens, (std::vector<std::uint32_t>{0, 100, 100, 0}));
  EXPECT_EQ(sw.shared_tokens, (std::vector<std::uint32_t>{100, 100, 100, 0}));
  // The copy keeps the reprint's edits: the reprint is the direct source of its 100 tokens.
  for (std::size_t k = 0; k < t.passages.size(); ++k)
    if (t.passages[k].b == copy) EXPECT_EQ(sw.direct_tokens[k], t.passages[k].a == reprint ? 100u : 0u);
  Attribution out;
  const std::vector<std::int32_t> reprint_of = steps::chains(sw, x->in, o, out);
  EXPECT_EQ(out.origin_doc, (std::vector<std::int32_t>{kNone, 0, 0, kNone}));
  EXPECT_DOUBLE_EQ(out.reuse_share[copy], 100.0 / 120.0);
  EXPECT_EQ(out.derivation[copy], Derivation::Wholly); // 0.83 of it, from 0.7 up
  steps::passages_and_links(t, d, sw, reprint_of, x->in, out);
  steps::stories(sw, reprint_of, x->in, out);
  testing::expect_same_attribution(out, docs.run(given));
}

} // namespace
} // namespace storytrace

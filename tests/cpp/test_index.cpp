// Index: time order, postings and candidate pairs.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <numeric>
#include <set>
#include <tuple>
#include <vector>

#include "helpers.hpp"
#include "storytrace/index.hpp"

namespace storytrace {
namespace {

using testing::Rng;

// A Tokenized built from shingle lists directly (the index never looks at tokens).
Tokenized from_shingles(const std::vector<std::vector<std::uint64_t>> &docs, std::size_t ngram = 5) {
  Tokenized tok;
  tok.ngram = ngram;
  tok.tok_begin.push_back(0);
  tok.sh_begin.push_back(0);
  for (const auto &sh : docs) {
    const std::size_t ntok = sh.empty() ? 0 : sh.size() + ngram - 1;
    for (std::size_t i = 0; i < ntok; ++i) tok.tokens.push_back(Token{0, 0, 0});
    tok.tok_begin.push_back(tok.tokens.size());
    tok.shingles.insert(tok.shingles.end(), sh.begin(), sh.end());
    tok.sh_begin.push_back(tok.shingles.size());
  }
  return tok;
}

CorpusView times(const std::vector<std::int64_t> &published) {
  CorpusView v;
  v.offsets.assign(published.size() + 1, 0);
  v.published = published;
  v.outlet.assign(published.size(), kNone);
  return v;
}

// Hashes spread over the whole 64-bit range (every postings bucket and directory entry).
std::vector<std::uint64_t> hashes(std::uint64_t seed, std::size_t n) {
  Rng rng(seed);
  std::vector<std::uint64_t> out(n);
  for (auto &h : out) h = rng.next();
  return out;
}

std::vector<std::uint64_t> concat(std::initializer_list<std::vector<std::uint64_t>> parts) {
  std::vector<std::uint64_t> out;
  for (const auto &p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

using Triple = std::tuple<std::uint32_t, std::uint32_t, std::uint32_t>;
std::vector<Triple> triples(const std::vector<Candidate> &cs) {
  std::vector<Triple> out;
  for (const Candidate &c : cs) out.emplace_back(c.first, c.second, c.shared);
  return out;
}

std::vector<Candidate> candidates(const Tokenized &tok, const std::vector<std::uint8_t> &mask,
                                  const std::vector<std::uint32_t> &rank, std::size_t fanout, std::size_t min_shared,
                                  std::size_t threads = 1) {
  const Postings post = build_postings(tok, mask, rank, threads);
  std::vector<Candidate> out = find_candidates(tok, mask, post, rank, CandidateOptions{fanout, min_shared}, threads);
  // Postings that keep only the `fanout` earliest holders of each hash (as trace builds them)
  // give the same candidates.
  const Postings capped = build_postings(tok, mask, rank, threads, nullptr, fanout);
  const std::vector<Candidate> same =
      find_candidates(tok, mask, capped, rank, CandidateOptions{fanout, min_shared}, threads);
  EXPECT_EQ(triples(same), triples(out));
  return out;
}

TEST(TimeRank, DatedByTimeThenUndatedTiesByCorpusOrder) {
  const std::vector<std::int64_t> published{30, kNoTime, 10, 30, kNoTime, 20, -5};
  // Order: doc6 (-5), doc2 (10), doc5 (20), doc0 (30), doc3 (30), doc1, doc4.
  EXPECT_EQ(time_rank(times(published)), (std::vector<std::uint32_t>{3, 5, 1, 4, 6, 2, 0}));
  EXPECT_EQ(time_rank(times({kNoTime, kNoTime, kNoTime})), (std::vector<std::uint32_t>{0, 1, 2}));
  EXPECT_EQ(time_rank(times({5, 5, 5})), (std::vector<std::uint32_t>{0, 1, 2}));
  EXPECT_TRUE(time_rank(times({})).empty());
  // Extreme times still sort before undated documents.
  const std::int64_t big = std::numeric_limits<std::int64_t>::max();
  EXPECT_EQ(time_rank(times({kNoTime, big, kNoTime + 1})), (std::vector<std::uint32_t>{2, 1, 0}));
}

// The postings as one (hash, rank) entry each, after checking their shape: hashes ascending and
// distinct, every one with holders, ranks ascending within a hash.
struct Flat {
  std::vector<std::uint64_t> hash;
  std::vector<std::uint32_t> rank;
  std::size_t size() const { return hash.size(); }
};
Flat flat(const Postings &p) {
  Flat f;
  EXPECT_EQ(p.begin.size(), p.hash.size() + 1);
  EXPECT_EQ(p.begin.front(), 0u);
  EXPECT_EQ(p.begin.back(), p.rank.size());
  for (std::size_t k = 0; k < p.hash.size(); ++k) {
    if (k > 0) EXPECT_LT(p.hash[k - 1], p.hash[k]);
    EXPECT_LT(p.begin[k], p.begin[k + 1]);
    for (std::uint32_t i = p.begin[k]; i < p.begin[k + 1]; ++i) {
      if (i > p.begin[k]) EXPECT_LT(p.rank[i - 1], p.rank[i]);
      f.hash.push_back(p.hash[k]);
      f.rank.push_back(p.rank[i]);
    }
  }
  return f;
}

TEST(Postings, SortedByHashThenRankWithOneEntryPerDistinctHashAndDoc) {
  Rng rng(3);
  const std::vector<std::uint64_t> pool = hashes(99, 300);
  std::vector<std::vector<std::uint64_t>> docs(700); // more than one block of 256 documents
  std::vector<std::int64_t> published(docs.size());
  for (std::size_t d = 0; d < docs.size(); ++d) {
    const std::size_t len = rng.below(30);
    for (std::size_t i = 0; i < len; ++i) docs[d].push_back(pool[rng.below(pool.size())]); // repeats too
    for (std::uint64_t h : hashes(1000 + d, 2)) docs[d].push_back(h);                      // this doc's alone
    published[d] = d % 5 == 0 ? kNoTime : static_cast<std::int64_t>(rng.below(50));
  }
  // One document as long as a shingle order goes (its positions take all 16 bits).
  docs.back() = hashes(5000, kMaxOrdered - 100);
  for (std::size_t i = 0; i < 100; ++i) docs.back().push_back(pool[rng.below(pool.size())]);
  const Tokenized tok = from_shingles(docs);
  std::vector<std::uint8_t> mask(tok.shingles.size(), 0);
  for (std::size_t i = 0; i < mask.size(); ++i) mask[i] = rng.below(6) == 0;
  const std::vector<std::uint32_t> rank = time_rank(times(published));
  const Flat one = flat(build_postings(tok, mask, rank, 1));
  const Flat three = flat(build_postings(tok, mask, rank, 3));
  EXPECT_EQ(one.hash, three.hash);
  EXPECT_EQ(one.rank, three.rank);
  // Sorted in 2, 4, 8 or 16 passes (a pass of at most so many pairs), not one: the same postings.
  for (std::size_t pass_entries : {8000u, 4000u, 2000u, 1u}) {
    const Flat passes = flat(build_postings(tok, mask, rank, 2, nullptr, SIZE_MAX, pass_entries));
    EXPECT_EQ(one.hash, passes.hash) << pass_entries;
    EXPECT_EQ(one.rank, passes.rank) << pass_entries;
  }
  // With each document's shingle order (as tokenize_corpus gives it) the postings are the same.
  Tokenized ordered = tok;
  ordered.sh_order.resize(tok.shingles.size());
  for (std::size_t d = 0; d < docs.size(); ++d)
    shingle_order(tok.shingles.data() + tok.sh_begin[d], tok.shingle_count(d),
                  ordered.sh_order.data() + tok.sh_begin[d]);
  ASSERT_TRUE(ordered.ordered(docs.size() - 1));
  for (std::size_t pass_entries : {kPassEntries, std::size_t{4000}, std::size_t{1}}) {
    const Flat from_order = flat(build_postings(ordered, mask, rank, 2, nullptr, SIZE_MAX, pass_entries));
    EXPECT_EQ(one.hash, from_order.hash) << pass_entries;
    EXPECT_EQ(one.rank, from_order.rank) << pass_entries;
  }
  ASSERT_EQ(one.hash.size(), one.rank.size());
  std::vector<std::uint32_t> doc_of(rank.size());
  for (std::size_t d = 0; d < rank.size(); ++d) doc_of[rank[d]] = static_cast<std::uint32_t>(d);

  // Expected: the distinct (hash, doc) pairs of unmasked shingles, for hashes two or more
  // documents hold.
  std::set<std::pair<std::uint64_t, std::uint32_t>> expect;
  for (std::size_t d = 0; d < docs.size(); ++d)
    for (std::size_t i = tok.sh_begin[d]; i < tok.sh_begin[d + 1]; ++i)
      if (!mask[i]) expect.emplace(tok.shingles[i], static_cast<std::uint32_t>(d));
  const std::size_t distinct_pairs = expect.size();
  std::map<std::uint64_t, int> holders;
  for (const auto &e : expect) ++holders[e.first];
  std::erase_if(expect, [&](const auto &e) { return holders[e.first] < 2; });
  ASSERT_GT(expect.size(), 100u);
  ASSERT_LT(expect.size() + 1000, distinct_pairs) << "the test must have shingles of one document alone";
  std::set<std::pair<std::uint64_t, std::uint32_t>> got;
  for (std::size_t i = 0; i < one.size(); ++i) got.emplace(one.hash[i], doc_of[one.rank[i]]);
  EXPECT_EQ(got.size(), one.size()) << "duplicate (hash, doc) entries";
  EXPECT_EQ(got, expect);
  for (std::size_t i = 1; i < one.size(); ++i) {
    ASSERT_TRUE(one.hash[i - 1] < one.hash[i] || (one.hash[i - 1] == one.hash[i] && one.rank[i - 1] < one.rank[i]))
        << "entry " << i;
  }
  // An empty mask means nothing is masked.
  const Flat unmasked = flat(build_postings(tok, {}, rank, 2));
  std::set<std::pair<std::uint64_t, std::uint32_t>> all;
  for (std::size_t d = 0; d < docs.size(); ++d)
    for (std::uint64_t h : docs[d]) all.emplace(h, static_cast<std::uint32_t>(d));
  std::map<std::uint64_t, int> all_holders;
  for (const auto &e : all) ++all_holders[e.first];
  std::erase_if(all, [&](const auto &e) { return all_holders[e.first] < 2; });
  EXPECT_EQ(unmasked.size(), all.size());

  // max_holders keeps the earliest holders of each hash: the full postings cut per hash.
  for (std::size_t cap : {1u, 2u, 3u}) {
    const Flat capped = flat(build_postings(tok, mask, rank, 2, nullptr, cap));
    std::vector<std::uint64_t> hash;
    std::vector<std::uint32_t> ranks;
    std::size_t of_hash = 0; // entries of one.hash[i] before i
    for (std::size_t i = 0; i < one.size(); ++i) {
      of_hash = i > 0 && one.hash[i - 1] == one.hash[i] ? of_hash + 1 : 0;
      if (of_hash < cap) hash.push_back(one.hash[i]), ranks.push_back(one.rank[i]);
    }
    EXPECT_EQ(capped.hash, hash) << cap;
    EXPECT_EQ(capped.rank, ranks) << cap;
    EXPECT_LT(capped.size(), one.size());
  }
}

// The monitoring index keeps every shingle (min_holders 1), a segment per add, by document
// number, and merges segments: merged postings are those built over all documents at once.
TEST(Postings, EveryHolderKeptAndSegmentsMergedAsOne) {
  Rng rng(8);
  const std::vector<std::uint64_t> pool = hashes(77, 200);
  std::vector<std::vector<std::uint64_t>> docs(600);
  for (std::size_t d = 0; d < docs.size(); ++d) {
    for (std::size_t i = 0, len = rng.below(25); i < len; ++i) docs[d].push_back(pool[rng.below(pool.size())]);
    for (std::uint64_t h : hashes(3000 + d, 2)) docs[d].push_back(h);
  }
  std::vector<std::uint32_t> number(docs.size());
  for (std::size_t d = 0; d < docs.size(); ++d) number[d] = static_cast<std::uint32_t>(d);
  for (std::size_t cap : {std::size_t{2}, std::size_t{5}, SIZE_MAX}) {
    const Postings whole = build_postings(from_shingles(docs), {}, number, 2, nullptr, cap, kPassEntries, 1);
    // Every (hash, document) pair, a hash of one document too, the `cap` first of each hash.
    std::map<std::uint64_t, std::vector<std::uint32_t>> expect;
    for (std::size_t d = 0; d < docs.size(); ++d)
      for (std::uint64_t h : docs[d]) {
        auto &v = expect[h];
        if (std::find(v.begin(), v.end(), d) == v.end() && v.size() < cap) v.push_back(static_cast<std::uint32_t>(d));
      }
    ASSERT_EQ(whole.hash.size(), expect.size()) << cap;
    for (const auto &[h, holders] : expect) {
      const std::span<const std::uint32_t> got = whole.holders(h);
      EXPECT_EQ(std::vector<std::uint32_t>(got.begin(), got.end()), holders) << cap;
    }
    EXPECT_TRUE(whole.holders(12345).empty());
    // Three segments (one empty), merged in order, give the same postings.
    const std::size_t cuts[] = {0, 250, 250, docs.size()};
    Postings merged;
    merged.begin.push_back(0);
    for (std::size_t k = 0; k + 1 < std::size(cuts); ++k) {
      const std::vector<std::vector<std::uint64_t>> part(docs.begin() + static_cast<std::ptrdiff_t>(cuts[k]),
                                                         docs.begin() + static_cast<std::ptrdiff_t>(cuts[k + 1]));
      const std::vector<std::uint32_t> part_number(number.begin() + static_cast<std::ptrdiff_t>(cuts[k]),
                                                   number.begin() + static_cast<std::ptrdiff_t>(cuts[k + 1]));
      merged = merge_postings(
          merged, build_postings(from_shingles(part), {}, part_number, 1, nullptr, cap, kPassEntries, 1), cap);
    }
    const Flat a = flat(whole), b = flat(merged);
    EXPECT_EQ(a.hash, b.hash) << cap;
    EXPECT_EQ(a.rank, b.rank) << cap;
  }
  EXPECT_THROW(build_postings(from_shingles(docs), {}, number, 1, nullptr, SIZE_MAX, 1, 0), std::invalid_argument);
}

TEST(Candidates, PairsSharingEnoughShinglesAndNotFewer) {
  const auto s01 = hashes(1, 5), s02 = hashes(2, 2), s13 = hashes(3, 3);
  std::vector<std::vector<std::uint64_t>> docs{
      concat({hashes(10, 20), s01, s02}),
      concat({s01, hashes(11, 7), s13}),
      concat({hashes(12, 9), s02}),
      concat({s13, hashes(13, 4)}),
      hashes(14, 30),
  };
  // Doc 1 is the earliest, then 0, 3, 2; doc 4 is undated.
  const std::vector<std::uint32_t> rank = time_rank(times({20, 10, 40, 30, kNoTime}));
  const std::vector<Candidate> cs = candidates(from_shingles(docs), {}, rank, 16, 3);
  // (first = earlier, second, shared): 1-0 shares 5, 1-3 shares 3; 0-2 shares only 2.
  EXPECT_EQ(triples(cs), (std::vector<Triple>{{1, 0, 5}, {1, 3, 3}}));
  EXPECT_EQ(triples(candidates(from_shingles(docs), {}, rank, 16, 2)),
            (std::vector<Triple>{{1, 0, 5}, {0, 2, 2}, {1, 3, 3}}));
  EXPECT_EQ(triples(candidates(from_shingles(docs), {}, rank, 16, 6)), std::vector<Triple>{});
}

TEST(Candidates, RepeatedShinglesCountOncePerPair) {
  const auto shared = hashes(5, 2);
  std::vector<std::vector<std::uint64_t>> docs{
      concat({shared, shared, shared, shared}),
      concat({shared, shared, hashes(6, 3)}),
  };
  const std::vector<std::uint32_t> rank = time_rank(times({1, 2}));
  EXPECT_TRUE(candidates(from_shingles(docs), {}, rank, 16, 3).empty());
  EXPECT_EQ(triples(candidates(from_shingles(docs), {}, rank, 16, 2)), (std::vector<Triple>{{0, 1, 2}}));
}

TEST(Candidates, FanoutCapsPairingToEarliestHolders) {
  // One shared text (10 shingles) in 40 documents, published in an order unlike corpus order.
  const auto shared = hashes(7, 10);
  std::vector<std::vector<std::uint64_t>> docs;
  std::vector<std::int64_t> published;
  for (std::size_t d = 0; d < 40; ++d) {
    docs.push_back(concat({hashes(100 + d, 8), shared, hashes(200 + d, 8)}));
    published.push_back(static_cast<std::int64_t>((d * 17) % 40)); // a permutation of 0..39
  }
  const std::vector<std::uint32_t> rank = time_rank(times(published));
  std::vector<std::uint32_t> by_rank(40);
  for (std::uint32_t d = 0; d < 40; ++d) by_rank[rank[d]] = d;
  for (std::size_t threads : {1, 2}) {
    const std::vector<Candidate> cs = candidates(from_shingles(docs), {}, rank, 4, 3, threads);
    std::map<std::uint32_t, std::set<std::uint32_t>> partners;
    for (const Candidate &c : cs) {
      EXPECT_LT(rank[c.first], rank[c.second]);
      EXPECT_EQ(c.shared, 10u);
      partners[c.second].insert(c.first);
    }
    EXPECT_EQ(cs.size(), 0u + 1 + 2 + 3 + 4 * 36);
    for (std::uint32_t d = 0; d < 40; ++d) {
      std::set<std::uint32_t> expect;
      for (std::uint32_t r = 0; r < std::min<std::uint32_t>(rank[d], 4); ++r) expect.insert(by_rank[r]);
      EXPECT_EQ(partners[d], expect) << "doc " << d << " rank " << rank[d];
    }
    // Sorted by (second, first).
    for (std::size_t i = 1; i < cs.size(); ++i)
      ASSERT_TRUE(std::tie(cs[i - 1].second, cs[i - 1].first) < std::tie(cs[i].second, cs[i].first));
  }
}

TEST(Candidates, MaskedShinglesAreIgnored) {
  const auto shared = hashes(8, 5);
  std::vector<std::vector<std::uint64_t>> docs{concat({shared, hashes(9, 5)}), concat({hashes(10, 5), shared})};
  const Tokenized tok = from_shingles(docs);
  const std::vector<std::uint32_t> rank = time_rank(times({1, 2}));
  EXPECT_EQ(triples(candidates(tok, {}, rank, 16, 3)), (std::vector<Triple>{{0, 1, 5}}));
  // Masked in both: no pair.
  std::vector<std::uint8_t> both(tok.shingles.size(), 0);
  for (std::size_t i = 0; i < 5; ++i) both[i] = 1, both[10 + 5 + i] = 1;
  EXPECT_TRUE(candidates(tok, both, rank, 16, 1).empty());
  // Three of the five masked in the later document only: two remain.
  std::vector<std::uint8_t> later(tok.shingles.size(), 0);
  for (std::size_t i = 0; i < 3; ++i) later[10 + 5 + i] = 1;
  EXPECT_TRUE(candidates(tok, later, rank, 16, 3).empty());
  EXPECT_EQ(triples(candidates(tok, later, rank, 16, 2)), (std::vector<Triple>{{0, 1, 2}}));
  // The same in the earlier document only.
  std::vector<std::uint8_t> earlier(tok.shingles.size(), 0);
  for (std::size_t i = 0; i < 3; ++i) earlier[i] = 1;
  EXPECT_TRUE(candidates(tok, earlier, rank, 16, 3).empty());
  EXPECT_EQ(triples(candidates(tok, earlier, rank, 16, 2)), (std::vector<Triple>{{0, 1, 2}}));
}

// A brute-force reading of the contract: for every document t and every distinct unmasked
// shingle of t, the `fanout` earliest holders that come before t in time order.
std::vector<Triple> brute_force(const Tokenized &tok, const std::vector<std::uint8_t> &mask,
                                const std::vector<std::uint32_t> &rank, std::size_t fanout, std::size_t min_shared) {
  const std::size_t n = tok.size();
  std::vector<std::set<std::uint64_t>> sets(n);
  for (std::size_t d = 0; d < n; ++d)
    for (std::size_t i = tok.sh_begin[d]; i < tok.sh_begin[d + 1]; ++i)
      if (!mask[i]) sets[d].insert(tok.shingles[i]);
  std::vector<std::uint32_t> by_rank(n);
  for (std::uint32_t d = 0; d < n; ++d) by_rank[rank[d]] = d;
  std::vector<Triple> out;
  for (std::uint32_t t = 0; t < n; ++t) {
    std::map<std::uint32_t, std::uint32_t> count;
    for (std::uint64_t h : sets[t]) {
      std::size_t taken = 0;
      for (std::uint32_t r = 0; r < rank[t] && taken < fanout; ++r) {
        if (sets[by_rank[r]].count(h)) ++count[by_rank[r]], ++taken;
      }
    }
    for (const auto &[s, c] : count)
      if (c >= min_shared) out.emplace_back(s, t, c);
  }
  return out;
}

TEST(Candidates, AgreeWithBruteForceForAnyThreadCount) {
  Rng rng(21);
  const std::vector<std::uint64_t> pool = hashes(77, 120);
  std::vector<std::vector<std::uint64_t>> docs(600);
  std::vector<std::int64_t> published(docs.size());
  for (std::size_t d = 0; d < docs.size(); ++d) {
    const std::size_t len = rng.below(25);
    for (std::size_t i = 0; i < len; ++i) docs[d].push_back(pool[rng.below(pool.size())]);
    published[d] = d % 7 == 0 ? kNoTime : static_cast<std::int64_t>(rng.below(100));
  }
  const Tokenized tok = from_shingles(docs);
  std::vector<std::uint8_t> mask(tok.shingles.size(), 0);
  for (std::size_t i = 0; i < mask.size(); ++i) mask[i] = rng.below(10) == 0;
  const std::vector<std::uint32_t> rank = time_rank(times(published));
  const std::vector<Triple> expect = brute_force(tok, mask, rank, 3, 2);
  ASSERT_FALSE(expect.empty());
  for (std::size_t threads : {1, 2, 3}) EXPECT_EQ(triples(candidates(tok, mask, rank, 3, 2, threads)), expect);
}

TEST(Candidates, EmptyInputs) {
  const Tokenized none = from_shingles({});
  EXPECT_TRUE(candidates(none, {}, {}, 16, 3).empty());
  const Tokenized blank = from_shingles({{}, {}, {}});
  EXPECT_TRUE(candidates(blank, {}, time_rank(times({1, 2, 3})), 16, 1).empty());
}

// Form samples given directly: keys from a small pool, so that documents share them.
Tokenized from_samples(const std::vector<std::vector<std::uint32_t>> &docs) {
  Tokenized tok = from_shingles(std::vector<std::vector<std::uint64_t>>(docs.size()));
  tok.sample_begin.assign(1, 0);
  for (auto keys : docs) {
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    tok.sample.insert(tok.sample.end(), keys.begin(), keys.end());
    tok.sample_begin.push_back(tok.sample.size());
  }
  return tok;
}

// find_form_candidates as its documentation says it, pair by pair.
std::vector<Triple> form_brute_force(const Tokenized &tok, const std::vector<std::uint32_t> &rank,
                                     const FormCandidateOptions &o) {
  const std::size_t n = tok.size();
  std::map<std::uint32_t, std::size_t> holders;
  for (std::size_t d = 0; d < n; ++d)
    for (const std::uint32_t k : tok.sample_of(d)) ++holders[k];
  std::vector<Triple> out;
  for (std::size_t t = 0; t < n; ++t) {
    std::set<std::uint32_t> mine;
    for (const std::uint32_t k : tok.sample_of(t))
      if (holders[k] >= 2 && holders[k] <= o.max_holders) mine.insert(k);
    std::vector<std::pair<std::size_t, std::uint32_t>> best; // (shared, rank)
    for (std::size_t r = 0; r < n; ++r) {
      if (rank[r] >= rank[t]) continue;
      std::size_t shared = 0;
      for (const std::uint32_t k : tok.sample_of(r)) shared += mine.count(k);
      if (shared > 0 && static_cast<double>(shared) >= std::max<double>(o.min_shared, o.min_share * mine.size()))
        best.emplace_back(shared, rank[r]);
    }
    std::sort(best.begin(), best.end(), [](const auto &x, const auto &y) {
      return x.first != y.first ? x.first > y.first : x.second < y.second;
    });
    if (best.size() > o.partners) best.resize(o.partners);
    std::vector<std::uint32_t> firsts;
    for (const auto &b : best)
      firsts.push_back(static_cast<std::uint32_t>(std::find(rank.begin(), rank.end(), b.second) - rank.begin()));
    std::sort(firsts.begin(), firsts.end());
    for (const std::uint32_t f : firsts) out.emplace_back(f, static_cast<std::uint32_t>(t), 0);
  }
  return out;
}

TEST(FormCandidates, AgreeWithBruteForceForAnyThreadCount) {
  Rng rng(5);
  std::vector<std::vector<std::uint32_t>> docs(400);
  std::vector<std::int64_t> published(docs.size());
  for (std::size_t d = 0; d < docs.size(); ++d) {
    // Keys over the whole 32-bit range: some of the 12 of its story (four documents a story),
    // some of a pool that every document draws from.
    for (std::size_t i = rng.below(12); i > 0; --i)
      docs[d].push_back(static_cast<std::uint32_t>((1000 + d / 4 * 12 + rng.below(12)) * 2654435761u));
    for (std::size_t i = rng.below(15); i > 0; --i)
      docs[d].push_back(static_cast<std::uint32_t>(rng.below(300) * 14316557u));
    published[d] = d % 5 == 0 ? kNoTime : static_cast<std::int64_t>(rng.below(50));
  }
  const Tokenized tok = from_samples(docs);
  const std::vector<std::uint32_t> rank = time_rank(times(published));
  for (const FormCandidateOptions o : {FormCandidateOptions{}, FormCandidateOptions{8, 2, 0.1, 5}}) {
    const std::vector<Triple> expect = form_brute_force(tok, rank, o);
    ASSERT_FALSE(expect.empty());
    for (std::size_t threads : {1, 2, 3}) EXPECT_EQ(triples(find_form_candidates(tok, rank, o, threads)), expect);
  }
}

TEST(FormCandidates, CommonFormsAndOwnFormsPairNothing) {
  // Document 2 shares with 0 three keys that 70 documents hold (a common word's) and with 1 three
  // keys only the two hold: it is paired with 1 alone. Document 1's keys are all its own but for
  // those three, which 2 holds later: 1 has no earlier partner.
  std::vector<std::vector<std::uint32_t>> docs(70, std::vector<std::uint32_t>{1u << 30, 2u << 30, 3u << 30});
  docs[1] = {10, 11, 12, 100, 101, 102, 103};
  docs[2] = {10, 11, 12, 1u << 30, 2u << 30, 3u << 30};
  const Tokenized tok = from_samples(docs);
  std::vector<std::int64_t> published(docs.size());
  std::iota(published.begin(), published.end(), 0);
  const std::vector<Candidate> found = find_form_candidates(tok, time_rank(times(published)), {}, 1);
  EXPECT_EQ(triples(found), (std::vector<Triple>{{1, 2, 0}}));
  // No sample, no pairs.
  EXPECT_TRUE(find_form_candidates(from_shingles({{1}, {1}}), time_rank(times({1, 2})), {}, 1).empty());
}

TEST(FormCandidates, MergedWithShingleCandidatesOnceAPair) {
  const std::vector<Candidate> shingles{{0, 1, 4}, {0, 2, 9}, {1, 3, 5}};
  const std::vector<Candidate> forms{{0, 2, 0}, {1, 2, 0}, {2, 3, 0}, {0, 4, 0}};
  EXPECT_EQ(triples(merge_candidates(shingles, forms)),
            (std::vector<Triple>{{0, 1, 4}, {0, 2, 9}, {1, 2, 0}, {1, 3, 5}, {2, 3, 0}, {0, 4, 0}}));
  EXPECT_EQ(triples(merge_candidates({}, forms)), triples(forms));
  EXPECT_EQ(triples(merge_candidates(shingles, {})), triples(shingles));
}

} // namespace
} // namespace storytrace

// The steps of attribution, in order, each with its input and output; attribute() is their
// composition. pair table -> sibling rules -> direction -> incoming spans -> sweep -> chains ->
// passages and links -> stories. Exposed for their own tests and for engines that run them apart.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "storytrace/attribute.hpp"

namespace storytrace::steps {

// An origin candidate: a corpus document (doc >= 0) or an agency outside the corpus.
struct Origin {
  std::int32_t doc = kNone;
  std::int32_t agency = kNone;
  bool operator==(const Origin &o) const { return doc == o.doc && agency == o.agency; }
  bool empty() const { return doc == kNone && agency == kNone; }
};

// Tokens per origin, in the order the origins were first added. Most passages and documents have
// one origin: it is held inline, and only further ones take a vector (no allocation for each of
// millions of passages).
class Tally {
public:
  void add(const Origin &o, std::uint32_t tokens) {
    if (!held_) {
      first_ = {o, tokens}, held_ = true;
      return;
    }
    if (first_.first == o) return void(first_.second += tokens);
    for (auto &[org, count] : more_)
      if (org == o) return void(count += tokens);
    more_.emplace_back(o, tokens);
  }
  // f(origin, tokens) for each origin, in order.
  template <class F> void each(F &&f) const {
    if (!held_) return;
    f(first_.first, first_.second);
    for (const auto &[o, count] : more_) f(o, count);
  }

private:
  std::pair<Origin, std::uint32_t> first_{};
  bool held_ = false;
  std::vector<std::pair<Origin, std::uint32_t>> more_;
};

// How the steps run their loops: on in.threads threads, reporting the step (out of kSteps) to
// in.progress between blocks, so that a cancel (Ctrl-C) is seen within a fraction of a second.
struct Runner {
  static constexpr std::size_t kSteps = 5;
  const AttributeInput &in;
  void report(std::size_t step) const; // throws Cancelled when progress says stop
  void parallel(std::size_t step, std::size_t count, const std::function<void(std::size_t)> &fn) const;
};

// The rules the steps share, over the input.
struct Rules {
  const AttributeInput &in;
  bool credits(std::size_t d, std::int32_t agency) const;
  // Tokens outside boilerplate, at least 1.
  std::uint32_t effective(std::size_t d) const;
  // x before y in time, then corpus order.
  bool earlier(std::int32_t x, std::int32_t y) const;
  // A credit both carry, of an agency neither of them is: a and b may be two reprints of its copy.
  bool reprints_of(std::uint32_t a, std::uint32_t b, std::int32_t agency) const;
  // The origin a tally holds most tokens of (ties: the earlier document, then an agency).
  Origin best_of(const Tally &tally) const;
};

// How exactly two texts match where they share text: 1 when every shared stretch is an unbroken
// copy, less for every edit bridged inside a passage (and for rewrites).
double exactness(const Span &span);

// 1. The pair table: passages oriented a < b (corpus order) and grouped by pair.
struct Pair {
  std::uint32_t a, b;
  std::size_t begin, end; // its passages
  std::uint32_t shared_a, shared_b;
  std::uint32_t text_a, text_b; // the shared tokens that are not boilerplate
  double exact;                 // matched tokens (weighted by similarity) per token of b's side
};
struct PairTable {
  static constexpr std::size_t kNoPair = SIZE_MAX;
  std::vector<Passage> passages; // a < b, stably sorted by (b, a, b_begin)
  std::vector<Pair> pairs;       // in (b, a) order
  // Pairs by b (CSR), searched by a: no hash table of millions of nodes to build and probe.
  std::vector<std::uint64_t> pairs_of_b;
  // Per document, its pairs whose other document is an agency's own, in pair order (CSR): all
  // share_edits reads. (Reading every pair of a document instead costs, in a story reprinted by m
  // outlets, m steps a call and m² over the story.)
  std::vector<std::uint64_t> wire_begin;
  std::vector<std::size_t> wire_pairs;

  std::size_t find(std::uint32_t x, std::uint32_t y) const;   // the pair of x and y, or kNoPair
  double differences(std::uint32_t x, std::uint32_t y) const; // 1 - exactness; negative: no pair
};
PairTable pair_table(const AttributeInput &in, std::vector<Passage> passages);

// 2. Sibling rules: when two reprints crediting one agency copied each other rather than both
// reprinting its copy. share_edits: both differ from the agency's document, and from each other at
// most options.closer as much as either does from it (copies keep the edits of what they copied;
// independent reprints add their own). own_text_pairs: per pair, 1 when they share at least
// options.own_text tokens on each side beyond what that side shares with the agency's copy, in
// passages that also hold the copy's text (one reprint's own paragraphs, copied with the
// agency's text by the other; not a line two papers word alike).
bool share_edits(const PairTable &table, const AttributeInput &in, std::uint32_t a, std::uint32_t b,
                 std::int32_t agency, const AttributeOptions &options);
std::vector<std::uint8_t> own_text_pairs(const PairTable &table, const AttributeInput &in,
                                         const AttributeOptions &options, const Runner &run);

// 3. Direction: each pair's link and the rule that decided it (siblings; then publication when one
// was surely first, the credit of the other's agency, containment by options.containment_margin,
// and a day following a known time that day). The passages are oriented a = source, b = target.
struct Directions {
  std::vector<Link> links;                  // link q is pair q's
  std::vector<std::int8_t> directed_from_a; // 1: directed a -> b, -1: b -> a, 0: not directed
  std::vector<std::size_t> link_of;         // per passage
  bool directed(const PairTable &table, std::uint32_t source, std::uint32_t target) const;
};
Directions directions(PairTable &table, const AttributeInput &in, const std::vector<std::uint8_t> &own_text,
                      const AttributeOptions &options, const Runner &run);

// 4. Incoming spans: per document (CSR), the spans of its tokens with the origin candidate behind
// them (a directed link's source; for siblings, the agency, on both sides), and every span it
// shares in any direction.
struct Incoming {
  std::uint32_t begin, end;
  Origin origin;
  std::uint32_t passage;
};
struct IncomingSpans {
  std::vector<std::uint64_t> begin;
  std::vector<Incoming> spans;
  std::vector<std::uint64_t> any_begin;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> any;
};
IncomingSpans incoming_spans(const PairTable &table, const Directions &dirs, std::size_t docs);

// The origin of text that several candidates hold: the credited agency's own copy, then the
// credited agency, then the earliest holder that no other holder passed it to (chains followed).
Origin choose(const Rules &rules, const PairTable &table, const Directions &dirs, std::size_t target,
              const std::vector<Origin> &active);

// 5. The sweep: per document, its incoming spans cut into stretches, each given an origin (choose)
// and a direct source (the closest copy, or the holder whose own text shows the target copied
// it); tallied per document and per passage. Merges each document's `incoming.any` in place.
struct Sweep {
  std::vector<std::uint32_t> reused_tokens, shared_tokens; // per document
  std::vector<Tally> doc_tally, passage_tally;
  std::vector<std::uint32_t> direct_tokens; // per passage: tokens it is the direct source of
};
Sweep sweep(const PairTable &table, const Directions &dirs, IncomingSpans &incoming, const AttributeInput &in,
            const AttributeOptions &options, const Runner &run);

// 6. Chains: each document's reuse share, derivation and origin (most of its reused text; else
// the agency it credits), where an origin that wholly reprints an agency's copy resolves to the
// agency, through any number of wholly derived copies. Fills the per-document fields of `out`;
// returns reprint_of (per document, the agency whose copy it wholly reprints, or kNone).
std::vector<std::int32_t> chains(const Sweep &sweep, const AttributeInput &in, const AttributeOptions &options,
                                 Attribution &out);
Origin resolve(const std::vector<std::int32_t> &reprint_of, Origin o);

// 7. Passages and links: each passage's origin (resolved) and whether it is direct (the direct
// source of at least half of it); a link is direct when a passage of it is, and is_origin when
// its source is its target's origin. Moves the passages into `out`, and the links, sorted by
// (target, source).
void passages_and_links(PairTable &table, Directions &dirs, const Sweep &sweep,
                        const std::vector<std::int32_t> &reprint_of, const AttributeInput &in, Attribution &out);

// 7b. Vocabulary: a document that reuses no passage is partially derived from the document of its
// records (kind Vocabulary: a pair with no passage whose earlier side holds enough of its rarer
// vocabulary) that holds the most of it, when that document was surely published before it, or is
// the agency's own that it credits. Its origin is that document's (the document's own origin when
// it wholly reprints another's text, else the document), found by OriginEvidence::Vocabulary, and
// one link says so (Link::vocabulary). Sets out.vocabulary_share for every document with a record
// so allowed. Links stay sorted.
void vocabulary(const std::vector<Passage> &records, const AttributeInput &in, Attribution &out);

// 8. Stories: documents connected by links, in corpus order of their first member, each named by
// its smallest member's global id, with the origin of most of its reused text.
void stories(const Sweep &sweep, const std::vector<std::int32_t> &reprint_of, const AttributeInput &in,
             Attribution &out);

} // namespace storytrace::steps

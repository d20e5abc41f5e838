// Stage 6: attribution. Direction of every link, origin of every passage, derivation, stories.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "storytrace/align.hpp"
#include "storytrace/common.hpp"
#include "storytrace/types.hpp"

namespace storytrace {

// Which rule decided a link's direction.
enum class Evidence : std::uint8_t {
  Published = 0,   // the source was published first
  Credit = 1,      // the target credits the agency that the source is
  Containment = 2, // undated: more of the target is found in the source than the reverse
  Sibling = 3,     // both credit the same agency: both reprint its copy, neither copies the other
  Undirected = 4,  // nothing decides it
};
std::string_view evidence_name(Evidence e);

enum class Derivation : std::uint8_t { None = 0, Partially = 1, Wholly = 2 };
std::string_view derivation_name(Derivation d);

// How a document's origin was found.
enum class OriginEvidence : std::uint8_t {
  None = 0,       // no origin: nothing reused, no credit
  Passages = 1,   // from the passages it shares with earlier documents
  Credit = 2,     // from its credit alone
  Vocabulary = 3, // from the rarer vocabulary it shares with an earlier document, no passage
};
std::string_view origin_evidence_name(OriginEvidence e);

struct AttributeInput {
  std::size_t docs = 0;
  const TimeRange *time = nullptr;             // per doc: when it may have been published
  const std::int32_t *outlet_agency = nullptr; // per doc: the agency the outlet is, or kNone
  const std::uint64_t *credit_begin = nullptr; // size docs+1, CSR into credit_agency
  const std::int32_t *credit_agency = nullptr; // distinct agencies credited, in text order
  const std::uint32_t *tokens = nullptr;       // per doc: token count
  const std::uint32_t *boilerplate = nullptr;  // per doc: boilerplate tokens
  // Per doc: its global id (types.hpp), which names its story; null: that of its corpus index
  // taken as an int id (a Corpus numbers documents given no id so).
  const std::uint64_t *global_id = nullptr;
  const Progress *progress = nullptr; // stage "attribute"; false cancels (Cancelled)
  std::size_t threads = 1;            // for the steps done per pair and per document; the result is the same
};

struct AttributeOptions {
  double wholly = 0.7;             // reuse share from which a document is wholly derived
  double containment_margin = 0.1; // containment difference that decides an undated link
  // One copy is closer to a target than another when it has at most this share of the other's
  // differences from the target (unmatched tokens inside passages): the target keeps that copy's
  // own edits, so it copied that copy; and two reprints of an agency's copy this close to each
  // other share edits (one copied the other), so they are not siblings. Convergent edits of two
  // independent desks ("pct" -> "percent") rarely come so close.
  double closer = 0.25;
  // A holder whose passage carries, besides text an earlier holder has too, text of the target no
  // other document holds (at least this many tokens: a paragraph of the holder's own, not a stock
  // phrase or a boundary bridged past an edit), and that holds all the target shares with that
  // earlier holder, explains that passage alone: the target copied it (a copy of a reprint that
  // kept the reprint's own paragraphs). Text no other document holds in a passage of its own (a
  // footer two outlets word alike) does not count. Two reprints crediting an agency that share
  // this much text beside its copy's are not siblings either.
  std::size_t own_text = 15; // as many as a passage needs (min_tokens' default)
  // Targets with more holders than this keep the origin rule without the above.
  std::size_t own_text_holders = 64;
  // Such a holder's passage may match the target less exactly than the other holder's by this
  // share of its tokens (a line of the target's own bridged inside it).
  double own_text_slack = 0.05;
};

// A directed (or undirected) link between two documents that share passages.
struct Link {
  std::uint32_t target, source; // for Sibling and Undirected: source is the lower corpus index
  std::uint32_t shared_tokens;  // target tokens inside passages with the source
  std::uint32_t source_shared_tokens;
  double containment; // the target's shared tokens outside boilerplate / its tokens outside boilerplate
  double source_containment;
  Evidence evidence;
  std::int32_t agency; // Sibling: the agency both credit; otherwise kNone
  bool is_origin;      // the source is the target's origin document
  bool direct = false; // some passage of the link is direct (see Attribution::passage_direct)
  // The link rests on document-level evidence alone (no passage): `containment` is the share of
  // the target's rarer vocabulary the source holds, the shared tokens 0.
  bool vocabulary = false;
};

struct Attribution {
  // per document
  std::vector<std::uint32_t> reused_tokens; // tokens in passages whose origin is elsewhere, earlier
  std::vector<std::uint32_t> shared_tokens; // tokens in any passage, whatever the direction
  std::vector<double> reuse_share;          // reused tokens, reworded ones weighted by similarity, / effective tokens
  std::vector<Derivation> derivation;
  // The share of its rarer vocabulary held by the earlier document that holds the most of it,
  // among those with a Vocabulary record (see steps::vocabulary); 0 when none.
  std::vector<double> vocabulary_share;
  std::vector<std::int32_t> origin_doc;    // kNone when none or outside the corpus
  std::vector<std::int32_t> origin_agency; // the origin's agency (outlet or credit), or kNone
  std::vector<OriginEvidence> origin_evidence;
  std::vector<std::int32_t> story; // kNone for documents that share no passage
  // per passage, in the order given (passages are re-oriented so that `b` is the target)
  std::vector<Passage> passages;
  std::vector<std::int32_t> passage_origin_doc;
  std::vector<std::int32_t> passage_origin_agency;
  std::vector<Evidence> passage_evidence;
  // The passage's source is where the target most likely copied this text from: of the earlier
  // documents holding it, the closest copy (for at least half the passage). The other passages
  // show the same text in siblings and in earlier links of a chain.
  std::vector<bool> passage_direct;
  // links, sorted by (target, source)
  std::vector<Link> links;
  // stories, in order of their first document (corpus order); `story` above indexes them
  std::vector<std::int64_t> story_id;     // the smallest global id of its documents: a name that
                                          // stays when unrelated documents are added
  std::vector<std::uint64_t> story_begin; // CSR into story_docs
  std::vector<std::uint32_t> story_docs;
  std::vector<std::int32_t> story_origin_doc;
  std::vector<std::int32_t> story_origin_agency;
};

Attribution attribute(const AttributeInput &in, std::vector<Passage> passages, const AttributeOptions &options);

} // namespace storytrace

// The types the stages hand each other: a document's global id, a token span shared by two texts
// (Span) and its kind, a pair to align (Candidate), a passage between two documents (Passage).
#pragma once

#include <cstdint>
#include <string_view>
#include <utility>

namespace storytrace {

// A document's global id: a fixed hash of the id its user gave it, the same in every corpus and
// run (passim hashes its ids alike), so that what is named after documents (a story) keeps its
// name when other documents are added. XXH3-64 with kHashSeed over a tag byte and the id's text:
// 's' and the UTF-8 of a str id, 'i' and the decimal digits of an int id (so "7" and 7 differ),
// with the top bit cleared so that a signed 64-bit integer holds it. Part of the file format
// (docs/format.md): changing it changes every story id.
enum class IdKind : char { Str = 's', Int = 'i' };
std::uint64_t global_id(IdKind kind, std::string_view text);

// What a passage is: text copied word for word (small edits bridged), or a rewritten passage
// (find_rewrites). Codes are stable: they are written to tables. Vocabulary is no passage but a
// record of document-level evidence from alignment to attribution: a pair that shares no passage,
// whose later document's rarer vocabulary the earlier one holds (vocabulary_share); its spans are
// both documents whole, its similarity that share. Attribution reports it as a link, never as a
// passage.
enum class PassageKind : std::uint8_t { Verbatim = 0, Rewrite = 1, Vocabulary = 2 };
inline constexpr int kPassageKinds = 3;
const char *passage_kind_name(PassageKind kind);

// Token spans [a_begin, a_end) in text a and [b_begin, b_end) in text b.
struct Span {
  std::uint32_t a_begin, a_end, b_begin, b_end;
  std::uint32_t matched;   // tokens covered by exactly matching shingles, on the side with fewer (rewrites: whose word
                           // the other side holds)
  float similarity = 1.0f; // 1 for verbatim spans; for rewrites, the sentence similarity
  PassageKind kind = PassageKind::Verbatim;
};

// A pair to align. `first` is the earlier document in time order (lower rank).
struct Candidate {
  std::uint32_t first;
  std::uint32_t second;
  std::uint32_t shared; // distinct shingles counted for the pair
};

// A passage between two corpus documents; `a` is the candidate's first (earlier) document.
struct Passage {
  std::uint32_t a, b;
  Span span;
  // Tokens of each side's span that are its document's boilerplate (set by trace; 0 elsewhere).
  std::uint32_t a_boilerplate = 0, b_boilerplate = 0;

  // The same passage seen from its other side: a and b swapped, with their spans.
  void flip() {
    std::swap(a, b);
    std::swap(span.a_begin, span.b_begin);
    std::swap(span.a_end, span.b_end);
    std::swap(a_boilerplate, b_boilerplate);
  }
};

} // namespace storytrace

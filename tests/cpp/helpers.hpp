// Small helpers shared by the GoogleTest suites: corpora built in memory, deterministic
// pseudo-words, a naive UTF-8 decoder used as an independent reference, and a field-by-field
// comparison of two attributions.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "storytrace/attribute.hpp"
#include "storytrace/common.hpp"
#include "storytrace/text.hpp"

namespace storytrace::testing {

// A corpus that owns its text. view() must be taken after the last add().
struct TestCorpus {
  std::string text;
  std::vector<std::uint64_t> offsets{0};
  std::vector<std::int64_t> published;
  std::vector<std::int32_t> outlet;
  std::vector<std::int32_t> outlet_agency;

  std::uint32_t add(std::string_view doc, std::int64_t time = kNoTime, std::int32_t out = kNone) {
    text.append(doc);
    offsets.push_back(text.size());
    published.push_back(time);
    outlet.push_back(out);
    return static_cast<std::uint32_t>(published.size() - 1);
  }
  std::size_t size() const { return published.size(); }
  CorpusView view() const {
    CorpusView v;
    v.text = text;
    v.offsets = offsets;
    v.published = published;
    v.outlet = outlet;
    v.outlet_agency = outlet_agency;
    return v;
  }
};

// A distinct lower-case pseudo-word for every k < 343000 ("bakedi", "dakedi", ...).
inline std::string word(std::size_t k) {
  static constexpr std::string_view consonants = "bdfgklmnprstvz"; // 14
  static constexpr std::string_view vowels = "aeiou";              // 5
  std::string w;
  for (int s = 0; s < 3; ++s) {
    const std::size_t syl = k % 70;
    k /= 70;
    w.push_back(consonants[syl % 14]);
    w.push_back(vowels[syl / 14]);
  }
  return w;
}

// `count` pseudo-words starting at word(first), with a full stop after every tenth word.
inline std::string words(std::size_t first, std::size_t count) {
  std::string out;
  for (std::size_t i = 0; i < count; ++i) {
    if (i) out.push_back(' ');
    out += word(first + i);
    if (i % 10 == 9 && i + 1 < count) out.push_back('.');
  }
  return out;
}

// The raw text of every token.
inline std::vector<std::string> raw_tokens(std::string_view text) {
  std::vector<Token> toks;
  tokenize(text, toks);
  std::vector<std::string> out;
  for (const Token &t : toks) out.emplace_back(text.substr(t.start, t.end - t.start));
  return out;
}

// The normalized form of every token, from tokenize's own normalized output.
inline std::vector<std::string> normalized_tokens(std::string_view text) {
  std::vector<Token> toks;
  std::string norm;
  std::vector<std::uint32_t> off;
  tokenize(text, toks, &norm, &off);
  std::vector<std::string> out;
  for (std::size_t i = 0; i + 1 < off.size(); ++i) out.push_back(norm.substr(off[i], off[i + 1] - off[i]));
  return out;
}

// Naive UTF-8 decoding of valid text into code points.
inline std::u32string decode(std::string_view s) {
  std::u32string out;
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    char32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
    for (std::size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    out.push_back(cp);
    i += len;
  }
  return out;
}

inline std::string encode(std::u32string_view s) {
  std::string out;
  for (char32_t cp : s) {
    if (cp < 0x80) {
      out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }
  return out;
}

// The substring of `text` between two code-point offsets, as UTF-8.
inline std::string cp_substr(std::string_view text, std::int64_t start, std::int64_t end) {
  const std::u32string cps = decode(text);
  return encode(
      std::u32string_view(cps).substr(static_cast<std::size_t>(start), static_cast<std::size_t>(end - start)));
}

// A small deterministic generator (splitmix64).
struct Rng {
  std::uint64_t state;
  explicit Rng(std::uint64_t seed) : state(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }
};

// Every field of a passage, and of a link, as a tuple to compare.
inline auto passage_fields(const Passage &p) {
  return std::tie(p.a, p.b, p.span.a_begin, p.span.a_end, p.span.b_begin, p.span.b_end, p.span.matched,
                  p.span.similarity, p.span.kind, p.a_boilerplate, p.b_boilerplate);
}
inline auto link_fields(const Link &l) {
  return std::tie(l.target, l.source, l.shared_tokens, l.source_shared_tokens, l.containment, l.source_containment,
                  l.evidence, l.agency, l.is_origin, l.direct);
}

// Every field of two attributions: per document, per passage, per link and per story.
inline void expect_same_attribution(const Attribution &a, const Attribution &b) {
  EXPECT_EQ(a.reused_tokens, b.reused_tokens);
  EXPECT_EQ(a.shared_tokens, b.shared_tokens);
  EXPECT_EQ(a.reuse_share, b.reuse_share);
  EXPECT_EQ(a.derivation, b.derivation);
  EXPECT_EQ(a.origin_doc, b.origin_doc);
  EXPECT_EQ(a.origin_agency, b.origin_agency);
  EXPECT_EQ(a.origin_evidence, b.origin_evidence);
  EXPECT_EQ(a.story, b.story);
  ASSERT_EQ(a.passages.size(), b.passages.size());
  for (std::size_t k = 0; k < a.passages.size(); ++k)
    EXPECT_EQ(passage_fields(a.passages[k]), passage_fields(b.passages[k])) << "passage " << k;
  EXPECT_EQ(a.passage_origin_doc, b.passage_origin_doc);
  EXPECT_EQ(a.passage_origin_agency, b.passage_origin_agency);
  EXPECT_EQ(a.passage_evidence, b.passage_evidence);
  EXPECT_EQ(a.passage_direct, b.passage_direct);
  ASSERT_EQ(a.links.size(), b.links.size());
  for (std::size_t k = 0; k < a.links.size(); ++k)
    EXPECT_EQ(link_fields(a.links[k]), link_fields(b.links[k])) << "link " << k;
  EXPECT_EQ(a.story_begin, b.story_begin);
  EXPECT_EQ(a.story_docs, b.story_docs);
  EXPECT_EQ(a.story_origin_doc, b.story_origin_doc);
  EXPECT_EQ(a.story_origin_agency, b.story_origin_agency);
}

} // namespace storytrace::testing

// The fast tokenizer against its reference, ICU's word break over the whole text
// (tokenize_icu): the same tokens, byte spans, hashes and normalized forms, on random text
// mixing every class of the word rules and on every code point of the Basic Multilingual Plane
// in a set of contexts.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "helpers.hpp"
#include "storytrace/text.hpp"

namespace storytrace {
namespace {

using testing::encode;

struct Tokens {
  std::vector<Token> tokens;
  std::string normalized;
  std::vector<std::uint32_t> offsets;
};

// Returns an empty string when both tokenizers agree, else a description of the first difference.
std::string disagreement(const std::string &text) {
  Tokens fast, icu;
  tokenize(text, fast.tokens, &fast.normalized, &fast.offsets);
  tokenize_icu(text, icu.tokens, &icu.normalized, &icu.offsets);
  if (fast.normalized != icu.normalized) return "normalized: '" + fast.normalized + "' vs ICU '" + icu.normalized + "'";
  if (fast.offsets != icu.offsets) return "normalized offsets differ";
  if (fast.tokens.size() != icu.tokens.size())
    return std::to_string(fast.tokens.size()) + " tokens vs ICU " + std::to_string(icu.tokens.size());
  for (std::size_t k = 0; k < fast.tokens.size(); ++k) {
    const Token &a = fast.tokens[k], &b = icu.tokens[k];
    if (a.start != b.start || a.end != b.end || a.hash != b.hash)
      return "token " + std::to_string(k) + " [" + std::to_string(a.start) + "," + std::to_string(a.end) +
             ") vs ICU [" + std::to_string(b.start) + "," + std::to_string(b.end) + ")";
  }
  // Without the normalized text the tokens are the same.
  std::vector<Token> bare;
  tokenize(text, bare);
  if (bare.size() != fast.tokens.size()) return "tokens differ without the normalized text";
  // token_bounds gives the same bounds, with hash 0.
  std::vector<Token> bounds;
  token_bounds(text, bounds);
  if (bounds.size() != fast.tokens.size()) return "token_bounds gives " + std::to_string(bounds.size()) + " tokens";
  for (std::size_t k = 0; k < bounds.size(); ++k)
    if (bounds[k].start != fast.tokens[k].start || bounds[k].end != fast.tokens[k].end || bounds[k].hash != 0)
      return "token_bounds differs at token " + std::to_string(k);
  return {};
}

std::string hex(const std::string &s) {
  static const char *digits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : s) out += std::string("\\x") + digits[c >> 4] + digits[c & 15];
  return out;
}

// Code points of every class the rules know, and of the classes left to ICU.
const std::vector<char32_t> kAlphabet = {
    // ASCII letters, digits, connector, mid-word punctuation, other punctuation, white space
    'a',
    'Z',
    'q',
    '0',
    '7',
    '_',
    '.',
    '\'',
    ':',
    ',',
    ';',
    '-',
    '"',
    '`',
    '!',
    '(',
    '/',
    '@',
    '#',
    '$',
    '%',
    '&',
    '?',
    ' ',
    ' ',
    '\t',
    '\n',
    '\r',
    '\v',
    '\f',
    // Latin-1 and Latin Extended: letters, NBSP, soft hyphen (Format), Turkish I, sharp s, ´
    0xE9,
    0xC7,
    0x130,
    0x131,
    0xDF,
    0x149,
    0xA0,
    0xAD,
    0xB4,
    0xB7,
    0x2BC,
    // combining marks (Extend), ZWNJ, ZWJ, word joiner, BOM
    0x301,
    0x308,
    0x200C,
    0x200D,
    0x2060,
    0xFEFF,
    // Greek, Cyrillic, Armenian
    0x3A3,
    0x3C2,
    0x390,
    0x37A,
    0x416,
    0x451,
    0x561,
    0x587,
    // Hebrew letters, geresh, gershayim (Hebrew rules WB7a-c)
    0x5D0,
    0x5E9,
    0x5F3,
    0x5F4,
    // Arabic and Urdu: letters, harakat, Arabic-Indic digits, Arabic comma, Urdu full stop, tatweel
    0x627,
    0x628,
    0x6CC,
    0x6BA,
    0x64E,
    0x651,
    0x660,
    0x6F5,
    0x60C,
    0x66B,
    0x66C,
    0x6D4,
    0x640,
    // Devanagari letter and vowel sign; Thai and Lao (dictionaries)
    0x915,
    0x93F,
    0xE01,
    0xE32,
    0xE81,
    // Hangul jamo and syllables; Han, Hiragana, Katakana, halfwidth Katakana, prolonged sound mark
    0x1100,
    0x1161,
    0x11A8,
    0xAC00,
    0xD55C,
    0x4E2D,
    0x6587,
    0x3042,
    0x30AB,
    0xFF76,
    0x30FC,
    // typographic quotes, dashes, ellipsis, prime, double prime, ideographic space, em space
    0x2018,
    0x2019,
    0x201C,
    0x201D,
    0x2013,
    0x2014,
    0x2026,
    0x2032,
    0x2033,
    0x3000,
    0x2003,
    0x2024,
    0x2027,
    // fullwidth letters, digits and colon; small colon; ligatures; superscripts; Roman numeral
    0xFF21,
    0xFF41,
    0xFF11,
    0xFF1A,
    0xFE55,
    0xFB01,
    0xB2,
    0x2075,
    0x2163,
    0x2460,
    // emoji, skin tone, regional indicators, supplementary letter and ideograph
    0xA9,
    0xAE,
    0x2122,
    0x203C,
    0x2600,
    0x1F600,
    0x1F3FD,
    0x1F1FA,
    0x1F1F8,
    0x10400,
    0x20000,
    0x1D400,
};

TEST(FastTokenize, AgreesWithIcuOnRandomText) {
  std::mt19937 rng(20261121);
  std::uniform_int_distribution<std::size_t> pick(0, kAlphabet.size() - 1), length(0, 32);
  // Half the draws favour ASCII, as news text does.
  std::uniform_int_distribution<int> coin(0, 1), ascii(0, 40);
  for (int round = 0; round < 150000; ++round) {
    std::string text;
    const std::size_t len = length(rng);
    const bool mostly_ascii = coin(rng);
    for (std::size_t k = 0; k < len; ++k)
      text +=
          encode(std::u32string(1, mostly_ascii && ascii(rng) < 36 ? kAlphabet[pick(rng) % 30] : kAlphabet[pick(rng)]));
    const std::string why = disagreement(text);
    ASSERT_TRUE(why.empty()) << why << " in " << hex(text);
  }
}

TEST(FastTokenize, AgreesWithIcuOnEveryBmpCodePointInContext) {
  const std::vector<std::pair<std::string, std::string>> contexts = {
      {"a", "b"}, {"1", "2"}, {"x ", " y"}, {"a.", "a"}, {"1,", "1"},
      {"_", "_"}, {"", ""},   {"a", ""},    {" ", "b"},  {"a\xE2\x80\x8D", "b"},
  };
  int failures = 0;
  for (char32_t c = 1; c < 0x10000 && failures < 40; ++c) {
    if (c >= 0xD800 && c <= 0xDFFF) continue;
    const std::string cp = encode(std::u32string(1, c));
    for (const auto &[before, after] : contexts) {
      const std::string text = before + cp + after;
      const std::string why = disagreement(text);
      EXPECT_TRUE(why.empty()) << why << " for U+" << std::hex << static_cast<std::uint32_t>(c) << " in " << hex(text);
      failures += !why.empty();
    }
    const std::string why = disagreement(cp + cp + "a" + cp);
    EXPECT_TRUE(why.empty()) << why << " for U+" << std::hex << static_cast<std::uint32_t>(c) << " doubled";
    failures += !why.empty();
  }
}

TEST(FastTokenize, AgreesWithIcuOnNewsText) {
  const std::vector<std::string> texts = {
      "WASHINGTON (AP) \xE2\x80\x94 The U.S. economy grew 2.5% in the third quarter, the Commerce "
      "Department said Thursday. \xE2\x80\x9CIt\xE2\x80\x99s a solid number,\xE2\x80\x9D said Jos\xC3\xA9 "
      "P\xC3\xA9rez, an economist at Wells Fargo & Co. in N.Y.; shares rose 1,234.56 points to 33,000.",
      "Istanbul'da 3.000 ki\xC5\x9Fi \xC4\xB0stiklal Caddesi'nde y\xC3\xBCr\xC3\xBC"
      "d\xC3\xBC. I\xC4\xB1\xC4\xB0i",
      "\xD9\x88\xD8\xB2\xDB\x8C\xD8\xB1\xD8\xA7\xD8\xB9\xD8\xB8\xD9\x85 \xD9\x86\xDB\x92 \xDA\xA9\xDB\x81\xD8\xA7 "
      "\xDB\x94 \xDB\xB2\xDB\xB0\xDB\xB2\xDB\xB4",
      "\xE5\x9C\x8B\xE5\x8B\x99\xE9\x99\xA2\xE8\xAA\xAA 2024\xE5\xB9\xB4 GDP \xE5\xA2\x9E\xE9\x95\xB7 5.2%\xE3\x80\x82",
  };
  for (const std::string &text : texts) {
    const std::string why = disagreement(text);
    EXPECT_TRUE(why.empty()) << why << " in " << text;
  }
}

} // namespace
} // namespace storytrace

// Tokenization: ICU word break, normalization, byte offsets, UTF-8 validation, code points.
#include <gtest/gtest.h>
#include <unicode/unistr.h>
#include <xxhash.h>

#include <algorithm>
#include <string>
#include <vector>

#include "helpers.hpp"
#include "storytrace/text.hpp"

namespace storytrace {
namespace {

using testing::decode;
using testing::normalized_tokens;
using testing::raw_tokens;
using testing::Rng;
using Strings = std::vector<std::string>;

std::vector<Token> tokens_of(std::string_view text) {
  std::vector<Token> toks;
  tokenize(text, toks);
  return toks;
}

std::vector<std::uint64_t> hashes_of(std::string_view text) {
  std::vector<std::uint64_t> out;
  for (const Token &t : tokens_of(text)) out.push_back(t.hash);
  return out;
}

// Checks the invariants every tokenization must satisfy: spans inside the text, in order and
// disjoint; each hash is XXH3-64 of the normalized raw token under kHashSeed; the normalized
// output matches normalize_word of each raw token.
void check_invariants(std::string_view text) {
  SCOPED_TRACE(std::string(text.substr(0, 80)));
  std::vector<Token> toks;
  std::string norm;
  std::vector<std::uint32_t> off;
  tokenize(text, toks, &norm, &off);
  ASSERT_EQ(off.size(), toks.size() + 1);
  EXPECT_EQ(off.front(), 0u);
  EXPECT_EQ(off.back(), norm.size());
  std::uint32_t prev_end = 0;
  for (std::size_t i = 0; i < toks.size(); ++i) {
    const Token &t = toks[i];
    ASSERT_LT(t.start, t.end);
    ASSERT_LE(t.end, text.size());
    ASSERT_GE(t.start, prev_end);
    prev_end = t.end;
    const std::string raw(text.substr(t.start, t.end - t.start));
    const std::string expect = normalize_word(raw);
    EXPECT_EQ(norm.substr(off[i], off[i + 1] - off[i]), expect);
    EXPECT_EQ(t.hash, XXH3_64bits_withSeed(expect.data(), expect.size(), kHashSeed)) << raw;
    // A token never splits a character: its bytes are valid UTF-8 on their own.
    EXPECT_EQ(find_invalid_utf8(raw), std::string_view::npos);
  }
}

TEST(Tokenize, LatinWordsAndNumbers) {
  const std::string text = "The quick brown fox, jumped over 3 lazy dogs! In 2024 prices rose 3.5% to $1,200.";
  EXPECT_EQ(raw_tokens(text), (Strings{"The", "quick", "brown", "fox", "jumped", "over", "3", "lazy", "dogs", "In",
                                       "2024", "prices", "rose", "3.5", "to", "1,200"}));
  EXPECT_EQ(normalized_tokens("The QUICK Fox"), (Strings{"the", "quick", "fox"}));
  check_invariants(text);
}

TEST(Tokenize, PunctuationAndSpacesAreNotTokens) {
  EXPECT_TRUE(tokens_of("... !!! -- ,,, ; : ( ) [ ] \" ' \u2014 \u2013 \u201C\u201D \u00AB\u00BB \t\n\r").empty());
  EXPECT_EQ(raw_tokens("\u00ABHello\u00BB \u2014 she said\u2026 (really?)"),
            (Strings{"Hello", "she", "said", "really"}));
}

TEST(Tokenize, EmptyAndWhitespaceOnly) {
  std::vector<Token> toks{Token{1, 2, 3}}; // stale content must be cleared
  std::string norm = "stale";
  std::vector<std::uint32_t> off{7, 8};
  tokenize("", toks, &norm, &off);
  EXPECT_TRUE(toks.empty());
  EXPECT_TRUE(norm.empty());
  EXPECT_EQ(off, (std::vector<std::uint32_t>{0}));
  tokenize("   \t\n\r\n  \u00A0\u2003 ", toks, &norm, &off);
  EXPECT_TRUE(toks.empty());
  EXPECT_TRUE(norm.empty());
  EXPECT_EQ(off, (std::vector<std::uint32_t>{0}));
}

TEST(Tokenize, Turkish) {
  const std::string text = "\u0130stanbul'da a\u011F\u0131r \u015Fartlar \u0130STANBUL \u015EARTLAR";
  EXPECT_EQ(raw_tokens(text),
            (Strings{"\u0130stanbul'da", "a\u011F\u0131r", "\u015Fartlar", "\u0130STANBUL", "\u015EARTLAR"}));
  const Strings norm = normalized_tokens(text);
  // ğ, ı and ş survive normalization; upper and lower case fold together.
  EXPECT_EQ(norm[1], "a\u011F\u0131r");
  EXPECT_EQ(norm[2], "\u015Fartlar");
  EXPECT_EQ(norm[4], norm[2]);
  EXPECT_EQ(normalize_word("\u0130STANBUL"), normalize_word("\u0130stanbul"));
  check_invariants(text);
}

TEST(Tokenize, ArabicAndUrdu) {
  const std::string arabic = "\u0642\u0627\u0644 \u0627\u0644\u0631\u0626\u064A\u0633\u060C \u0641\u064A "
                             "\u0628\u064A\u0627\u0646."; // قال الرئيس، في بيان.
  EXPECT_EQ(raw_tokens(arabic), (Strings{"\u0642\u0627\u0644", "\u0627\u0644\u0631\u0626\u064A\u0633", "\u0641\u064A",
                                         "\u0628\u064A\u0627\u0646"}));
  const std::string urdu = "\u0648\u0632\u06CC\u0631\u0627\u0639\u0638\u0645 \u0646\u06D2 \u06A9\u06C1\u0627 "
                           "\u06A9\u06C1\u06D4"; // وزیراعظم نے کہا کہ۔
  EXPECT_EQ(raw_tokens(urdu), (Strings{"\u0648\u0632\u06CC\u0631\u0627\u0639\u0638\u0645", "\u0646\u06D2",
                                       "\u06A9\u06C1\u0627", "\u06A9\u06C1"}));
  check_invariants(arabic);
  check_invariants(urdu);
}

// Text in scripts without spaces is split by ICU's dictionaries: more than one token, and the
// tokens tile the text exactly (there is no punctuation in it).
void expect_dictionary_split(const std::string &text) {
  SCOPED_TRACE(text);
  const std::vector<Token> toks = tokens_of(text);
  ASSERT_GT(toks.size(), 1u);
  std::uint32_t pos = 0;
  for (const Token &t : toks) {
    EXPECT_EQ(t.start, pos);
    pos = t.end;
  }
  EXPECT_EQ(pos, text.size());
  check_invariants(text);
}

TEST(Tokenize, ChineseJapaneseThaiThroughDictionaries) {
  expect_dictionary_split("\u6211\u4EEC\u5728\u5317\u4EAC"); // 我们在北京
  // 我们在北京工作了三年
  expect_dictionary_split("\u6211\u4EEC\u5728\u5317\u4EAC\u5DE5\u4F5C\u4E86\u4E09\u5E74");
  // 東京都に住んでいます
  expect_dictionary_split("\u6771\u4EAC\u90FD\u306B\u4F4F\u3093\u3067\u3044\u307E\u3059");
  // ภาษาไทยง่าย
  expect_dictionary_split("\u0E20\u0E32\u0E29\u0E32\u0E44\u0E17\u0E22\u0E07\u0E48\u0E32\u0E22");
  // "北京" is a dictionary word: it comes out as one token.
  const Strings cn = raw_tokens("\u6211\u4EEC\u5728\u5317\u4EAC");
  EXPECT_NE(std::find(cn.begin(), cn.end(), "\u5317\u4EAC"), cn.end());
  // Ideographic punctuation is not a token.
  EXPECT_EQ(raw_tokens("\u5317\u4EAC\u3002\u3001\u300C\u300D").size(), 1u);
}

TEST(Normalize, NfkcCasefold) {
  EXPECT_EQ(normalize_word("\uFF21\uFF22\uFF23"), "abc"); // full-width ＡＢＣ
  EXPECT_EQ(normalize_word("\uFB01nance"), "finance");    // ﬁ ligature
  EXPECT_EQ(normalize_word("Stra\u00DFe"), "strasse");
  EXPECT_EQ(normalize_word("\u039F\u0394\u03A5\u03A3\u03A3\u0395\u03A5\u03A3"),
            normalize_word("\u03BF\u03B4\u03C5\u03C3\u03C3\u03B5\u03C5\u03C2")); // ΟΔΥΣΣΕΥΣ / οδυσσευς
  EXPECT_EQ(normalize_word("Cafe\u0301"), normalize_word("caf\u00E9"));          // combining accent composed
  EXPECT_EQ(normalize_word("HeLLo"), "hello");
  // Whole tokens: the same hash as their plain forms.
  EXPECT_EQ(hashes_of("\uFF21\uFF22\uFF23"), hashes_of("abc"));
  EXPECT_EQ(hashes_of("\uFB01nance"), hashes_of("finance"));
  EXPECT_EQ(hashes_of("\uFF21\uFF22\uFF23").size(), 1u);
  EXPECT_NE(hashes_of("abc"), hashes_of("abd"));
}

TEST(Normalize, TypographicVariantsUnified) {
  EXPECT_EQ(normalize_word("Iran\u2019s"), "iran's");
  EXPECT_EQ(normalize_word("Iran\u2018s"), "iran's");
  EXPECT_EQ(normalize_word("Iran\u02BCs"), "iran's");
  EXPECT_EQ(normalize_word("Iran`s"), "iran's"); // ASCII fast path
  // Every variant the header lists, alone and inside a word.
  for (const char *q : {"\u2019", "\u2018", "\u201A", "\u201B", "\u2032", "\u02BC", "`", "\u00B4"}) {
    EXPECT_EQ(normalize_word(q), "'") << q;
    EXPECT_EQ(normalize_word(std::string("D") + q + "\u00C9"), "d'\u00E9") << q;
  }
  for (const char *q : {"\u201C", "\u201D", "\u201E", "\u201F", "\u2033", "\u00AB", "\u00BB"}) {
    EXPECT_EQ(normalize_word(q), "\"") << q;
    EXPECT_EQ(normalize_word(std::string("X") + q + "\u00C9"), "x\"\u00E9") << q;
  }
  for (const char *d : {"\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2015", "\u2212"}) {
    EXPECT_EQ(normalize_word(d), "-") << d;
    EXPECT_EQ(normalize_word(std::string("Co") + d + "\u00D6p"), "co-\u00F6p") << d;
  }
  // In running text: one token each, same hash.
  const std::vector<std::uint64_t> curly = hashes_of("Iran\u2019s");
  ASSERT_EQ(curly.size(), 1u);
  EXPECT_EQ(curly, hashes_of("Iran's"));
  EXPECT_EQ(hashes_of("\u201CIran\u2019s leader\u201D \u2013 said \u2014 today"),
            hashes_of("\"Iran's leader\" - said - today"));
  EXPECT_NE(hashes_of("Iran's"), hashes_of("Irans"));
}

TEST(Normalize, AsciiFastPathAgreesWithIcuPath) {
  // A trailing "é" sends the word through ICU; the ASCII part must come out the same.
  for (int c = 1; c < 128; ++c) {
    const std::string ascii = std::string("aZ") + static_cast<char>(c) + "Qz";
    EXPECT_EQ(normalize_word(ascii + "\u00E9"), normalize_word(ascii) + "\u00E9") << "byte " << c;
  }
}

TEST(Tokenize, ByteOffsetsAreExactInMultiByteText) {
  // Ça va? Größe 東京 😀 مرحبا naïve İzmir, Здравствуйте!
  const std::string hello = "\u0417\u0434\u0440\u0430\u0432\u0441\u0442\u0432\u0443\u0439\u0442\u0435";
  const std::string text = "\u00C7a va? Gr\u00F6\u00DFe \u6771\u4EAC \U0001F600 \u0645\u0631\u062D\u0628\u0627 "
                           "na\u00EFve \u0130zmir, " +
                           hello + "!";
  EXPECT_EQ(raw_tokens(text), (Strings{"\u00C7a", "va", "Gr\u00F6\u00DFe", "\u6771\u4EAC",
                                       "\u0645\u0631\u062D\u0628\u0627", "na\u00EFve", "\u0130zmir", hello}));
  const std::vector<Token> toks = tokens_of(text);
  ASSERT_EQ(toks.size(), 8u);
  // "Ça" starts at byte 0 and is 3 bytes long; "va" follows a space.
  EXPECT_EQ(toks[0].start, 0u);
  EXPECT_EQ(toks[0].end, 3u);
  EXPECT_EQ(toks[1].start, 4u);
  EXPECT_EQ(toks[1].end, 6u);
  EXPECT_EQ(toks.back().end, text.size() - 1); // before the final '!'
  check_invariants(text);
}

TEST(Tokenize, TextWithNulBytes) {
  const std::string text("alpha\0beta gamma\0", 17);
  const std::vector<Token> toks = tokens_of(text);
  ASSERT_EQ(toks.size(), 3u);
  EXPECT_EQ(toks[0].start, 0u);
  EXPECT_EQ(toks[0].end, 5u);
  EXPECT_EQ(toks[1].start, 6u);
  EXPECT_EQ(toks[1].end, 10u);
  EXPECT_EQ(toks[2].start, 11u);
  EXPECT_EQ(toks[2].end, 16u);
  EXPECT_EQ(toks[1].hash, hashes_of("beta")[0]);
  EXPECT_EQ(find_invalid_utf8(text), std::string_view::npos);
}

TEST(Tokenize, LongRunOfLettersIsOneToken) {
  const std::string text(1u << 20, 'a');
  const std::vector<Token> toks = tokens_of(text);
  ASSERT_EQ(toks.size(), 1u);
  EXPECT_EQ(toks[0].start, 0u);
  EXPECT_EQ(toks[0].end, 1u << 20);
  EXPECT_EQ(toks[0].hash, XXH3_64bits_withSeed(text.data(), text.size(), kHashSeed));
  const std::string padded = "x " + text + " y";
  const std::vector<Token> p = tokens_of(padded);
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p[1].start, 2u);
  EXPECT_EQ(p[1].end, 2u + (1u << 20));
  EXPECT_EQ(p[1].hash, toks[0].hash);
}

TEST(Tokenize, HashMatchesIndependentXxh3OfNormalForm) {
  const std::vector<Token> toks = tokens_of("Hello, W\u00D6RLD");
  ASSERT_EQ(toks.size(), 2u);
  EXPECT_EQ(toks[0].hash, XXH3_64bits_withSeed("hello", 5, kHashSeed));
  const std::string world = "w\u00F6rld";
  EXPECT_EQ(toks[1].hash, XXH3_64bits_withSeed(world.data(), world.size(), kHashSeed));
}

TEST(Utf8, AppendFromEveryWidthGivesWhatIcuEncodes) {
  // Texts as Python holds them (code points at 1, 2 or 4 bytes each): ASCII runs of every length
  // broken by other characters at every place, so that every run of the ASCII fast path ends
  // early, late and exactly at its edge.
  Rng rng(5);
  const std::vector<char32_t> others = {0xE9, 0xFF, 0x100, 0x7FF, 0x800, 0x20AC, 0xFFFD, 0x10000, 0x1F600, 0x10FFFF};
  for (int round = 0; round < 400; ++round) {
    const std::uint32_t width = round % 3 == 0 ? 1 : round % 3 == 1 ? 2 : 4;
    const char32_t top = width == 1 ? 0xFF : width == 2 ? 0xFFFF : 0x10FFFF;
    std::vector<char32_t> cps;
    const std::size_t n = rng.below(80);
    for (std::size_t i = 0; i < n; ++i) {
      char32_t c = static_cast<char32_t>(rng.below(0x80));
      if (rng.below(12) == 0) c = others[rng.below(others.size())];
      cps.push_back(c <= top ? c : 'x');
    }
    std::vector<std::uint8_t> w1(cps.begin(), cps.end());
    std::vector<std::uint16_t> w2(cps.begin(), cps.end());
    std::vector<std::uint32_t> w4(cps.begin(), cps.end());
    const void *data = width == 1   ? static_cast<const void *>(w1.data())
                       : width == 2 ? static_cast<const void *>(w2.data())
                                    : static_cast<const void *>(w4.data());
    std::string expect;
    icu::UnicodeString::fromUTF32(reinterpret_cast<const UChar32 *>(w4.data()), static_cast<std::int32_t>(n))
        .toUTF8String(expect);
    std::string got = "kept ";
    append_utf8(TextRef{data, n, width}, got);
    ASSERT_EQ(got, "kept " + expect) << "width " << width << ", round " << round;
    ASSERT_LE(expect.size(), utf8_bound(TextRef{data, n, width}));
  }
}

TEST(Utf8, FindInvalid) {
  constexpr auto npos = std::string_view::npos;
  EXPECT_EQ(find_invalid_utf8(""), npos);
  EXPECT_EQ(find_invalid_utf8("plain ascii text that is longer than eight bytes"), npos);
  EXPECT_EQ(find_invalid_utf8("\u00E9\u20AC\U0001F600\U0010FFFF \u0130stanbul \u6771\u4EAC"), npos);
  EXPECT_EQ(find_invalid_utf8(std::string("a\0b", 3)), npos);
  // Truncated sequences.
  EXPECT_EQ(find_invalid_utf8("abc\xE2\x82"), 3u);
  EXPECT_EQ(find_invalid_utf8("abc\xF0\x9F\x98"), 3u);
  EXPECT_EQ(find_invalid_utf8("\xC3"), 0u);
  EXPECT_EQ(find_invalid_utf8("ab\xE2\x82x"), 2u); // continuation missing before 'x'
  // Overlong forms.
  EXPECT_EQ(find_invalid_utf8("\xC0\xAF"), 0u);
  EXPECT_EQ(find_invalid_utf8("\xC1\xBF"), 0u);
  EXPECT_EQ(find_invalid_utf8("ab\xE0\x80\xAF"), 2u);
  EXPECT_EQ(find_invalid_utf8("\xF0\x80\x80\xAF"), 0u);
  // Surrogates and code points beyond U+10FFFF.
  EXPECT_EQ(find_invalid_utf8("x\xED\xA0\x80"), 1u);
  EXPECT_EQ(find_invalid_utf8("\xED\xBF\xBF"), 0u);
  EXPECT_EQ(find_invalid_utf8("\xF4\x90\x80\x80"), 0u);
  EXPECT_EQ(find_invalid_utf8("\xED\x9F\xBF"), npos); // U+D7FF is fine
  // Stray continuation bytes and bytes that never occur.
  EXPECT_EQ(find_invalid_utf8("\x80"), 0u);
  EXPECT_EQ(find_invalid_utf8("ok \xFF"), 3u);
  EXPECT_EQ(find_invalid_utf8("ok \xF8\x88\x80\x80\x80"), 3u);
  // After a long ASCII prefix (the eight-byte fast path) and after multi-byte text.
  EXPECT_EQ(find_invalid_utf8(std::string(21, 'a') + "\xE2\x82"), 21u);
  EXPECT_EQ(find_invalid_utf8(std::string(16, 'a') + "\x80"), 16u);
  EXPECT_EQ(find_invalid_utf8("\u00E9\u00E9\u00E9\u00E9\u00E9 \xED\xA0\x80"), 11u);
}

TEST(CodePoints, SortedOffsetsInMixedWidthText) {
  // a (1 byte), é (2), € (3), 😀 (4), b (1)
  const std::string text = "a\u00E9\u20AC\U0001F600b";
  ASSERT_EQ(text.size(), 11u);
  const std::vector<std::uint32_t> bytes{0, 1, 3, 6, 10, 11};
  std::vector<std::int64_t> cps(bytes.size(), -1);
  bytes_to_code_points(text, bytes.data(), bytes.size(), cps.data());
  EXPECT_EQ(cps, (std::vector<std::int64_t>{0, 1, 2, 3, 4, 5}));
  // Repeated offsets and an empty request.
  const std::vector<std::uint32_t> same{6, 6, 10};
  std::vector<std::int64_t> out(3, -1);
  bytes_to_code_points(text, same.data(), same.size(), out.data());
  EXPECT_EQ(out, (std::vector<std::int64_t>{3, 3, 4}));
  bytes_to_code_points(text, nullptr, 0, nullptr);
}

TEST(CodePoints, UnsortedOffsetsInMixedWidthText) {
  const std::string text = "a\u00E9\u20AC\U0001F600b";
  std::vector<std::int64_t> offsets{10, 0, 6, 3, 11, 1, 3};
  bytes_to_code_points_unsorted(text, offsets);
  EXPECT_EQ(offsets, (std::vector<std::int64_t>{4, 0, 3, 2, 5, 1, 2}));
  std::vector<std::int64_t> none;
  bytes_to_code_points_unsorted(text, none);
  EXPECT_TRUE(none.empty());
}

TEST(CodePoints, AgreeWithNaiveDecodingAtEveryTokenBoundary) {
  std::string text;
  const char *pieces[] = {"word ",
                          "\u00E9t\u00E9 ",
                          "\u20AC100 ",
                          "\U0001F600\U0001F389 ",
                          "\u6771\u4EAC ",
                          "\u0E44\u0E17\u0E22 ",
                          "\u0645\u0631\u062D\u0628\u0627 "};
  testing::Rng rng(7);
  for (int i = 0; i < 400; ++i) text += pieces[rng.below(7)];
  std::vector<Token> toks;
  tokenize(text, toks);
  ASSERT_FALSE(toks.empty());
  std::vector<std::uint32_t> sorted;
  for (const Token &t : toks) sorted.push_back(t.start), sorted.push_back(t.end);
  std::vector<std::int64_t> cps(sorted.size());
  bytes_to_code_points(text, sorted.data(), sorted.size(), cps.data());
  std::vector<std::int64_t> shuffled(sorted.begin(), sorted.end());
  std::vector<std::size_t> perm(shuffled.size());
  for (std::size_t i = 0; i < perm.size(); ++i) perm[i] = i;
  for (std::size_t i = perm.size(); i > 1; --i) std::swap(perm[i - 1], perm[rng.below(i)]);
  std::vector<std::int64_t> permuted(perm.size());
  for (std::size_t i = 0; i < perm.size(); ++i) permuted[i] = shuffled[perm[i]];
  bytes_to_code_points_unsorted(text, permuted);
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    const std::int64_t naive = static_cast<std::int64_t>(decode(std::string_view(text).substr(0, sorted[i])).size());
    ASSERT_EQ(cps[i], naive) << "offset " << sorted[i];
  }
  for (std::size_t i = 0; i < perm.size(); ++i) ASSERT_EQ(permuted[i], cps[perm[i]]);
}

} // namespace
} // namespace storytrace

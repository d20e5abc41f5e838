#include "storytrace/text.hpp"

#include <unicode/brkiter.h>
#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utext.h>
#include <xxhash.h>

#include <algorithm>
#include <array>
#include <climits>
#include <cstring>
#include <memory>
#include <numeric>
#include <stdexcept>

namespace storytrace {
namespace {

// Decodes one code point at text[i]; returns its length in bytes, or 0 when it is invalid.
inline std::size_t utf8_length(const unsigned char *s, std::size_t avail, char32_t &cp) {
  const unsigned char c = s[0];
  if (c < 0x80) {
    cp = c;
    return 1;
  }
  std::size_t len;
  char32_t min;
  if ((c & 0xE0) == 0xC0) {
    len = 2, cp = c & 0x1F, min = 0x80;
  } else if ((c & 0xF0) == 0xE0) {
    len = 3, cp = c & 0x0F, min = 0x800;
  } else if ((c & 0xF8) == 0xF0) {
    len = 4, cp = c & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if (len > avail) return 0;
  for (std::size_t k = 1; k < len; ++k) {
    if ((s[k] & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (s[k] & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

// The typographic variants unified after NFKC casefold.
inline char32_t unify(char32_t cp) {
  switch (cp) {
  case 0x2019:
  case 0x2018:
  case 0x201A:
  case 0x201B:
  case 0x2032:
  case 0x02BC:
  case 0x0060:
  case 0x00B4: return U'\'';
  case 0x201C:
  case 0x201D:
  case 0x201E:
  case 0x201F:
  case 0x2033:
  case 0x00AB:
  case 0x00BB: return U'"';
  case 0x2010:
  case 0x2011:
  case 0x2012:
  case 0x2013:
  case 0x2014:
  case 0x2015:
  case 0x2212: return U'-';
  default: return cp;
  }
}

void append_utf8(std::string &out, char32_t cp) {
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

const icu::Normalizer2 &nfkc_casefold() {
  static const icu::Normalizer2 *instance = [] {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2 *n = icu::Normalizer2::getNFKCCasefoldInstance(status);
    if (U_FAILURE(status) || n == nullptr)
      throw std::runtime_error(std::string("ICU NFKC_Casefold is unavailable: ") + u_errorName(status));
    return n;
  }();
  return *instance;
}

// One word break iterator per thread, cloned from a prototype (creating one is costly).
icu::BreakIterator &word_breaker() {
  static const std::unique_ptr<icu::BreakIterator> prototype = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::BreakIterator> bi(icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status));
    if (U_FAILURE(status) || !bi)
      throw std::runtime_error(std::string("ICU word break is unavailable: ") + u_errorName(status));
    return bi;
  }();
  thread_local std::unique_ptr<icu::BreakIterator> local(prototype->clone());
  return *local;
}

// ASCII normalization: lower case, and ` unified with ' (normalize_word's ASCII fast path).
constexpr std::array<unsigned char, 128> kAsciiFold = [] {
  std::array<unsigned char, 128> t{};
  for (int c = 0; c < 128; ++c) t[c] = static_cast<unsigned char>(c >= 'A' && c <= 'Z' ? c + 32 : c == '`' ? '\'' : c);
  return t;
}();

struct UTextCloser {
  void operator()(UText *ut) const { utext_close(ut); }
};

} // namespace

std::size_t find_invalid_utf8(std::string_view text) {
  const auto *s = reinterpret_cast<const unsigned char *>(text.data());
  std::size_t i = 0;
  const std::size_t n = text.size();
  while (i < n) {
    // Skip ASCII eight bytes at a time.
    while (i + 8 <= n) {
      std::uint64_t w;
      std::memcpy(&w, s + i, 8);
      if (w & 0x8080808080808080ULL) break;
      i += 8;
    }
    if (i >= n) break;
    char32_t cp;
    const std::size_t len = utf8_length(s + i, n - i, cp);
    if (len == 0) return i;
    i += len;
  }
  return std::string_view::npos;
}

void normalize_word(std::string_view word, std::string &out) {
  out.clear();
  bool ascii = true;
  for (unsigned char c : word) {
    if (c >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) {
    out.reserve(word.size());
    for (unsigned char c : word) out.push_back(static_cast<char>(kAsciiFold[c]));
    return;
  }
  // NFKC would decompose two of the variants before they could be unified (″ into two
  // ′, ´ into a space and a combining accent): those are unified first. (Neither is
  // ever inside an ICU word, so token hashes do not change.)
  std::string pre;
  if (word.find("\xC2\xB4") != std::string_view::npos || word.find("\xE2\x80\xB3") != std::string_view::npos) {
    pre.reserve(word.size());
    for (std::size_t i = 0; i < word.size();) {
      if (word.compare(i, 2, "\xC2\xB4") == 0) {
        pre.push_back('\'');
        i += 2;
      } else if (word.compare(i, 3, "\xE2\x80\xB3") == 0) {
        pre.push_back('"');
        i += 3;
      } else {
        pre.push_back(word[i++]);
      }
    }
    word = pre;
  }
  std::string folded;
  folded.reserve(word.size() + 8);
  {
    UErrorCode status = U_ZERO_ERROR;
    icu::StringByteSink<std::string> sink(&folded);
    nfkc_casefold().normalizeUTF8(0, icu::StringPiece(word.data(), static_cast<int32_t>(word.size())), sink, nullptr,
                                  status);
    if (U_FAILURE(status)) throw std::runtime_error("ICU normalization failed");
  }
  out.reserve(folded.size());
  const auto *s = reinterpret_cast<const unsigned char *>(folded.data());
  std::size_t i = 0;
  while (i < folded.size()) {
    char32_t cp;
    std::size_t len = utf8_length(s + i, folded.size() - i, cp);
    if (len == 0) { // cannot happen for ICU output; keep the byte as it is
      out.push_back(folded[i]);
      ++i;
      continue;
    }
    const char32_t u = unify(cp);
    if (u == cp) {
      out.append(folded, i, len);
    } else {
      append_utf8(out, u);
    }
    i += len;
  }
}

std::string normalize_word(std::string_view word) {
  std::string out;
  normalize_word(word, out);
  return out;
}

namespace {

// Word-break classes of the fast path: the UAX #29 classes as ICU's root word rules use them
// (ICU takes the colon out of MidLetter). kUnknown marks what the fast path leaves to ICU:
// Extend, Format and ZWJ (they attach to what precedes them; ZWJ also to a pictograph after it),
// Hebrew letters and Double_Quote, Katakana, Regional_Indicator, and every script ICU segments with a dictionary
// (Han, Hiragana, Hangul syllables, Thai, Lao, Khmer, Myanmar...), and all supplementary planes.
enum Class : std::uint8_t {
  kOther = 0, // breaks on both sides: spaces, punctuation, symbols
  kLetter,
  kNumeric,
  kExtendNumLet,
  kMidLetter,
  kMidNum,
  kMidNumLet, // also Single_Quote, which acts as MidNumLet without Hebrew letters
  kUnknown,
};

// Per code point of the Basic Multilingual Plane: its class, and its normalized form when the
// normalization of a word is the concatenation of its code points' forms (NFKC casefold has a
// boundary before the code point: it never combines with what precedes it).
struct Tables {
  std::uint8_t cls[0x10000];
  std::uint32_t norm_off[0x10000]; // into pool; kIcu when the code point needs the whole word
  std::uint8_t norm_len[0x10000];
  std::string pool;
  static constexpr std::uint32_t kIcu = 0xFFFFFFFFu;
};

std::uint8_t classify(UChar32 c) {
  if (c >= 0xD800 && c <= 0xDFFF) return kUnknown;
  if (u_hasBinaryProperty(c, UCHAR_IDEOGRAPHIC) || u_getIntPropertyValue(c, UCHAR_LINE_BREAK) == U_LB_COMPLEX_CONTEXT)
    return kUnknown;
  const UScriptCode script = static_cast<UScriptCode>(u_getIntPropertyValue(c, UCHAR_SCRIPT));
  if (script == USCRIPT_HAN || script == USCRIPT_HIRAGANA || script == USCRIPT_KATAKANA || (c >= 0xAC00 && c <= 0xD7A3))
    return kUnknown;
  if (c == '@') return kLetter; // ICU's rules count @ as a letter (e-mail addresses, handles)
  switch (u_getIntPropertyValue(c, UCHAR_WORD_BREAK)) {
  case U_WB_ALETTER: return kLetter;
  case U_WB_NUMERIC: return kNumeric;
  case U_WB_EXTENDNUMLET: return kExtendNumLet;
  case U_WB_MIDLETTER: return (c == 0x3A || c == 0xFE55 || c == 0xFF1A) ? kOther : kMidLetter;
  case U_WB_MIDNUM: return kMidNum;
  case U_WB_MIDNUMLET:
  case U_WB_SINGLE_QUOTE: return kMidNumLet;
  case U_WB_OTHER:
  case U_WB_CR:
  case U_WB_LF:
  case U_WB_NEWLINE:
  case U_WB_WSEGSPACE: return kOther;
  default: return kUnknown; // Extend, Format, ZWJ, Hebrew_Letter, Double_Quote, Katakana, RI
  }
}

const Tables &tables() {
  static const std::unique_ptr<Tables> t = [] {
    auto tab = std::make_unique<Tables>();
    const icu::Normalizer2 &nfkc = nfkc_casefold();
    std::string one, norm;
    for (UChar32 c = 0; c < 0x10000; ++c) {
      tab->cls[c] = classify(c);
      tab->norm_off[c] = Tables::kIcu;
      tab->norm_len[c] = 0;
      if (c >= 0xD800 && c <= 0xDFFF) continue;
      // ´ and ″ are unified before NFKC (see normalize_word): they become ASCII.
      const bool pre_unified = c == 0xB4 || c == 0x2033;
      if (!pre_unified && !nfkc.hasBoundaryBefore(c)) continue;
      one.clear();
      append_utf8(one, static_cast<char32_t>(c));
      normalize_word(one, norm);
      if (norm.size() > 255) continue;
      tab->norm_off[c] = static_cast<std::uint32_t>(tab->pool.size());
      tab->norm_len[c] = static_cast<std::uint8_t>(norm.size());
      tab->pool += norm;
    }
    return tab;
  }();
  return *t;
}

inline bool is_ascii_space(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

// Decodes the code point at s[i] of valid UTF-8; returns its length.
inline std::size_t decode(const unsigned char *s, std::size_t i, char32_t &cp) {
  const unsigned char c = s[i];
  if (c < 0x80) return cp = c, 1;
  if (c < 0xE0) return cp = ((c & 0x1Fu) << 6) | (s[i + 1] & 0x3Fu), 2;
  if (c < 0xF0) return cp = ((c & 0x0Fu) << 12) | ((s[i + 1] & 0x3Fu) << 6) | (s[i + 2] & 0x3Fu), 3;
  cp = ((c & 0x07u) << 18) | ((s[i + 1] & 0x3Fu) << 12) | ((s[i + 2] & 0x3Fu) << 6) | (s[i + 3] & 0x3Fu);
  return 4;
}

// Appends the normalized form of `word` (as normalize_word gives it) to `out`.
void append_normalized(const Tables &tab, std::string_view word, std::string &out, std::string &scratch) {
  const auto *s = reinterpret_cast<const unsigned char *>(word.data());
  const std::size_t mark = out.size();
  for (std::size_t i = 0; i < word.size();) {
    const unsigned char b = s[i];
    if (b < 0x80) {
      out.push_back(static_cast<char>(kAsciiFold[b]));
      ++i;
      continue;
    }
    char32_t cp;
    const std::size_t len = decode(s, i, cp);
    if (cp >= 0x10000 || tab.norm_off[cp] == Tables::kIcu) {
      out.resize(mark);
      normalize_word(word, scratch);
      out += scratch;
      return;
    }
    out.append(tab.pool, tab.norm_off[cp], tab.norm_len[cp]);
    i += len;
  }
}

// Collects tokens, their normalized forms back to back (each followed by a space when
// `spaced`), and the offsets into those.
template <bool kHashes> struct Emitter {
  std::vector<Token> &tokens;
  std::string &normalized;
  std::vector<std::uint32_t> &offsets; // size tokens + 1
  std::string scratch;
  bool spaced = false;

  // The normalized form of the token has been appended to `normalized`.
  void emit(std::uint32_t start, std::uint32_t end) {
    const std::size_t mark = offsets.back();
    const std::size_t len = normalized.size() - mark;
    if (len == 0) return; // only default-ignorable characters
    tokens.push_back(Token{start, end, kHashes ? XXH3_64bits_withSeed(normalized.data() + mark, len, kHashSeed) : 0});
    if (spaced) normalized.push_back(' ');
    offsets.push_back(static_cast<std::uint32_t>(normalized.size()));
  }
  void truncate(std::size_t count) {
    tokens.resize(count);
    offsets.resize(count + 1);
    normalized.resize(offsets.back());
  }
};

// Calls word(start, end) for every segment of `text` that ICU's word break iterator marks as a
// word (letters, numbers, kana, ideographs), with byte offsets into `text`.
template <class F> void for_each_icu_word(std::string_view text, F &&word) {
  UErrorCode status = U_ZERO_ERROR;
  UText local = UTEXT_INITIALIZER;
  std::unique_ptr<UText, UTextCloser> ut(
      utext_openUTF8(&local, text.data(), static_cast<int64_t>(text.size()), &status));
  if (U_FAILURE(status)) throw std::runtime_error("ICU could not open the text");
  icu::BreakIterator &bi = word_breaker();
  bi.setText(ut.get(), status);
  if (U_FAILURE(status)) throw std::runtime_error("ICU could not set the text");
  // Leave the thread's iterator pointing at nothing that may be freed, whatever `word` does.
  struct Reset {
    icu::BreakIterator &bi;
    ~Reset() { bi.setText(icu::UnicodeString()); }
  } reset{bi};
  std::int32_t start = bi.first();
  for (std::int32_t end = bi.next(); end != icu::BreakIterator::DONE; start = end, end = bi.next()) {
    if (bi.getRuleStatus() < UBRK_WORD_NONE_LIMIT) continue; // spaces, punctuation, symbols
    word(static_cast<std::size_t>(start), static_cast<std::size_t>(end));
  }
}

// ICU's word break over text[from, to), which begins and ends at certain word boundaries.
template <bool kHashes>
void tokenize_region(std::string_view text, std::size_t from, std::size_t to, const Tables &tab, Emitter<kHashes> &em) {
  for_each_icu_word(text.substr(from, to - from), [&](std::size_t start, std::size_t end) {
    const auto a = static_cast<std::uint32_t>(from + start), b = static_cast<std::uint32_t>(from + end);
    append_normalized(tab, text.substr(a, b - a), em.normalized, em.scratch);
    em.emit(a, b);
  });
}

// Empties the outputs of a tokenizer; false when there is nothing to tokenize. Documents of
// 2 GiB or more (ICU's limit) are rejected.
bool start_tokens(std::string_view text, std::vector<Token> &tokens, std::string *normalized,
                  std::vector<std::uint32_t> *norm_offsets) {
  tokens.clear();
  if (normalized) normalized->clear();
  if (norm_offsets) {
    norm_offsets->clear();
    norm_offsets->push_back(0);
  }
  if (text.size() > static_cast<std::size_t>(INT32_MAX))
    throw std::length_error("a document is larger than 2 GiB; split it into smaller documents");
  return !text.empty();
}

inline bool is_wordish(std::uint8_t c) { return c == kLetter || c == kNumeric || c == kExtendNumLet; }

// tokenize; without kHashes, the tokens' bounds alone (hash 0), and ASCII words are not folded.
template <bool kHashes>
void tokenize_with(std::string_view text, std::vector<Token> &tokens, std::string *normalized,
                   std::vector<std::uint32_t> *norm_offsets, bool spaced) {
  if (!start_tokens(text, tokens, normalized, norm_offsets)) return;

  // The fast path applies UAX #29's word rules (WB5-WB13b) to the classes above. A stretch of
  // text between ASCII white space that holds a code point of class kUnknown goes to ICU whole:
  // ICU's boundaries are certain at the start of a run of ASCII white space and just before
  // it, so both paths give exactly ICU's tokens.
  const Tables &tab = tables();
  std::string own;
  std::vector<std::uint32_t> own_offsets{0};
  Emitter<kHashes> em{tokens, normalized ? *normalized : own, norm_offsets ? *norm_offsets : own_offsets, {}, spaced};
  const auto *s = reinterpret_cast<const unsigned char *>(text.data());
  const std::size_t n = text.size();
  // News text has a token every six bytes or so: one reservation instead of many regrowths.
  tokens.reserve(n / 4 + 4);
  em.offsets.reserve(n / 4 + 5);
  em.normalized.reserve(n + 16);

  std::size_t ws_start = 0;  // where the run of white space before the current stretch starts
  std::size_t ws_tokens = 0; // tokens emitted before ws_start
  std::size_t i = 0;
  auto cls_at = [&](std::size_t at, std::size_t &len) -> std::uint8_t {
    if (s[at] < 0x80) return len = 1, tab.cls[s[at]];
    char32_t cp;
    len = decode(s, at, cp);
    return cp < 0x10000 ? tab.cls[cp] : static_cast<std::uint8_t>(kUnknown);
  };
  while (i < n) {
    if (is_ascii_space(s[i])) {
      if (i == 0 || !is_ascii_space(s[i - 1])) ws_start = i, ws_tokens = tokens.size();
      ++i;
      continue;
    }
    std::size_t len;
    std::uint8_t c = cls_at(i, len);
    if (c == kUnknown) {
      // Hand the whole stretch to ICU: from the white space before it to the next white space.
      std::size_t to = i + len;
      while (to < n && !is_ascii_space(s[to])) ++to;
      em.truncate(ws_tokens);
      tokenize_region(text, ws_start, to, tab, em);
      ws_start = to, ws_tokens = tokens.size();
      i = to;
      continue;
    }
    if (!is_wordish(c)) {
      i += len;
      continue;
    }
    // A word: letters, digits and connectors, joined across one MidLetter / MidNum / MidNumLet
    // between letters (WB6, WB7) or digits (WB11, WB12).
    const std::size_t start = i;
    // Connectors alone make a word only two or more together (ICU's rule 13a, status 200).
    bool word = c != kExtendNumLet;
    std::size_t connectors = !word;
    std::uint8_t prev = c;
    std::size_t j = i + len;
    bool unknown = false, ascii = len == 1;
    while (j < n) {
      // Runs of ASCII letters and digits, the bulk of news text.
      if (s[j] < 0x80 && (tab.cls[s[j]] == kLetter || tab.cls[s[j]] == kNumeric)) {
        do ++j;
        while (j < n && s[j] < 0x80 && (tab.cls[s[j]] == kLetter || tab.cls[s[j]] == kNumeric));
        word = true, prev = tab.cls[s[j - 1]];
        continue;
      }
      std::size_t l1;
      const std::uint8_t c1 = cls_at(j, l1);
      if (c1 == kUnknown) {
        unknown = true;
        break;
      }
      ascii &= l1 == 1;
      if (is_wordish(c1)) {
        if (c1 == kExtendNumLet)
          ++connectors;
        else
          word = true;
        prev = c1, j += l1;
        continue;
      }
      const bool mid_letter = prev == kLetter && (c1 == kMidLetter || c1 == kMidNumLet);
      const bool mid_num = prev == kNumeric && (c1 == kMidNum || c1 == kMidNumLet);
      if ((mid_letter || mid_num) && j + l1 < n) {
        std::size_t l2;
        const std::uint8_t c2 = cls_at(j + l1, l2);
        if (c2 == kUnknown) {
          unknown = true;
          break;
        }
        if (c2 == prev) {
          ascii &= l2 == 1;
          j += l1 + l2;
          continue;
        }
      }
      break;
    }
    if (unknown) {
      i = j; // the loop above meets the unknown code point again and hands the stretch to ICU
      continue;
    }
    if (word || connectors >= 2) {
      if (!kHashes && ascii) {
        tokens.push_back(Token{static_cast<std::uint32_t>(start), static_cast<std::uint32_t>(j), 0});
        em.offsets.push_back(static_cast<std::uint32_t>(em.normalized.size()));
      } else if (ascii) {
        // Folded in a small buffer and appended (no zero-filling resize per token).
        char buf[64];
        for (std::size_t k = start; k < j;) {
          const std::size_t m = std::min<std::size_t>(sizeof buf, j - k);
          for (std::size_t x = 0; x < m; ++x) buf[x] = static_cast<char>(kAsciiFold[s[k + x]]);
          em.normalized.append(buf, m);
          k += m;
        }
      } else {
        append_normalized(tab, text.substr(start, j - start), em.normalized, em.scratch);
      }
      em.emit(static_cast<std::uint32_t>(start), static_cast<std::uint32_t>(j));
    }
    i = j;
  }
}

} // namespace

void tokenize(std::string_view text, std::vector<Token> &tokens, std::string *normalized,
              std::vector<std::uint32_t> *norm_offsets, bool spaced) {
  tokenize_with<true>(text, tokens, normalized, norm_offsets, spaced);
}

void token_bounds(std::string_view text, std::vector<Token> &tokens) {
  tokenize_with<false>(text, tokens, nullptr, nullptr, false);
}

void tokenize_icu(std::string_view text, std::vector<Token> &tokens, std::string *normalized,
                  std::vector<std::uint32_t> *norm_offsets) {
  if (!start_tokens(text, tokens, normalized, norm_offsets)) return;
  std::string word;
  for_each_icu_word(text, [&](std::size_t start, std::size_t end) {
    normalize_word(text.substr(start, end - start), word);
    if (word.empty()) return; // only default-ignorable characters
    tokens.push_back(Token{static_cast<std::uint32_t>(start), static_cast<std::uint32_t>(end),
                           XXH3_64bits_withSeed(word.data(), word.size(), kHashSeed)});
    if (normalized) {
      normalized->append(word);
      if (norm_offsets) norm_offsets->push_back(static_cast<std::uint32_t>(normalized->size()));
    }
  });
}

void bytes_to_code_points(std::string_view text, const std::uint32_t *byte_offsets, std::size_t count,
                          std::int64_t *out) {
  const auto *s = reinterpret_cast<const unsigned char *>(text.data());
  std::size_t pos = 0;
  std::int64_t cps = 0;
  for (std::size_t k = 0; k < count; ++k) {
    const std::size_t target = std::min<std::size_t>(byte_offsets[k], text.size());
    for (; pos < target; ++pos) cps += (s[pos] & 0xC0) != 0x80;
    out[k] = cps;
  }
}

void bytes_to_code_points_unsorted(std::string_view text, std::vector<std::int64_t> &offsets) {
  std::vector<std::size_t> order(offsets.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) { return offsets[x] < offsets[y]; });
  const auto *s = reinterpret_cast<const unsigned char *>(text.data());
  std::size_t pos = 0;
  std::int64_t cps = 0;
  for (std::size_t k : order) {
    const std::size_t target = std::min<std::size_t>(static_cast<std::size_t>(offsets[k]), text.size());
    for (; pos < target; ++pos) cps += (s[pos] & 0xC0) != 0x80;
    offsets[k] = cps;
  }
}

} // namespace storytrace

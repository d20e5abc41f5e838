#include "storytrace/text.hpp"

#include <unicode/brkiter.h>
#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>
#include <unicode/utext.h>
#include <xxhash.h>

#include <algorithm>
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
    for (unsigned char c : word) {
      if (c == '`') c = '\'';
      out.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c));
    }
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

void tokenize(std::string_view text, std::vector<Token> &tokens, std::string *normalized,
              std::vector<std::uint32_t> *norm_offsets) {
  tokens.clear();
  if (normalized) normalized->clear();
  if (norm_offsets) {
    norm_offsets->clear();
    norm_offsets->push_back(0);
  }
  if (text.empty()) return;
  if (text.size() > static_cast<std::size_t>(INT32_MAX))
    throw std::length_error("a document is larger than 2 GiB; split it into smaller documents");

  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<UText, UTextCloser> ut(
      utext_openUTF8(nullptr, text.data(), static_cast<int64_t>(text.size()), &status));
  if (U_FAILURE(status)) throw std::runtime_error("ICU could not open the text");
  icu::BreakIterator &bi = word_breaker();
  bi.setText(ut.get(), status);
  if (U_FAILURE(status)) throw std::runtime_error("ICU could not set the text");

  std::string word;
  std::int32_t start = bi.first();
  for (std::int32_t end = bi.next(); end != icu::BreakIterator::DONE; start = end, end = bi.next()) {
    if (bi.getRuleStatus() < UBRK_WORD_NONE_LIMIT) continue; // spaces, punctuation, symbols
    const std::string_view raw = text.substr(static_cast<std::size_t>(start), static_cast<std::size_t>(end - start));
    normalize_word(raw, word);
    if (word.empty()) continue; // only default-ignorable characters
    tokens.push_back(Token{static_cast<std::uint32_t>(start), static_cast<std::uint32_t>(end),
                           XXH3_64bits_withSeed(word.data(), word.size(), kHashSeed)});
    if (normalized) {
      normalized->append(word);
      if (norm_offsets) norm_offsets->push_back(static_cast<std::uint32_t>(normalized->size()));
    }
  }
  // Leave the thread's iterator pointing at nothing that may be freed.
  bi.setText(icu::UnicodeString());
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

#include "storytrace/credits.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace storytrace {
namespace {

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char &c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  return out;
}

bool is_space_at(std::string_view t, std::size_t i, std::size_t *len) {
  if (i >= t.size()) return false;
  const char c = t[i];
  if (c == ' ' || c == '\t' || c == '\r') return *len = 1, true;
  if (c == '\xC2' && i + 1 < t.size() && t[i + 1] == '\xA0') return *len = 2, true; // NBSP
  return false;
}

// Trims spaces and collapses inner runs of spaces into one ' '.
std::string collapse_spaces(std::string_view s) {
  std::string out;
  bool pending = false;
  for (std::size_t i = 0; i < s.size();) {
    std::size_t len = 0;
    if (is_space_at(s, i, &len) || s[i] == '\n') {
      pending = !out.empty();
      i += len ? len : 1;
      continue;
    }
    if (pending) out.push_back(' '), pending = false;
    out.push_back(s[i++]);
  }
  return out;
}

bool has_ascii_letter(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); });
}

bool starts_with_at(std::string_view t, std::size_t i, std::string_view p) {
  return t.size() >= i + p.size() && t.compare(i, p.size(), p) == 0;
}

std::size_t skip_spaces(std::string_view t, std::size_t i) {
  std::size_t len = 0;
  while (is_space_at(t, i, &len)) i += len;
  return i;
}

// Position just after the preceding spaces, going backwards from i.
std::size_t skip_spaces_back(std::string_view t, std::size_t i) {
  while (i > 0) {
    if (t[i - 1] == ' ' || t[i - 1] == '\t' || t[i - 1] == '\r') {
      --i;
    } else if (i >= 2 && t[i - 2] == '\xC2' && t[i - 1] == '\xA0') {
      i -= 2;
    } else {
      break;
    }
  }
  return i;
}

// A credit in brackets is a credit only where a credit stands: at the start of a line, after a
// dateline in capitals, or before a dash, a colon or the end of a paragraph.
bool credit_context(std::string_view t, std::size_t open, std::size_t close_end) {
  const std::size_t after = skip_spaces(t, close_end);
  if (after >= t.size() || t[after] == '\n') return true;
  if (t[after] == '-' || t[after] == ':' || starts_with_at(t, after, "\xE2\x80\x93") ||
      starts_with_at(t, after, "\xE2\x80\x94"))
    return true;
  if (t[after] == '.') {
    const std::size_t next = skip_spaces(t, after + 1);
    if (next >= t.size() || t[next] == '\n') return true;
  }
  const std::size_t before = skip_spaces_back(t, open);
  if (before == 0 || t[before - 1] == '\n') return true;
  // A dateline: an upper-case word of three letters or more just before ("WASHINGTON (AA)").
  std::size_t k = before, upper = 0;
  while (k > 0 && t[k - 1] >= 'A' && t[k - 1] <= 'Z') --k, ++upper;
  return upper >= 3 && (k == 0 || !((t[k - 1] >= 'a' && t[k - 1] <= 'z')));
}

// Whether the words just before a bracketed acronym spell it out ("Alcoholics Anonymous (AA)",
// "the Associated Press (AP)"): an abbreviation being defined, not a credit.
bool spelled_out_before(std::string_view t, std::size_t open, std::string_view acronym) {
  std::string letters;
  for (char c : acronym) {
    if (c >= 'A' && c <= 'Z')
      letters.push_back(c);
    else if (c != '.' && c != ' ')
      return false; // not an acronym in capitals
  }
  if (letters.size() < 2 || letters.size() > 8) return false;
  std::string initials; // of the preceding words on the line, last word first
  std::size_t i = open;
  while (initials.size() < letters.size()) {
    i = skip_spaces_back(t, i);
    std::size_t start = i;
    while (start > 0 && t[start - 1] != ' ' && t[start - 1] != '\n' && t[start - 1] != '\t') --start;
    if (start == i) break;
    const char c = t[start];
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) break;
    initials.insert(initials.begin(), static_cast<char>(c & ~0x20));
    i = start;
  }
  return initials == letters;
}

} // namespace

const std::vector<std::pair<std::string, std::string>> &AliasTable::default_entries() {
  static const std::vector<std::pair<std::string, std::string>> entries = {
      {"AP", "Associated Press"},
      {"Associated Press", "Associated Press"},
      {"The Associated Press", "Associated Press"},
      {"أسوشيتد برس", "Associated Press"},
      {"Reuters", "Reuters"},
      {"REUTERS", "Reuters"},
      {"Thomson Reuters", "Reuters"},
      {"رويترز", "Reuters"},
      {"路透社", "Reuters"},
      {"Рейтер", "Reuters"},
      {"로이터", "Reuters"},
      {"AFP", "Agence France-Presse"},
      {"Agence France-Presse", "Agence France-Presse"},
      {"Agence France Presse", "Agence France-Presse"},
      {"أ ف ب", "Agence France-Presse"},
      {"أ.ف.ب", "Agence France-Presse"},
      {"法新社", "Agence France-Presse"},
      {"АФП", "Agence France-Presse"},
      {"AA", "Anadolu Agency"},
      {"Anadolu", "Anadolu Agency"},
      {"Anadolu Agency", "Anadolu Agency"},
      {"Anadolu Ajansı", "Anadolu Agency"},
      {"الأناضول", "Anadolu Agency"},
      {"Анадолу", "Anadolu Agency"},
      {"dpa", "Deutsche Presse-Agentur"},
      {"DPA", "Deutsche Presse-Agentur"},
      {"Deutsche Presse-Agentur", "Deutsche Presse-Agentur"},
      {"د ب أ", "Deutsche Presse-Agentur"},
      {"Xinhua", "Xinhua"},
      {"新华社", "Xinhua"},
      {"新華社", "Xinhua"},
      {"شينخوا", "Xinhua"},
      {"Синьхуа", "Xinhua"},
      {"EFE", "EFE"},
      {"ANSA", "ANSA"},
      {"Europa Press", "Europa Press"},
      {"Kyodo", "Kyodo News"},
      {"Kyodo News", "Kyodo News"},
      {"共同", "Kyodo News"},
      {"共同通信", "Kyodo News"},
      {"Jiji", "Jiji Press"},
      {"Jiji Press", "Jiji Press"},
      {"時事", "Jiji Press"},
      {"Yonhap", "Yonhap"},
      {"연합뉴스", "Yonhap"},
      {"TASS", "TASS"},
      {"Tass", "TASS"},
      {"ТАСС", "TASS"},
      {"RIA Novosti", "RIA Novosti"},
      {"РИА Новости", "RIA Novosti"},
      {"Interfax", "Interfax"},
      {"Интерфакс", "Interfax"},
      {"PTI", "Press Trust of India"},
      {"Press Trust of India", "Press Trust of India"},
      {"IANS", "Indo-Asian News Service"},
      {"ANI", "Asian News International"},
      {"UNI", "United News of India"},
      {"APP", "Associated Press of Pakistan"},
      {"اے پی پی", "Associated Press of Pakistan"},
      {"Associated Press of Pakistan", "Associated Press of Pakistan"},
      {"Bernama", "Bernama"},
      {"BERNAMA", "Bernama"},
      {"Antara", "Antara"},
      {"KUNA", "Kuwait News Agency"},
      {"كونا", "Kuwait News Agency"},
      {"SPA", "Saudi Press Agency"},
      {"واس", "Saudi Press Agency"},
      {"WAM", "Emirates News Agency"},
      {"وام", "Emirates News Agency"},
      {"IRNA", "Islamic Republic News Agency"},
      {"إرنا", "Islamic Republic News Agency"},
      {"ایرنا", "Islamic Republic News Agency"},
      {"MENA", "Middle East News Agency"},
      {"أ ش أ", "Middle East News Agency"},
      {"SANA", "Syrian Arab News Agency"},
      {"سانا", "Syrian Arab News Agency"},
      {"CP", "Canadian Press"},
      {"The Canadian Press", "Canadian Press"},
      {"Canadian Press", "Canadian Press"},
      {"AAP", "Australian Associated Press"},
      {"PA Media", "PA Media"},
      {"Press Association", "PA Media"},
      {"UPI", "United Press International"},
      {"Bloomberg", "Bloomberg"},
      {"PAP", "Polish Press Agency"},
      {"APA", "Austria Presse Agentur"},
      {"Lusa", "Lusa"},
      {"Prensa Latina", "Prensa Latina"},
      {"Ukrinform", "Ukrinform"},
      {"Sputnik", "Sputnik"},
      {"Notimex", "Notimex"},
      {"Belga", "Belga"},
      {"NTB", "NTB"},
  };
  return entries;
}

AliasTable AliasTable::defaults() {
  AliasTable t;
  for (const auto &[alias, canonical] : default_entries()) t.add(alias, canonical);
  return t;
}

std::int32_t AliasTable::agency_id(std::string_view canonical) const {
  auto it = agency_ids_.find(std::string(canonical));
  return it == agency_ids_.end() ? -1 : it->second;
}

std::int32_t AliasTable::add(std::string_view alias, std::string_view canonical) {
  const std::string name = collapse_spaces(canonical);
  const std::string key = collapse_spaces(alias);
  if (name.empty() || key.empty()) throw std::invalid_argument("a credit alias and its agency name must not be empty");
  std::int32_t id = agency_id(name);
  if (id < 0) {
    id = static_cast<std::int32_t>(agencies_.size());
    agencies_.push_back(name);
    agency_ids_.emplace(name, id);
    folded_[ascii_lower(name)] = id;
  }
  aliases_[key] = id;
  folded_[ascii_lower(key)] = id;
  return id;
}

std::int32_t AliasTable::find(std::string_view alias) const {
  auto it = aliases_.find(collapse_spaces(alias));
  return it == aliases_.end() ? -1 : it->second;
}

std::int32_t AliasTable::find_outlet(std::string_view outlet) const {
  std::string key = ascii_lower(collapse_spaces(outlet));
  if (key.empty()) return -1;
  auto it = folded_.find(key);
  if (it != folded_.end()) return it->second;
  // A host name such as "reuters.com" or "www.aa.com.tr": its first label that is not "www".
  if (key.find('.') != std::string::npos && key.find(' ') == std::string::npos) {
    std::size_t start = key.rfind("www.", 0) == 0 ? 4 : 0;
    const std::size_t dot = key.find('.', start);
    it = folded_.find(key.substr(start, dot - start));
    if (it != folded_.end()) return it->second;
  }
  return -1;
}

std::vector<std::pair<std::string, std::string>> AliasTable::entries() const {
  std::vector<std::pair<std::string, std::string>> out;
  out.reserve(aliases_.size());
  for (const auto &[alias, id] : aliases_) out.emplace_back(alias, agencies_[static_cast<std::size_t>(id)]);
  std::sort(out.begin(), out.end());
  return out;
}

namespace {

inline bool may_start(std::string_view t, std::size_t i) {
  const char c = t[i], next = i + 1 < t.size() ? t[i + 1] : '\0';
  switch (c) {
  case '(': // brackets: ( ), （ ）, 【 】 and /ТАСС/
  case '/':
  case '\xEF':
  case '\xE3':
  case '\xE6': // 新 of a Chinese dateline
    return true;
  case 'C': // Copyright
  case 'c': return next == 'o' || next == 'O';
  case '\xC2': // ©
    return next == '\xA9';
  case 'B': // a byline, on a line of its own
    return i == 0 || t[i - 1] == '\n';
  default: return false;
  }
}

} // namespace

bool may_start_credit(std::string_view t, std::size_t i) { return may_start(t, i); }

std::size_t next_credit_start(std::string_view t, std::size_t i) {
#if defined(__GNUC__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  // Sixteen bytes at a time: a credit can start only at one of the bytes above (or "C"/"c" before
  // "O"/"o"), and only the lanes that hold one are looked at.
  using Bytes = unsigned char __attribute__((vector_size(16)));
  const auto *p = reinterpret_cast<const unsigned char *>(t.data());
  for (; i + 17 <= t.size(); i += 16) {
    Bytes v, n;
    std::memcpy(&v, p + i, 16);
    std::memcpy(&n, p + i + 1, 16);
    const auto hit = (v == '(') | (v == '/') | (v == 0xEF) | (v == 0xE3) | (v == 0xE6) | (v == 0xC2) | (v == 'B') |
                     (((v | 0x20) == 'c') & ((n | 0x20) == 'o'));
    std::uint64_t words[2];
    std::memcpy(words, &hit, 16);
    for (int w = 0; w < 2; ++w)
      for (std::uint64_t m = words[w]; m != 0;) {
        const int lane = __builtin_ctzll(m) / 8; // lanes are bytes, the first the lowest
        if (may_start(t, i + 8 * static_cast<std::size_t>(w) + static_cast<std::size_t>(lane)))
          return i + 8 * static_cast<std::size_t>(w) + static_cast<std::size_t>(lane);
        m &= ~(std::uint64_t{0xFF} << (8 * lane));
      }
  }
#endif
  while (i < t.size() && !may_start(t, i)) ++i;
  return i;
}

std::vector<Credit> find_credits(std::string_view t, const AliasTable &table) {
  std::vector<Credit> out;
  auto emit = [&](std::int32_t agency, std::size_t start, std::size_t end) {
    out.push_back(Credit{agency, static_cast<std::uint32_t>(start), static_cast<std::uint32_t>(end)});
  };
  // Agencies named by a bracketed text: the whole of it, or every part of "A/B", "A, B",
  // "place=agency" (Korean datelines) or, in 【】, its end ("ワシントン共同").
  auto bracket_agencies = [&](std::string_view inner, bool suffix_ok, std::vector<std::int32_t> &ids) {
    ids.clear();
    const std::string content = collapse_spaces(inner);
    if (content.empty() || content.size() > 64) return;
    if (std::int32_t id = table.find(content); id >= 0) return ids.push_back(id);
    std::string_view c = content;
    if (const std::size_t eq = c.rfind('='); eq != std::string_view::npos) c = c.substr(eq + 1);
    std::size_t start = 0;
    while (start <= c.size()) {
      std::size_t stop = c.find_first_of("/,;", start);
      if (stop == std::string_view::npos) stop = c.size();
      const std::string part = collapse_spaces(c.substr(start, stop - start));
      const std::int32_t id = table.find(part);
      if (id < 0) {
        ids.clear();
        break;
      }
      ids.push_back(id);
      start = stop + 1;
    }
    if (ids.empty() && suffix_ok) {
      for (std::size_t k = 0; k < c.size(); ++k) {
        if ((static_cast<unsigned char>(c[k]) & 0xC0) == 0x80) continue;
        if (std::int32_t id = table.find(c.substr(k)); id >= 0) return ids.push_back(id);
      }
    }
  };

  std::vector<std::int32_t> ids;
  for (std::size_t i = next_credit_start(t, 0); i < t.size(); i = next_credit_start(t, i + 1)) {
    const char c = t[i];
    // Brackets: ( ), （ ）, 【 】 and /ТАСС/.
    std::string_view open, close;
    if (c == '(')
      open = "(", close = ")";
    else if (starts_with_at(t, i, "\xEF\xBC\x88"))
      open = "\xEF\xBC\x88", close = "\xEF\xBC\x89";
    else if (starts_with_at(t, i, "\xE3\x80\x90"))
      open = "\xE3\x80\x90", close = "\xE3\x80\x91";
    else if (c == '/' && (i == 0 || t[i - 1] == ' ' || t[i - 1] == '.' || t[i - 1] == '\n'))
      open = "/", close = "/";
    if (!open.empty()) {
      const std::size_t inner = i + open.size();
      // Only a short bracket on one line can be a credit: look no further than 96 bytes.
      const std::string_view window = t.substr(inner, std::min<std::size_t>(96 + close.size(), t.size() - inner));
      const std::size_t found = window.find(close);
      const std::size_t stop = found == std::string_view::npos ? found : inner + found;
      if (stop != std::string_view::npos && t.substr(inner, stop - inner).find('\n') == std::string_view::npos) {
        const std::string_view content = t.substr(inner, stop - inner);
        const bool lenticular = open == "\xE3\x80\x90";
        bracket_agencies(content, lenticular, ids);
        if (open == "/" && ids.size() != 1) ids.clear();
        const std::size_t end = stop + close.size();
        const bool ok = !ids.empty() && (lenticular || open == "/" || content.find('=') != std::string_view::npos ||
                                         !has_ascii_letter(content) ||
                                         (credit_context(t, i, end) && !spelled_out_before(t, i, content)));
        if (ok) {
          for (std::int32_t id : ids) emit(id, i, end);
          i = end - 1;
          continue;
        }
      }
    }
    // Copyright lines: "Copyright 2024 Thomson Reuters", "© 2024 The Associated Press".
    // Each kind of credit below starts with a byte of its own: most bytes that may start one
    // ("c" is a common letter) are passed over by it and the byte after it.
    const char next = i + 1 < t.size() ? t[i + 1] : '\0';
    std::size_t after = std::string_view::npos;
    if (((c == 'C' || c == 'c') && (next == 'o' || next == 'O')) || (c == '\xC2' && next == '\xA9')) {
      for (std::string_view mark : {std::string_view("Copyright"), std::string_view("COPYRIGHT"),
                                    std::string_view("copyright"), std::string_view("\xC2\xA9")}) {
        if (starts_with_at(t, i, mark)) {
          after = i + mark.size();
          break;
        }
      }
    }
    if (after != std::string_view::npos) {
      std::size_t k = skip_spaces(t, after);
      if (starts_with_at(t, k, "\xC2\xA9")) k = skip_spaces(t, k + 2);
      if (starts_with_at(t, k, "(c)") || starts_with_at(t, k, "(C)")) k = skip_spaces(t, k + 3);
      while (k < t.size() && ((t[k] >= '0' && t[k] <= '9') || t[k] == '-' || t[k] == ',')) ++k;
      k = skip_spaces(t, k);
      // The longest run of up to five words that is an alias.
      std::size_t best_end = 0;
      std::int32_t best = -1;
      std::size_t w = k;
      for (int words = 0; words < 5 && w < t.size() && t[w] != '\n'; ++words) {
        while (w < t.size() && t[w] != ' ' && t[w] != '\n' && t[w] != '.' && t[w] != ',' && t[w] != ';') ++w;
        if (std::int32_t id = table.find(t.substr(k, w - k)); id >= 0) best = id, best_end = w;
        if (w >= t.size() || t[w] != ' ') break;
        ++w;
      }
      if (best >= 0) {
        emit(best, i, best_end);
        i = best_end - 1;
        continue;
      }
    }
    // Bylines naming an agency on a line of their own: "By Reuters", "By The Associated Press".
    if (c == 'B' && (i == 0 || t[i - 1] == '\n') && (starts_with_at(t, i, "By ") || starts_with_at(t, i, "BY "))) {
      std::size_t eol = t.find('\n', i);
      if (eol == std::string_view::npos) eol = t.size();
      std::string_view name = t.substr(i + 3, eol - i - 3);
      while (!name.empty() && (name.back() == ' ' || name.back() == '\r' || name.back() == '.')) name.remove_suffix(1);
      for (std::string_view suffix : {std::string_view(" Staff"), std::string_view(" staff")})
        if (name.size() > suffix.size() && name.substr(name.size() - suffix.size()) == suffix)
          name.remove_suffix(suffix.size());
      if (std::int32_t id = table.find(name); id >= 0) {
        emit(id, i, eol);
        i = eol - 1;
        continue;
      }
    }
    // Chinese datelines: "新华社北京4月19日电" at the start of a line.
    for (std::string_view agency : {std::string_view("新华社"), std::string_view("新華社")}) {
      if (c != '\xE6') break;
      if ((i == 0 || t[i - 1] == '\n' || starts_with_at(t, i >= 3 ? i - 3 : 0, "\xEF\xBC\x88")) &&
          starts_with_at(t, i, agency)) {
        const std::size_t limit = std::min(t.size(), i + agency.size() + 48);
        const std::size_t dian = t.substr(0, limit).find("电", i + agency.size());
        if (dian != std::string_view::npos && t.substr(i, dian - i).find('\n') == std::string_view::npos) {
          if (const std::int32_t id = table.find(agency); id >= 0) {
            emit(id, i, dian + std::string_view("电").size());
            i = dian + 2;
          }
          break;
        }
      }
    }
  }
  return out;
}

} // namespace storytrace

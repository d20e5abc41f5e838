// Credits: explicit attributions inside a text, mapped to canonical agency names.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace storytrace {

// Aliases ("AP", "Reuters", "اے پی پی", "新华社") mapped to canonical agency names.
class AliasTable {
public:
  // The built-in table of the major agencies, in the scripts they write their credits in.
  static AliasTable defaults();
  static const std::vector<std::pair<std::string, std::string>> &default_entries();

  // Adds or replaces an alias; returns the agency id of `canonical` (created if new).
  std::int32_t add(std::string_view alias, std::string_view canonical);
  // Agency id of an alias as written in a credit (exact, after collapsing spaces), or -1.
  std::int32_t find(std::string_view alias) const;
  // Agency id of an outlet name: an alias or canonical name, ignoring ASCII case; or -1.
  std::int32_t find_outlet(std::string_view outlet) const;
  std::int32_t agency_id(std::string_view canonical) const;

  const std::vector<std::string> &agencies() const { return agencies_; }
  std::vector<std::pair<std::string, std::string>> entries() const;

private:
  std::vector<std::string> agencies_;
  std::unordered_map<std::string, std::int32_t> agency_ids_;
  std::unordered_map<std::string, std::int32_t> aliases_;
  std::unordered_map<std::string, std::int32_t> folded_; // ASCII-lowercased aliases and names
};

struct Credit {
  std::int32_t agency;
  std::uint32_t start, end; // byte span of the credit in the text
};

// Finds credits: a dateline or closing credit in brackets ("WASHINGTON (AA) -", "(Anadolu)" at
// the end of a paragraph, "(서울=연합뉴스)", "【共同】", "/ТАСС/"), a copyright line
// ("Copyright 2024 Thomson Reuters", "© 2024 The Associated Press") and a byline naming an
// agency ("By Reuters"). Attributions of facts ("according to CBS News") are not credits.
std::vector<Credit> find_credits(std::string_view text, const AliasTable &table);

// Whether a credit find_credits looks for may start at text[i] (by the byte there and the one
// before or after it), and the first such i at or after `from` (text.size() when there is none).
bool may_start_credit(std::string_view text, std::size_t i);
std::size_t next_credit_start(std::string_view text, std::size_t from);

} // namespace storytrace

#include "storytrace/types.hpp"

#include <string>
#include <xxhash.h>

#include "storytrace/common.hpp"

namespace storytrace {

std::uint64_t global_id(IdKind kind, std::string_view text) {
  std::string tagged;
  tagged.reserve(text.size() + 1);
  tagged.push_back(static_cast<char>(kind));
  tagged.append(text);
  return XXH3_64bits_withSeed(tagged.data(), tagged.size(), kHashSeed) >> 1;
}

const char *passage_kind_name(PassageKind kind) {
  switch (kind) {
  case PassageKind::Verbatim: return "verbatim";
  case PassageKind::Rewrite: return "rewrite";
  case PassageKind::Vocabulary: return "vocabulary";
  }
  return "?";
}

} // namespace storytrace

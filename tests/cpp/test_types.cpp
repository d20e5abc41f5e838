// The types the stages share: global document ids and passage kinds.
#include <gtest/gtest.h>

#include <cstdint>
#include <set>
#include <string>

#include "storytrace/types.hpp"

namespace storytrace {
namespace {

TEST(GlobalId, IsTheDocumentedHash) {
  // XXH3-64 (kHashSeed) of the tag byte and the id, shifted right by one (worked out apart, with
  // the xxhash Python package): changing it renames every story.
  EXPECT_EQ(global_id(IdKind::Str, "a-123"), 0x44ccfe108272646aULL);
  EXPECT_EQ(global_id(IdKind::Int, "7"), 0x6fc85e7214e8019dULL);
  EXPECT_EQ(global_id(IdKind::Str, "7"), 0x5bab4e35e19c9393ULL);
}

TEST(GlobalId, FitsASignedIntegerAndSeldomCollides) {
  std::set<std::uint64_t> seen;
  for (int i = 0; i < 20000; ++i) {
    for (IdKind kind : {IdKind::Str, IdKind::Int}) {
      const std::uint64_t g = global_id(kind, std::to_string(i));
      EXPECT_LT(g, std::uint64_t{1} << 63);
      seen.insert(g);
    }
  }
  EXPECT_EQ(seen.size(), 40000u);
  EXPECT_NE(global_id(IdKind::Str, ""), global_id(IdKind::Int, ""));
}

TEST(PassageKind, NamesAndCodes) {
  EXPECT_STREQ(passage_kind_name(PassageKind::Verbatim), "verbatim");
  EXPECT_STREQ(passage_kind_name(PassageKind::Rewrite), "rewrite");
  EXPECT_STREQ(passage_kind_name(PassageKind::Vocabulary), "vocabulary");
  EXPECT_EQ(static_cast<int>(PassageKind::Rewrite), 1); // codes are written to tables
  EXPECT_EQ(static_cast<int>(PassageKind::Vocabulary), kPassageKinds - 1);
  Passage p{1, 2, Span{0, 5, 10, 12, 2}, 3, 0};
  p.flip();
  EXPECT_EQ(p.a, 2u);
  EXPECT_EQ(p.span.a_begin, 10u);
  EXPECT_EQ(p.span.b_end, 5u);
  EXPECT_EQ(p.b_boilerplate, 3u);
  EXPECT_EQ(p.span.kind, PassageKind::Verbatim);
}

} // namespace
} // namespace storytrace

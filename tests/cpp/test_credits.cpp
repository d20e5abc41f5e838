// Credits: explicit attributions inside a text, and the alias table.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "storytrace/credits.hpp"

namespace storytrace {
namespace {

using Names = std::vector<std::string>;

const AliasTable &table() {
  static const AliasTable t = AliasTable::defaults();
  return t;
}

Names credited(std::string_view text, const AliasTable &t = table()) {
  Names out;
  for (const Credit &c : find_credits(text, t)) {
    EXPECT_LT(c.start, c.end);
    EXPECT_LE(c.end, text.size());
    out.push_back(t.agencies().at(static_cast<std::size_t>(c.agency)));
  }
  return out;
}

// The text of the single credit found in `text`.
std::string credit_text(std::string_view text) {
  const std::vector<Credit> cs = find_credits(text, table());
  if (cs.size() != 1) return "<" + std::to_string(cs.size()) + " credits>";
  return std::string(text.substr(cs[0].start, cs[0].end - cs[0].start));
}

TEST(Credits, DatelineInBrackets) {
  EXPECT_EQ(credited("WASHINGTON (AA) - Israel has launched new strikes on Gaza."), Names{"Anadolu Agency"});
  EXPECT_EQ(credit_text("WASHINGTON (AA) - Israel has launched new strikes on Gaza."), "(AA)");
  EXPECT_EQ(credited("CAPRI (Reuters) \u2013 U.S. Secretary of State said on Friday."), Names{"Reuters"});
  EXPECT_EQ(credited("LONDON (AP) \u2014 Britain's economy grew."), Names{"Associated Press"});
  EXPECT_EQ(credited("PARIS (AFP): France said"), Names{"Agence France-Presse"});
  EXPECT_EQ(credited("Ankara (AA) - Turkey said"), Names{"Anadolu Agency"}); // a dash after it
  EXPECT_EQ(credited("(Reuters) - The dollar rose."), Names{"Reuters"});     // at the start of a line
}

TEST(Credits, ClosingCreditAtEndOfParagraph) {
  EXPECT_EQ(credited("Israel vowed a strong reprisal. (Anadolu)"), Names{"Anadolu Agency"});
  EXPECT_EQ(credit_text("Israel vowed a strong reprisal. (Anadolu)"), "(Anadolu)");
  EXPECT_EQ(credited("Israel vowed a strong reprisal. (Anadolu)\nMore news follows."), Names{"Anadolu Agency"});
  EXPECT_EQ(credited("Israel vowed a strong reprisal (Reuters).\n"), Names{"Reuters"});
}

TEST(Credits, CopyrightLines) {
  EXPECT_EQ(credited("Some text.\nCopyright 2024 Thomson Reuters."), Names{"Reuters"});
  EXPECT_EQ(credit_text("Some text.\nCopyright 2024 Thomson Reuters."), "Copyright 2024 Thomson Reuters");
  EXPECT_EQ(credited("\u00A9 2024 The Associated Press. All rights reserved."), Names{"Associated Press"});
  EXPECT_EQ(credit_text("\u00A9 2024 The Associated Press. All rights reserved."), "\u00A9 2024 The Associated Press");
  EXPECT_EQ(credited("Copyright \u00A9 2023-2024 Agence France-Presse"), Names{"Agence France-Presse"});
  EXPECT_EQ(credited("Copyright 2024 The Daily Planet. All rights reserved."), Names{});
}

TEST(Credits, OtherScriptsAndConventions) {
  // اسلام آباد (اے پی پی) وزیراعظم
  EXPECT_EQ(credited("\u0627\u0633\u0644\u0627\u0645 \u0622\u0628\u0627\u062F (\u0627\u06D2 \u067E\u06CC \u067E\u06CC) "
                     "\u0648\u0632\u06CC\u0631\u0627\u0639\u0638\u0645"),
            Names{"Associated Press of Pakistan"});
  // باريس (أ ف ب) - قال
  EXPECT_EQ(credited("\u0628\u0627\u0631\u064A\u0633 (\u0623 \u0641 \u0628) - \u0642\u0627\u0644"),
            Names{"Agence France-Presse"});
  // (서울=연합뉴스) 홍길동 기자 = 본문
  EXPECT_EQ(credited("(\uC11C\uC6B8=\uC5F0\uD569\uB274\uC2A4) \uD64D\uAE38\uB3D9 \uAE30\uC790 = \uBCF8\uBB38"),
            Names{"Yonhap"});
  // 【ワシントン共同】米国務省は
  EXPECT_EQ(credited("\u3010\u30EF\u30B7\u30F3\u30C8\u30F3\u5171\u540C\u3011\u7C73\u56FD\u52D9\u7701\u306F"),
            Names{"Kyodo News"});
  EXPECT_EQ(credit_text("\u3010\u30EF\u30B7\u30F3\u30C8\u30F3\u5171\u540C\u3011\u7C73\u56FD"),
            "\u3010\u30EF\u30B7\u30F3\u30C8\u30F3\u5171\u540C\u3011");
  // МОСКВА, 19 апреля. /ТАСС/. Президент
  EXPECT_EQ(credited("\u041C\u041E\u0421\u041A\u0412\u0410, 19 \u0430\u043F\u0440\u0435\u043B\u044F. "
                     "/\u0422\u0410\u0421\u0421/. \u041F\u0440\u0435\u0437\u0438\u0434\u0435\u043D\u0442"),
            Names{"TASS"});
  // 新华社北京4月19日电 记者
  EXPECT_EQ(credited("\u65B0\u534E\u793E\u5317\u4EAC4\u670819\u65E5\u7535 \u8BB0\u8005"), Names{"Xinhua"});
  EXPECT_EQ(credit_text("\u65B0\u534E\u793E\u5317\u4EAC4\u670819\u65E5\u7535 \u8BB0\u8005"),
            "\u65B0\u534E\u793E\u5317\u4EAC4\u670819\u65E5\u7535");
  EXPECT_EQ(credited("\u5F00\u5934\u3002\n\u65B0\u534E\u793E\u5317\u4EAC4\u670819\u65E5\u7535"), Names{"Xinhua"});
  // Xinhua named inside a sentence is not a dateline.
  EXPECT_EQ(credited("\u636E\u65B0\u534E\u793E\u62A5\u9053\uFF0C\u4ECA\u5929\u7535"), Names{});
}

TEST(Credits, Bylines) {
  EXPECT_EQ(credited("By Reuters\nLONDON - Stocks fell."), Names{"Reuters"});
  EXPECT_EQ(credit_text("By Reuters\nLONDON - Stocks fell."), "By Reuters");
  EXPECT_EQ(credited("Headline\nBy The Associated Press\nText"), Names{"Associated Press"});
  EXPECT_EQ(credited("By Reuters Staff\n"), Names{"Reuters"});
  EXPECT_EQ(credited("By John Smith\nText"), Names{});
  EXPECT_EQ(credited("Stand by Reuters\n"), Names{}) << "not at the start of a line";
}

TEST(Credits, MultipleCreditsInTextOrder) {
  EXPECT_EQ(credited("WASHINGTON (AP/Reuters) - Text. Copyright 2024 Thomson Reuters."),
            (Names{"Associated Press", "Reuters", "Reuters"}));
  EXPECT_EQ(credited("BERLIN (dpa) - Text.\nMore. (AFP)"), (Names{"Deutsche Presse-Agentur", "Agence France-Presse"}));
}

TEST(Credits, AttributionsOfFactsAreNotCredits) {
  for (const char *text : {
           "According to CBS News, US officials said the strike was limited.",
           "Officials told CBS News and ABC News that the plan had changed.",
           "Syrian media reports said several people were killed.",
           "The International Atomic Energy Agency (IAEA) has confirmed the damage.",
           "The results were first reported by the Associated Press (AP) reported on Monday.",
           "the Associated Press (AP) reported on Monday that talks had stalled.",
           "Aam Aadmi Party (AAP) leader Arvind Kejriwal said on Sunday.",
           "President Joe Biden speaks in the East Room. (AP Photo/Evan Vucci)",
           "(AP Photo/Evan Vucci)",
           "Reuters reported that the talks had stalled.",
           "The AP said it would appeal.",
           "He spoke to the PA (Press Association) yesterday about the case.",
           "",
       }) {
    EXPECT_EQ(credited(text), Names{}) << text;
  }
}

TEST(AliasTable, FindIsExactAfterCollapsingSpaces) {
  const AliasTable &t = table();
  const std::int32_t ap = t.agency_id("Associated Press");
  ASSERT_GE(ap, 0);
  EXPECT_EQ(t.find("AP"), ap);
  EXPECT_EQ(t.find("  Associated \t Press "), ap);
  EXPECT_EQ(t.find("The Associated Press"), ap);
  EXPECT_EQ(t.find("Reuters"), t.agency_id("Reuters"));
  EXPECT_EQ(t.find("Daily Planet"), -1);
  EXPECT_EQ(t.find(""), -1);
  EXPECT_EQ(t.agency_id("Nonexistent"), -1);
  // Every default entry resolves to its canonical agency.
  for (const auto &[alias, canonical] : AliasTable::default_entries()) {
    ASSERT_GE(t.agency_id(canonical), 0) << canonical;
    EXPECT_EQ(t.find(alias), t.agency_id(canonical)) << alias;
  }
  EXPECT_EQ(t.entries().size(), AliasTable::default_entries().size());
}

TEST(AliasTable, FindOutletIgnoresCaseAndReadsHostNames) {
  const AliasTable &t = table();
  const std::int32_t reuters = t.agency_id("Reuters");
  EXPECT_EQ(t.find_outlet("Reuters"), reuters);
  EXPECT_EQ(t.find_outlet("reuters"), reuters);
  EXPECT_EQ(t.find_outlet("REUTERS"), reuters);
  EXPECT_EQ(t.find_outlet("thomson reuters"), reuters);
  EXPECT_EQ(t.find_outlet("www.reuters.com"), reuters);
  EXPECT_EQ(t.find_outlet("reuters.com"), reuters);
  EXPECT_EQ(t.find_outlet("WWW.Reuters.COM"), reuters);
  EXPECT_EQ(t.find_outlet("www.aa.com.tr"), t.agency_id("Anadolu Agency"));
  EXPECT_EQ(t.find_outlet("the associated press"), t.agency_id("Associated Press"));
  EXPECT_EQ(t.find_outlet("anadolu agency"), t.agency_id("Anadolu Agency"));
  EXPECT_EQ(t.find_outlet("Daily Planet"), -1);
  EXPECT_EQ(t.find_outlet("www.dailyplanet.com"), -1);
  EXPECT_EQ(t.find_outlet(""), -1);
  EXPECT_EQ(t.find_outlet("   "), -1);
}

TEST(AliasTable, AddExtendsAndReplaces) {
  AliasTable t = AliasTable::defaults();
  const std::size_t before = t.agencies().size();
  const std::int32_t bna = t.add("BNA", "Bahrain News Agency");
  EXPECT_EQ(bna, static_cast<std::int32_t>(before));
  EXPECT_EQ(t.agencies().size(), before + 1);
  EXPECT_EQ(t.agencies().back(), "Bahrain News Agency");
  EXPECT_EQ(t.find("BNA"), bna);
  EXPECT_EQ(t.find_outlet("bahrain news agency"), bna);
  EXPECT_EQ(t.find_outlet("www.bna.bh"), bna);
  // A second alias of the same agency reuses its id.
  EXPECT_EQ(t.add("\u0628\u0646\u0627", "Bahrain News Agency"), bna);
  EXPECT_EQ(t.agencies().size(), before + 1);
  // New credits are found with the extended table, and not with the defaults.
  EXPECT_EQ(credited("MANAMA (BNA) - The cabinet met.", t), Names{"Bahrain News Agency"});
  EXPECT_EQ(credited("MANAMA (BNA) - The cabinet met."), Names{});
  // Replacing an alias points it at another agency.
  const std::int32_t custom = t.add("AP", "Agence Presse Exemple");
  EXPECT_NE(custom, t.agency_id("Associated Press"));
  EXPECT_EQ(t.find("AP"), custom);
  EXPECT_EQ(credited("LONDON (AP) - Text.", t), Names{"Agence Presse Exemple"});
  EXPECT_EQ(t.find("Associated Press"), t.agency_id("Associated Press"));
  EXPECT_THROW(t.add("", "Somebody"), std::invalid_argument);
  EXPECT_THROW(t.add("X", "  "), std::invalid_argument);
  // Copying the table leaves the original alone.
  EXPECT_EQ(table().find("AP"), table().agency_id("Associated Press"));
}

TEST(Credits, AbbreviationsSpelledOutAreNotCredits) {
  EXPECT_EQ(credited("He joined Alcoholics Anonymous (AA).\nThen he left."), Names{});
  EXPECT_EQ(credited("The report came from the Associated Press (AP).\n"), Names{});
  EXPECT_EQ(credited("PITTSBURGH (PA) - A bridge collapsed."), Names{});
  // A dateline credit is still one.
  EXPECT_EQ(credited("NEW YORK (AP) - Stocks fell."), Names{"Associated Press"});
}

TEST(Credits, UnclosedBracketsCostLittle) {
  const std::string text(1 << 20, '(');
  EXPECT_EQ(credited(text), Names{});
}

TEST(Credits, NextStartIsTheFirstByteThatMayStartOne) {
  // Texts of the bytes credits start with (and their neighbours), at every offset: the skip, by
  // sixteen bytes at a time, stops exactly where the byte-by-byte test first holds.
  const std::vector<std::string> pieces = {"(",
                                           "/",
                                           "B",
                                           "c",
                                           "C",
                                           "o",
                                           "O",
                                           "\n",
                                           "\xC2\xA9",
                                           "\xC2\xA0",
                                           "\xEF\xBC\x88",
                                           "\xE3\x80\x90",
                                           "新",
                                           "abcdefghijk",
                                           "xxxxxxxxxxxxxxxxxxxxxxx",
                                           " ",
                                           "Bo",
                                           "co"};
  std::uint64_t state = 7;
  auto next = [&](std::size_t n) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<std::size_t>((state >> 33) % n);
  };
  for (int trial = 0; trial < 300; ++trial) {
    std::string text;
    for (std::size_t k = 0, count = next(40); k < count; ++k) text += pieces[next(pieces.size())];
    for (std::size_t from = 0; from <= text.size(); ++from) {
      std::size_t expect = from;
      while (expect < text.size() && !may_start_credit(text, expect)) ++expect;
      ASSERT_EQ(next_credit_start(text, from), expect) << "from " << from << " in '" << text << "'";
    }
  }
}

TEST(Credits, FoundAtAnyOffset) {
  // Each kind of credit after 0-40 bytes of plain text: wherever it falls in a block of sixteen.
  for (std::size_t pad = 0; pad <= 40; ++pad) {
    const std::string before(pad, 'x');
    EXPECT_EQ(credited(before + " Copyright 2024 Thomson Reuters"), Names{"Reuters"}) << pad;
    EXPECT_EQ(credited(before + " \xC2\xA9 2024 The Associated Press"), Names{"Associated Press"}) << pad;
    EXPECT_EQ(credited(before + "\nBy Reuters\nText."), Names{"Reuters"}) << pad;
    EXPECT_EQ(credited(before + ". NEW YORK (AP) - Stocks fell."), Names{"Associated Press"}) << pad;
    EXPECT_EQ(credited(before + "\n\xE3\x80\x90\xE5\x85\xB1\xE5\x90\x8C\xE3\x80\x91"), Names{"Kyodo News"}) << pad;
  }
}

} // namespace
} // namespace storytrace

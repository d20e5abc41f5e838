// The rewrite scorer: the passages of a pair's second document that restate its first document in
// other words (find_rewrites); a rewritten passage takes in the verbatim spans found inside it.
#include <algorithm>
#include <memory>
#include <string>

#include "storytrace/boilerplate.hpp"
#include "storytrace/rewrite.hpp"
#include "storytrace/scorers.hpp"

namespace storytrace {
namespace {

class RewriteScorer final : public PairScorer {
public:
  RewriteScorer(const AlignContext &context, const RewriteOptions &options) : context_(context), options_(options) {}

  // A story's first holders are the earlier side of a pair with every later reprint: their
  // sentence units (tokens, word forms, the forms of each unit), once built, are kept for the
  // next pair instead of being built again.
  void plan(DocCache &cache) const override {
    // To build again, a token (cache_costs.cpp), when the tokens are kept / tokenized again.
    const double units_ns = context_.tok.tokens.empty() ? kUnitsNsTokenized : kUnitsNs;
    const std::size_t units = cache.kind<KeptUnits>(this, kUnits);
    for (std::uint32_t d : context_.often) {
      const double n = static_cast<double>(context_.tok.token_count(d)), uses = context_.first_of[d] - 1.0;
      cache.ask(units, d, static_cast<std::size_t>(kUnitBytes * n) + 256, uses * units_ns * n);
    }
  }

  std::unique_ptr<Worker> worker(const DocCache &cache) const override {
    return std::make_unique<Work>(*this, cache, cache.find(this, kUnits));
  }

private:
  // Measured by benchmarks/speed/cache_costs.cpp: ns a token to build a text's units with its
  // tokens kept / tokenized again, and the bytes a token they take (tokens, mask, units, forms).
  static constexpr double kUnitsNs = 54, kUnitsNsTokenized = 110, kUnitBytes = 76;

  struct KeptUnits {
    std::vector<Token> tokens;
    TextUnits units;
    std::vector<std::uint8_t> mask;
  };

  class Work final : public Worker {
  public:
    Work(const RewriteScorer &s, const DocCache &cache, std::size_t units) : s_(s), cache_(cache), units_(units) {}
    void score(const PairInput &pair, std::vector<Span> &found) override {
      const Candidate &c = pair.pair;
      const Tokenized &tok = s_.context_.tok;
      const CorpusView &corpus = *s_.context_.corpus;
      // A second document all inside verbatim passages (or boilerplate) has nothing left to be
      // a rewrite.
      if (second_of != c.second) {
        token_mask(tok, s_.context_.mask, c.second, second_mask);
        const std::string_view text = corpus.doc(c.second, second_text);
        second_tokens = doc_tokens(tok, text, c.second, second_scratch);
        second_built = false;
        second_of = c.second;
      }
      if (!any_free(found)) return;
      if (!second_built) {
        const std::string_view text = corpus.doc(c.second, second_text);
        second_units.build(text, second_tokens.data(), second_tokens.size(), &tok.forms);
        second_built = true;
      }
      const TextUnits *fu = &first_units;
      const std::uint8_t *fm = nullptr;
      const std::int32_t slot = cache_.slot(units_, c.first);
      if (const KeptUnits *kept = cache_.get<KeptUnits>(units_, slot)) {
        fu = &kept->units, fm = kept->mask.data();
      } else {
        const std::string_view text = corpus.doc(c.first, first_text);
        const std::span<const Token> t = doc_tokens(tok, text, c.first, first_scratch);
        token_mask(tok, s_.context_.mask, c.first, first_mask);
        fm = first_mask.data();
        if (slot >= 0) { // kept: a copy that owns its tokens
          auto fresh = std::make_unique<KeptUnits>();
          fresh->tokens.assign(t.begin(), t.end());
          fresh->units.build(text, fresh->tokens.data(), fresh->tokens.size(), &tok.forms);
          fresh->mask = first_mask;
          cache_.keep(units_, slot, std::move(fresh));
          const KeptUnits *now = cache_.get<KeptUnits>(units_, slot);
          fu = &now->units, fm = now->mask.data();
        } else {
          first_units.build(text, t.data(), t.size(), &tok.forms);
        }
      }
      apply_rewrites(found, find_rewrites(*fu, fm, second_units, second_mask.data(), found, s_.options_));
      // No passage: the document-level evidence, when the first holds enough of the second's
      // rarer vocabulary.
      if (found.empty() && s_.options_.vocabulary_share > 0) {
        const VocabularyEvidence e = vocabulary_evidence(*fu, second_units, second_mask.data(), &tok.forms, tok.size());
        if (vocabulary_derived(e, s_.options_.vocabulary_share))
          // As for a passage, the matched tokens are of the side with fewer.
          found.push_back(Span{0, static_cast<std::uint32_t>(fu->token_count), 0,
                               static_cast<std::uint32_t>(second_units.token_count),
                               std::min<std::uint32_t>(e.matched, static_cast<std::uint32_t>(fu->token_count)),
                               static_cast<float>(e.share), PassageKind::Vocabulary});
      }
    }

  private:
    // Whether the second document has a token outside the verbatim spans and its boilerplate.
    bool any_free(const std::vector<Span> &found) {
      const std::size_t n = second_tokens.size();
      if (n == 0) return false;
      covered.assign(n, 0);
      for (const Span &s : found)
        for (std::uint32_t i = s.b_begin; i < std::min<std::size_t>(s.b_end, n); ++i) covered[i] = 1;
      std::size_t free = 0;
      for (std::size_t i = 0; i < n; ++i) free += !covered[i] && !(i < second_mask.size() && second_mask[i]);
      return free >= s_.options_.min_tokens;
    }

    const RewriteScorer &s_;
    const DocCache &cache_;
    const std::size_t units_; // the cache kind
    std::vector<std::uint8_t> first_mask, second_mask, covered;
    TextUnits first_units, second_units;
    std::vector<Token> first_scratch, second_scratch; // tokens, when tok does not keep them
    std::span<const Token> second_tokens;
    std::string first_text, second_text; // texts, when the corpus is not UTF-8
    std::uint32_t second_of = UINT32_MAX;
    bool second_built = false;
  };

  enum : int { kUnits }; // this scorer's kind of cache entry
  const AlignContext &context_;
  RewriteOptions options_;
};

} // namespace

std::unique_ptr<PairScorer> rewrite_scorer(const AlignContext &context, const RewriteOptions &options) {
  if (!context.corpus) throw std::invalid_argument("the rewrite scorer reads the texts: give the corpus");
  return std::make_unique<RewriteScorer>(context, options);
}

} // namespace storytrace

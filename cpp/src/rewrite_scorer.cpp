// The rewrite scorer: the sentences of a pair's second document, outside the spans found before,
// that restate a sentence (or two) of its first document in other words (find_rewrites).
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
  // sentence units (tokens, words, bigrams and the index searched), once built for a rewrite
  // search, are kept for the next pair instead of being built again; so are the word filters of
  // the quick check, which otherwise tokenizes the document again when its tokens are not kept.
  // Most pairs stop at the quick check, so units are asked for only for documents first in
  // kFirstOf pairs or more.
  void plan(DocCache &cache) const override {
    constexpr std::uint32_t kFirstOf = 4;
    // To build again, a token (cache_costs.cpp), when the tokens are kept / tokenized again.
    const bool kept_tokens = !context_.tok.tokens.empty();
    const double units_ns = kept_tokens ? 59 : 104, filters_ns = kept_tokens ? 2.4 : 41.6;
    const std::size_t units = cache.kind<KeptUnits>(this, kUnits), filters = cache.kind<WordFilters>(this, kFilters);
    for (std::uint32_t d : context_.often) {
      const double n = static_cast<double>(context_.tok.token_count(d)), uses = context_.first_of[d] - 1.0;
      if (context_.first_of[d] >= kFirstOf)
        cache.ask(units, d, static_cast<std::size_t>(96 * n) + 256, uses * units_ns * n);  // about 96 bytes a token
      cache.ask(filters, d, static_cast<std::size_t>(4 * n) + 256, uses * filters_ns * n); // at most 4 a token
    }
  }

  std::unique_ptr<Worker> worker(const DocCache &cache) const override {
    return std::make_unique<Work>(*this, cache, cache.find(this, kUnits), cache.find(this, kFilters));
  }

private:
  struct KeptUnits {
    std::vector<Token> tokens;
    TextUnits units;
    std::vector<std::uint8_t> mask;
  };

  class Work final : public Worker {
  public:
    Work(const RewriteScorer &s, const DocCache &cache, std::size_t units, std::size_t filters)
        : s_(s), cache_(cache), units_(units), filters_(filters) {}
    void score(const PairInput &pair, std::vector<Span> &found) override {
      const Candidate &c = pair.pair;
      const Tokenized &tok = s_.context_.tok;
      const CorpusView &corpus = *s_.context_.corpus;
      if (second_units_of != c.second) {
        token_mask(tok, s_.context_.mask, c.second, second_mask);
        const std::string_view text = corpus.doc(c.second, second_text);
        const std::span<const Token> t = doc_tokens(tok, text, c.second, second_scratch);
        second_units.build_units(text, t.data(), t.size());
        second_units_of = c.second;
        second_words = false;
      }
      // A second document all inside verbatim passages (or boilerplate) has nothing left to
      // be a rewrite: neither its units' words nor the first document's units are needed.
      const std::vector<std::uint32_t> second_free = free_units(second_units, second_mask.data(), found, false);
      if (second_free.empty()) return;
      if (!second_words) second_units.build_words(), second_words = true;
      const TextUnits *fu = &first_units;
      const std::uint8_t *fm = nullptr;
      const std::int32_t slot = cache_.slot(units_, c.first);
      const KeptUnits *kept = cache_.get<KeptUnits>(units_, slot);
      if (kept) {
        fu = &kept->units, fm = kept->mask.data();
      } else {
        // Most pairs of texts on one topic have no sentence of the second close enough to any
        // of the first: seen from the first's words, before its units are built.
        const std::int32_t fslot = cache_.slot(filters_, c.first);
        const WordFilters *filters = cache_.get<WordFilters>(filters_, fslot);
        std::string_view text;
        std::span<const Token> t;
        if (!filters) {
          text = corpus.doc(c.first, first_text);
          t = doc_tokens(tok, text, c.first, first_scratch);
          first_filters.build(t.data(), t.size());
          if (fslot >= 0) cache_.keep(filters_, fslot, std::make_unique<WordFilters>(first_filters));
        }
        if (rewrite_reachable(filters ? *filters : first_filters, second_units, second_free, s_.options_.min_similarity)
                .empty())
          return;
        if (filters) {
          first_filters = *filters;
          text = corpus.doc(c.first, first_text);
          t = doc_tokens(tok, text, c.first, first_scratch);
        }
        token_mask(tok, s_.context_.mask, c.first, first_mask);
        first_units.build(text, t.data(), t.size());
        first_units.build_index(&first_filters);
        fm = first_mask.data();
        if (slot >= 0) { // keep them: a copy that owns its tokens
          auto fresh = std::make_unique<KeptUnits>();
          fresh->tokens.assign(t.begin(), t.end());
          fresh->units = first_units;
          fresh->units.tokens = fresh->tokens.data();
          fresh->mask = first_mask;
          cache_.keep(units_, slot, std::move(fresh));
        }
      }
      for (const Span &s : find_rewrites(*fu, fm, second_units, second_mask.data(), found, s_.options_))
        found.push_back(s);
    }

  private:
    const RewriteScorer &s_;
    const DocCache &cache_;
    const std::size_t units_, filters_; // cache kinds
    std::vector<std::uint8_t> first_mask, second_mask;
    TextUnits first_units, second_units;
    WordFilters first_filters;
    std::vector<Token> first_scratch, second_scratch; // tokens, when tok does not keep them
    std::string first_text, second_text;              // texts, when the corpus is not UTF-8
    std::uint32_t second_units_of = UINT32_MAX;
    bool second_words = false; // second_units has its words and bigrams
  };

  enum : int { kUnits, kFilters }; // this scorer's kinds of cache entries
  const AlignContext &context_;
  RewriteOptions options_;
};

} // namespace

std::unique_ptr<PairScorer> rewrite_scorer(const AlignContext &context, const RewriteOptions &options) {
  if (!context.corpus) throw std::invalid_argument("the rewrite scorer reads the texts: give the corpus");
  return std::make_unique<RewriteScorer>(context, options);
}

} // namespace storytrace

// The rewrite scorer: the sentences of a pair's second document, outside the spans found before,
// that restate a sentence (or two) of its first document in other words (find_rewrites).
#include <memory>
#include <string>

#include "storytrace/boilerplate.hpp"
#include "storytrace/rewrite.hpp"
#include "storytrace/scorers.hpp"

namespace storytrace {
namespace {

// Values built at most once each, by whichever thread needs one first, and shared from then on:
// slot k is empty (null) until keep(k, ...) fills it. Slot -1 keeps nothing.
template <class T> class KeptSlots {
public:
  explicit KeptSlots(std::size_t slots) : slots_(slots) {}
  void resize(std::size_t slots) { slots_ = std::vector<std::atomic<T *>>(slots); } // before any keep
  KeptSlots(const KeptSlots &) = delete;
  KeptSlots &operator=(const KeptSlots &) = delete;
  ~KeptSlots() {
    for (auto &slot : slots_) delete slot.load();
  }
  const T *get(std::int32_t k) const { return k >= 0 ? slots_[static_cast<std::size_t>(k)].load() : nullptr; }
  // Fills slot k with `fresh` unless another thread filled it first (then `fresh` is dropped).
  void keep(std::int32_t k, std::unique_ptr<T> fresh) {
    T *none = nullptr;
    if (k >= 0 && slots_[static_cast<std::size_t>(k)].compare_exchange_strong(none, fresh.get())) fresh.release();
  }

private:
  std::vector<std::atomic<T *>> slots_;
};

class RewriteScorer final : public PairScorer {
public:
  RewriteScorer(const AlignContext &context, const RewriteOptions &options)
      : context_(context), options_(options), units_slot_(context.tok.size(), -1),
        filters_slot_(context.tok.size(), -1), kept_units_(0), kept_filters_(0) {
    const Tokenized &tok = context.tok;
    // A story's first holders are the earlier side of a pair with every later reprint: their
    // sentence units (tokens, words, bigrams and the index searched), once built for a rewrite
    // search, are kept for the next pair instead of building them again. Kept for the documents
    // first in the most pairs, within a memory budget; built by whichever thread needs them first.
    // The word filters of the quick check likewise, for documents first in two or more pairs: when
    // the tokens are not kept, each check of a document without them tokenizes it again.
    constexpr std::uint32_t kFirstOf = 4;                          // pairs a document must be first in
    constexpr std::size_t kBudget = std::size_t{256} << 20;        // bytes, at about 96 a token
    constexpr std::size_t kFiltersBudget = std::size_t{128} << 20; // bytes, at most 4 a token
    std::size_t bytes = 0, filter_bytes = 0, unit_slots = 0, filter_slots = 0;
    for (std::uint32_t d : context.often) {
      if (context.first_of[d] >= kFirstOf && bytes + 96 * tok.token_count(d) + 256 <= kBudget) {
        bytes += 96 * tok.token_count(d) + 256;
        units_slot_[d] = static_cast<std::int32_t>(unit_slots++);
      }
      if (filter_bytes + 4 * tok.token_count(d) + 256 <= kFiltersBudget) {
        filter_bytes += 4 * tok.token_count(d) + 256;
        filters_slot_[d] = static_cast<std::int32_t>(filter_slots++);
      }
    }
    kept_units_.resize(unit_slots);
    kept_filters_.resize(filter_slots);
  }

  std::unique_ptr<Worker> worker() const override { return std::make_unique<Work>(*this); }

private:
  struct KeptUnits {
    std::vector<Token> tokens;
    TextUnits units;
    std::vector<std::uint8_t> mask;
  };

  class Work final : public Worker {
  public:
    explicit Work(const RewriteScorer &s) : s_(s) {}
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
      const std::int32_t slot = s_.units_slot_[c.first];
      const KeptUnits *kept = s_.kept_units_.get(slot);
      if (kept) {
        fu = &kept->units, fm = kept->mask.data();
      } else {
        // Most pairs of texts on one topic have no sentence of the second close enough to any
        // of the first: seen from the first's words, before its units are built.
        const std::int32_t fslot = s_.filters_slot_[c.first];
        const WordFilters *filters = s_.kept_filters_.get(fslot);
        std::string_view text;
        std::span<const Token> t;
        if (!filters) {
          text = corpus.doc(c.first, first_text);
          t = doc_tokens(tok, text, c.first, first_scratch);
          first_filters.build(t.data(), t.size());
          if (fslot >= 0) s_.kept_filters_.keep(fslot, std::make_unique<WordFilters>(first_filters));
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
          s_.kept_units_.keep(slot, std::move(fresh));
        }
      }
      for (const Span &s : find_rewrites(*fu, fm, second_units, second_mask.data(), found, s_.options_))
        found.push_back(s);
    }

  private:
    const RewriteScorer &s_;
    std::vector<std::uint8_t> first_mask, second_mask;
    TextUnits first_units, second_units;
    WordFilters first_filters;
    std::vector<Token> first_scratch, second_scratch; // tokens, when tok does not keep them
    std::string first_text, second_text;              // texts, when the corpus is not UTF-8
    std::uint32_t second_units_of = UINT32_MAX;
    bool second_words = false; // second_units has its words and bigrams
  };

  const AlignContext &context_;
  RewriteOptions options_;
  std::vector<std::int32_t> units_slot_, filters_slot_;
  mutable KeptSlots<KeptUnits> kept_units_;
  mutable KeptSlots<WordFilters> kept_filters_;
};

} // namespace

std::unique_ptr<PairScorer> rewrite_scorer(const AlignContext &context, const RewriteOptions &options) {
  if (!context.corpus) throw std::invalid_argument("the rewrite scorer reads the texts: give the corpus");
  return std::make_unique<RewriteScorer>(context, options);
}

} // namespace storytrace

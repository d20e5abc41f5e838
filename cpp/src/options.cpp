#include "storytrace/options.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <stdexcept>

namespace storytrace {
namespace {

// Integers above this are out of range for every option (they are held as size_t and read as
// int64 from Python).
constexpr double kMaxInt = 9223372036854775807.0;

std::string number(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", x);
  return buf;
}

// An Int option's bound.
std::string integer(double x) {
  return x >= kMaxInt ? "9223372036854775807" : std::to_string(static_cast<long long>(x));
}

} // namespace

const std::vector<OptionSpec> &option_specs() {
  using T = TraceOptions;
  constexpr std::uint8_t all = kForTrace | kForCompare | kForIndex;
  static const std::vector<OptionSpec> specs{
      {"ngram", OptionType::Int, &T::ngram, 1, 64, false, all, "tokens per shingle", "Tokens per shingle.", true},
      {"min_tokens", OptionType::Int, &T::min_tokens, 1, kMaxInt, false, all,
       "shortest passage reported, in tokens (default 15, or ngram when larger)",
       "Tokens of exactly shared text a passage needs (on each side); fewer are stock phrases. At least\n"
       "``ngram``; unless given, 15 or ``ngram`` when that is larger.",
       true},
      {"max_gap", OptionType::Int, &T::max_gap, 0, kMaxInt, false, all,
       "longest run of differing tokens bridged inside a passage",
       "Longest run of differing tokens bridged inside one passage; a run on one side only (a\n"
       "sentence cut or added while the other text runs on) is bridged up to twice as long.",
       true},
      {"fanout", OptionType::Int, &T::fanout, 1, kMaxInt, false, kForTrace,
       "earliest holders each document is paired with per shingle",
       "A shingle found in many documents pairs each with this many of its earliest holders.", true},
      {"min_shared", OptionType::Int, &T::min_shared, 1, kMaxInt, false, kForTrace | kForIndex,
       "shingles two documents must share before they are aligned",
       "Distinct shingles two documents must share before they are aligned.", true},
      {"boilerplate_min_docs", OptionType::Int, &T::boilerplate_min_docs, 0, kMaxInt, false, kForTrace,
       "own documents an outlet must repeat text in for it to be boilerplate",
       "Text an outlet repeats in this many of its own documents is its boilerplate (0 turns the\n"
       "boilerplate model off).",
       true},
      {"boilerplate_min_share", OptionType::Real, &T::boilerplate_min_share, 0, 1, false, kForTrace,
       "share of its own documents an outlet must repeat text in (boilerplate)",
       "... and in at least this share of them, so that a story a large outlet re-issued a few\n"
       "times is not taken for its page chrome.",
       true},
      {"wholly", OptionType::Real, &T::wholly, 0, 1, true, kForTrace,
       "reuse share from which a document is wholly derived",
       "Reuse share from which a document is ``wholly`` derived."},
      {"containment_margin", OptionType::Real, &T::containment_margin, 0, 1, false, kForTrace,
       "containment difference that orients an undated link",
       "Containment difference that orients a link between two undated documents."},
      {"closer", OptionType::Real, &T::closer, 0, 1, false, kForTrace,
       "share of another copy's differences a copy may have to count as the one copied",
       "A copy of a text is the one a target copied (its direct source) when it has at most this\n"
       "share of another copy's differences from the target (unmatched tokens inside passages): the\n"
       "target keeps that copy's own edits. Two reprints of an agency's copy as close to each other\n"
       "share edits (one copied the other) and are not siblings."},
      {"own_text", OptionType::Int, &T::own_text, 1, kMaxInt, false, kForTrace,
       "tokens of a reprint's own text that show a target copied that reprint",
       "Tokens of a holder's own text (held by no other document) that its passage with a target\n"
       "must carry beside the text an earlier holder has, for that holder to be the one the target\n"
       "copied (a copy of a reprint that kept the reprint's own paragraphs); two reprints of an\n"
       "agency that share this much beside its copy's text are not siblings."},
      {"own_text_holders", OptionType::Int, &T::own_text_holders, 0, kMaxInt, false, kForTrace,
       "most holders of a target's text for which own_text is looked for",
       "A target whose text is held by more documents than this is traced without the\n"
       "``own_text`` rule (its cost grows with the square of the holders)."},
      {"own_text_slack", OptionType::Real, &T::own_text_slack, 0, 1, false, kForTrace,
       "how much less exactly a holder with own text may match the target",
       "How much less exactly (a share of its tokens) the passage of a holder with own text may\n"
       "match the target than the other holder's (a line of the target's own bridged inside it)."},
      {"rewrites", OptionType::Bool, &T::rewrites, 0, 1, false, kForTrace | kForCompare,
       "also find rewritten passages, yes or no",
       "Also find rewritten passages: inside every pair of documents that share text (or, with\n"
       "``rewrite_pairs``, much of their rarer vocabulary), the stretches\n"
       "of the later one that restate the earlier one in other words (reworded, reordered, inflected,\n"
       "condensed) become passages of kind ``rewrite``, found from pairs of similar sentences\n"
       "extended across a few sentences (the method of the PAN 2014 text-alignment winner). A\n"
       "rewritten passage takes in the copied sentences inside it and counts in ``reuse_share`` as\n"
       "copied text does.",
       true},
      {"rewrite_pairs", OptionType::Bool, &T::rewrite_pairs, 0, 1, false, kForTrace,
       "also search pairs that share rare words but little text for rewrites, yes or no",
       "With ``rewrites``, also search for rewritten passages between documents that share little\n"
       "copied text but much of their rarer vocabulary: every document is paired with the (at most\n"
       "3) earlier documents holding most of a sample of its word forms (one form in four, chosen by\n"
       "hash; forms held by more than 64 documents left out), when they hold at least 3 of them and a\n"
       "quarter of those another document holds. A story rewritten from its source, every sentence\n"
       "reworded, shares too few 5-grams to be paired otherwise.",
       true},
      {"rewrite_similarity", OptionType::Real, &T::rewrite_similarity, 0, 1, true, kForTrace | kForCompare,
       "sentence similarity from which two sentences seed a rewritten passage",
       "Similarity from which two sentences seed a rewritten passage: their tf-isf cosine and\n"
       "weighted Dice coefficient over word forms (a word's first 5 characters, weighted by its\n"
       "inverse frequency among the pair's sentences) must both reach it.",
       true},
      {"vocabulary_share", OptionType::Real, &T::vocabulary_share, 0, 1, true, kForTrace,
       "share of its rarer vocabulary from which a document with no passage is partially derived",
       "Document-level evidence, with ``rewrites``: a document that shares no passage with an\n"
       "earlier document of its candidate pairs is ``partially`` derived from it when that document\n"
       "holds at least this share of its vocabulary: its distinct word forms outside boilerplate,\n"
       "each weighted by its inverse document frequency in the corpus, so that names, places and\n"
       "rarer terms count and the language's common words barely do. The link is in ``sources``\n"
       "with ``evidence`` 'vocabulary' and the share as its containment; the document's\n"
       "``origin_evidence`` is 'vocabulary' and its ``reuse_share`` stays 0 (no text is aligned).\n"
       "Only a source published surely earlier (or the credited agency's own) counts. 1 keeps\n"
       "only a source holding all of it.",
       true},
      {"threads", OptionType::Int, &T::threads, 0, kMaxInt, false, kForTrace | kForIndex,
       "worker threads (0: all cores)", "Worker threads; 0 uses every core. Results do not depend on it.", false, true},
      {"cache_mb", OptionType::Int, &T::cache_mb, 0, 1 << 30, false, kForTrace,
       "memory alignment keeps documents' sorted seeds and sentence units in, MiB",
       "Memory (MiB) alignment may keep documents in between the pairs they are in: the sorted\n"
       "shingles and sentence units of a story's first holders, built once for all its reprints\n"
       "instead of once a pair. Less is slower; results do not depend on it.",
       false, true},
  };
  return specs;
}

const OptionSpec *find_option(std::string_view name) {
  for (const OptionSpec &s : option_specs())
    if (s.name == name) return &s;
  return nullptr;
}

std::string range_message(const OptionSpec &s, std::string_view got, bool too_high) {
  const std::string name(s.name), value(got);
  if (s.type == OptionType::Int)
    return name + (too_high ? " must be at most " + integer(s.maximum) : " must be at least " + integer(s.minimum)) +
           ", got " + value;
  return name + " must be in " + (s.above_minimum ? "(" : "[") + number(s.minimum) + ", " + number(s.maximum) +
         "], got " + value;
}

void TraceOptions::validate() const {
  for (const OptionSpec &s : option_specs()) {
    if (s.type == OptionType::Bool) continue;
    double x = 0;
    std::string got;
    if (s.type == OptionType::Int) {
      const std::size_t v = this->*std::get<std::size_t TraceOptions::*>(s.field);
      x = static_cast<double>(v), got = std::to_string(v);
    } else {
      x = this->*std::get<double TraceOptions::*>(s.field), got = number(x);
    }
    const bool below = s.above_minimum ? !(x > s.minimum) : !(x >= s.minimum);
    if (below || !(x <= s.maximum)) throw std::invalid_argument(range_message(s, got, !below));
  }
  if (min_tokens < ngram)
    throw std::invalid_argument("min_tokens (" + std::to_string(min_tokens) + ") must be at least ngram (" +
                                std::to_string(ngram) + "): a passage is at least one shingle long");
}

TraceOptions make_options(const std::vector<std::pair<std::string, OptionValue>> &given) {
  TraceOptions o;
  bool min_tokens_given = false;
  for (const auto &[name, value] : given) {
    const OptionSpec *s = find_option(name);
    if (s == nullptr) throw std::invalid_argument("unknown option " + name);
    min_tokens_given = min_tokens_given || s->name == "min_tokens";
    switch (s->type) {
    case OptionType::Int: {
      const std::int64_t *v = std::get_if<std::int64_t>(&value);
      if (v == nullptr) throw std::invalid_argument(name + " must be an int");
      if (static_cast<double>(*v) < s->minimum || static_cast<double>(*v) > s->maximum)
        throw std::invalid_argument(range_message(*s, std::to_string(*v), static_cast<double>(*v) > s->maximum));
      o.*std::get<std::size_t TraceOptions::*>(s->field) = static_cast<std::size_t>(*v);
      break;
    }
    case OptionType::Real: {
      double x = 0;
      if (const double *d = std::get_if<double>(&value))
        x = *d;
      else if (const std::int64_t *i = std::get_if<std::int64_t>(&value))
        x = static_cast<double>(*i);
      else
        throw std::invalid_argument(name + " must be a number");
      o.*std::get<double TraceOptions::*>(s->field) = x;
      break;
    }
    case OptionType::Bool: {
      const bool *b = std::get_if<bool>(&value);
      if (b == nullptr) throw std::invalid_argument(name + " must be True or False");
      o.*std::get<bool TraceOptions::*>(s->field) = *b;
      break;
    }
    }
  }
  if (!min_tokens_given) o.min_tokens = std::max(o.min_tokens, o.ngram);
  o.validate();
  return o;
}

} // namespace storytrace

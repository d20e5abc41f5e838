// The options of trace, compare and the index: defined once here, with their ranges and their
// documentation. The Python layer, the command line and the docstrings are built from this table.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "storytrace/align.hpp"
#include "storytrace/attribute.hpp"
#include "storytrace/rewrite.hpp"

namespace storytrace {

struct TraceOptions {
  std::size_t ngram = 5;
  std::size_t min_tokens = 15;
  std::size_t max_gap = 24;
  std::size_t fanout = 16;
  std::size_t min_shared = 3;
  std::size_t boilerplate_min_docs = 3;
  double boilerplate_min_share = 0.05;
  double wholly = 0.7;
  double containment_margin = 0.1;
  double closer = 0.25;
  std::size_t own_text = 15;
  std::size_t own_text_holders = 64;
  double own_text_slack = 0.05;
  bool rewrites = true;                          // also find rewritten passages inside pairs that share text
  bool rewrite_pairs = true;                     // also pair documents by their rarer vocabulary, for rewrites
  double rewrite_similarity = 0.33;              // sentence similarity from which two sentences seed a rewrite
  double vocabulary_share = 0.45;                // share of rarer vocabulary from which a pair with no passage counts
  std::size_t threads = 0;                       // 0: all cores
  std::size_t cache_mb = kAlignCacheBytes >> 20; // MiB alignment keeps documents' entries in (DocCache)

  AlignOptions align_options() const { return AlignOptions{ngram, min_tokens, max_gap}; }
  RewriteOptions rewrite_options() const { return RewriteOptions{rewrite_similarity, min_tokens, vocabulary_share}; }
  AttributeOptions attribute_options() const {
    return AttributeOptions{wholly, containment_margin, closer, own_text, own_text_holders, own_text_slack};
  }

  // Throws std::invalid_argument with a message naming the bad option and its range.
  void validate() const;
};

// What an option is set from.
enum class OptionType : std::uint8_t { Int, Real, Bool };

// Which entry points take an option.
enum OptionUse : std::uint8_t { kForTrace = 1, kForCompare = 2, kForIndex = 4 };

struct OptionSpec {
  std::string_view name;
  OptionType type;
  std::variant<std::size_t TraceOptions::*, double TraceOptions::*, bool TraceOptions::*> field;
  double minimum, maximum; // inclusive bounds of an Int or Real option
  bool above_minimum;      // a Real option must be strictly above its minimum
  std::uint8_t used_by;    // OptionUse bits
  std::string_view help;   // one line, for the command line
  std::string_view doc;    // the paragraph of the docstrings
  // Read by the stages before attribute: the aligned tables (align_corpus) hold for one value.
  bool aligns = false;
  // Changes only the speed or the memory taken, never a result (threads, cache_mb).
  bool tunes = false;
};

// Every option, in the order they are documented.
const std::vector<OptionSpec> &option_specs();
// The option called `name`, or nullptr.
const OptionSpec *find_option(std::string_view name);

// The message for a value out of an option's range ("ngram must be at least 1, got 0"), above
// its maximum when `too_high`.
std::string range_message(const OptionSpec &spec, std::string_view got, bool too_high);

// A value given for an option: an integer (as given, which may be out of range), a real or a bool.
using OptionValue = std::variant<std::int64_t, double, bool>;

// Options from the given (name, value) pairs, the others at their defaults, validated: the value
// must be of the option's type (an Int option takes an integer, a Real one a number, a Bool one
// a bool); min_tokens, unless given, is 15 or ngram when that is larger (a passage is at least one
// shingle long). Throws std::invalid_argument naming an unknown or bad option.
TraceOptions make_options(const std::vector<std::pair<std::string, OptionValue>> &given);

} // namespace storytrace

// The monitoring index: known texts kept in memory, new texts asked where their text came from.
#pragma once

#include <cstdint>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "storytrace/align.hpp"
#include "storytrace/common.hpp"
#include "storytrace/index.hpp"
#include "storytrace/pipeline.hpp"

namespace storytrace {

struct QueryHit {
  std::uint32_t doc = 0;
  std::uint32_t shared_tokens = 0;     // query tokens inside passages with the document
  std::uint32_t doc_shared_tokens = 0; // document tokens inside those passages
  double containment = 0;              // share of the query found in the document
  double doc_containment = 0;          // share of the document found in the query
  bool earlier = false;                // the document was surely published before the query
  std::vector<Span> spans;             // a = the document, b = the query
  std::vector<std::int64_t> doc_start, doc_end, query_start, query_end; // code points
};

class MonitorIndex {
public:
  explicit MonitorIndex(const TraceOptions &options);

  // Adds documents (tokenized and shingled in parallel), with their publication times (the
  // corpus's published and day_only; none when published is empty); returns the first new
  // document number.
  std::uint32_t add(const CorpusView &corpus, const Progress *progress = nullptr);
  // Documents that share passages with `text`, best first (most shared tokens), at most `top`.
  // With a known `published`, documents that cannot have preceded it (may_precede) are left out.
  std::vector<QueryHit> query(std::string_view text, std::size_t top, const TimeRange &published = {}) const;

  std::size_t size() const {
    std::shared_lock lock(mutex_);
    return doc_tokens_.size();
  }
  const TraceOptions &options() const { return options_; }

private:
  void compact();
  // add() takes it exclusively and query() shared: one index may serve many threads.
  mutable std::shared_mutex mutex_;
  std::mutex adding_; // held by add() throughout
  TraceOptions options_;
  std::string text_;                      // all document texts, for code-point offsets
  std::vector<std::uint64_t> text_begin_; // size docs+1
  std::vector<std::uint32_t> doc_tokens_;
  std::vector<TimeRange> times_;        // per document
  std::vector<std::uint64_t> sh_begin_; // size docs+1
  std::vector<std::uint64_t> shingles_;
  std::vector<std::uint64_t> tok_begin_; // size docs+1
  std::vector<Token> tokens_;
  // The postings of each add (build_postings, holders by document number), in the order of
  // adding; merged into one (merge_postings) when there are too many.
  std::vector<Postings> segments_;
};

} // namespace storytrace

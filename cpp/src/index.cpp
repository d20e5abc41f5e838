#include "storytrace/index.hpp"

#include <algorithm>
#include <numeric>
#include <stdexcept>

#include "storytrace/hashes.hpp"

namespace storytrace {
namespace {

struct Entry {
  std::uint64_t hash;
  std::uint32_t rank;
  bool operator<(const Entry &o) const { return hash != o.hash ? hash < o.hash : rank < o.rank; }
};

// Distinct unmasked shingles of document d with top byte in [lo, hi), sorted.
void distinct_of(const Tokenized &tok, const std::vector<std::uint8_t> &mask, std::size_t d,
                 std::vector<std::uint64_t> &out, std::size_t lo = 0, std::size_t hi = 256) {
  distinct_shingles(tok, d, mask.empty() ? nullptr : mask.data() + tok.sh_begin[d], out, lo, hi);
}

constexpr std::size_t kDocBlock = kCandidateBlock;

// A directory over sorted keys' top bits: the keys whose top `bits` bits are k are
// keys[dir[k], dir[k + 1]), a handful each (bits grows with the keys). A look-up touches the
// directory, one stretch of the keys and the holders (in a large corpus, each is a cache miss; a
// binary search over the whole array would be several).
template <class K> std::vector<std::uint32_t> key_directory(const K *keys, std::size_t n, std::size_t &bits) {
  constexpr std::size_t width = 8 * sizeof(K);
  bits = 8;
  while (bits < 30 && (std::size_t{1} << (bits + 2)) < n) ++bits;
  std::vector<std::uint32_t> dir((std::size_t{1} << bits) + 1, static_cast<std::uint32_t>(n));
  for (std::size_t k = 0, i = 0; k <= (std::size_t{1} << bits); ++k) {
    while (i < n && (std::uint64_t{keys[i]} >> (width - bits)) < k) ++i;
    dir[k] = static_cast<std::uint32_t>(i);
  }
  return dir;
}

// How many keys a document shares with each earlier document, by its rank: counted instead of
// sorting every holder met. The counts live in a buffer of the thread's, zero between documents:
// the ranks a document touched are set back when drained, or when the block ends (also by an
// exception).
class PartnerCounts {
public:
  explicit PartnerCounts(std::size_t n) : shared_(buffer(n)) {}
  PartnerCounts(const PartnerCounts &) = delete;
  PartnerCounts &operator=(const PartnerCounts &) = delete;
  ~PartnerCounts() {
    for (const std::uint32_t r : partners_) shared_[r] = 0;
  }
  void add(std::uint32_t rank) {
    if (shared_[rank]++ == 0) partners_.push_back(rank);
  }
  // Calls f(rank, count) for every rank touched since the last drain, in the order first touched.
  template <class F> void drain(F &&f) {
    for (const std::uint32_t r : partners_) {
      f(r, shared_[r]);
      shared_[r] = 0;
    }
    partners_.clear();
  }

private:
  static std::vector<std::uint32_t> &buffer(std::size_t n) {
    thread_local std::vector<std::uint32_t> counts;
    if (counts.size() < n) counts.assign(n, 0);
    return counts;
  }
  std::vector<std::uint32_t> &shared_;
  std::vector<std::uint32_t> partners_; // ranks touched, each once
};

// Sorts entries that share the hash's top byte.
void sort_entries(Entry *first, Entry *last) {
  thread_local std::vector<Entry> tmp;
  thread_local std::vector<std::size_t> at;
  detail::sort_by_hash(
      first, last, [](const Entry &e) { return e.hash; }, 8, tmp, at);
}

} // namespace

std::vector<std::uint32_t> time_rank(const CorpusView &corpus) {
  const std::size_t n = corpus.size();
  std::vector<std::uint32_t> order(n);
  std::iota(order.begin(), order.end(), 0u);
  std::stable_sort(order.begin(), order.end(), [&](std::uint32_t x, std::uint32_t y) {
    return orders_before(corpus.time(x), corpus.time(y)); // dated documents first, by time
  });
  std::vector<std::uint32_t> rank(n);
  for (std::size_t r = 0; r < n; ++r) rank[order[r]] = static_cast<std::uint32_t>(r);
  return rank;
}

Postings build_postings(const Tokenized &tok, const std::vector<std::uint8_t> &mask,
                        const std::vector<std::uint32_t> &rank, std::size_t threads, const Progress *progress,
                        std::size_t max_holders, std::size_t pass_entries, std::size_t min_holders) {
  if (min_holders == 0) throw std::invalid_argument("min_holders must be at least 1");
  const std::size_t n = tok.size();
  const std::size_t blocks = (n + kDocBlock - 1) / kDocBlock;
  // Every (distinct shingle, document) pair, grouped into 256 buckets by the hash's top byte:
  // each block of documents counts its pairs per bucket, then writes them at its own offsets (no
  // per-bucket vectors). The buckets are built, sorted and compacted in up to 16 passes, so that
  // at most pass_entries pairs (or a sixteenth of them) are held at once beside the postings.
  constexpr std::size_t kBuckets = 256;
  if (progress && *progress && !(*progress)("postings", 0, kBuckets)) throw Cancelled();
  std::vector<std::uint64_t> counts(blocks * kBuckets, 0);
  detail::parallel_for(blocks, threads, 1, [&](std::size_t b) {
    std::uint64_t *c = counts.data() + b * kBuckets;
    std::vector<std::uint64_t> distinct;
    for (std::size_t d = b * kDocBlock; d < std::min(n, (b + 1) * kDocBlock); ++d) {
      distinct_of(tok, mask, d, distinct);
      for (std::uint64_t h : distinct) ++c[h >> 56];
    }
  });
  std::size_t pairs = 0;
  for (std::uint64_t c : counts) pairs += c;
  std::size_t passes = 1;
  while (passes < 16 && pairs / passes > pass_entries) passes *= 2;
  const std::size_t per_pass = kBuckets / passes;
  Postings post;
  // At most every pair is kept, for at most half as many hashes: address space reserved, memory
  // taken only by what is written.
  post.hash.reserve(pairs / 2);
  post.begin.reserve(pairs / 2 + 1);
  post.rank.reserve(pairs);
  post.begin.push_back(0);
  uninit_vector<Entry> all; // every entry is written before it is read
  {
    // Room for the largest pass, taken once: grown from pass to pass, it would be moved (and its
    // new pages first touched) again.
    std::size_t largest = 0;
    for (std::size_t pass = 0; pass < passes; ++pass) {
      std::size_t entries = 0;
      for (std::size_t b = 0; b < blocks; ++b)
        for (std::size_t k = pass * per_pass; k < (pass + 1) * per_pass; ++k) entries += counts[b * kBuckets + k];
      largest = std::max(largest, entries);
    }
    all.reserve(largest);
  }
  std::vector<std::uint64_t> offset(blocks * per_pass); // where block b writes in bucket k of the pass
  std::vector<std::size_t> bucket_start(per_pass + 1), kept(per_pass), kept_hashes(per_pass);
  for (std::size_t pass = 0; pass < passes; ++pass) {
    const std::size_t k0 = pass * per_pass;
    std::size_t at = 0;
    for (std::size_t k = 0; k < per_pass; ++k) {
      bucket_start[k] = at;
      for (std::size_t b = 0; b < blocks; ++b) offset[b * per_pass + k] = at, at += counts[b * kBuckets + k0 + k];
    }
    bucket_start[per_pass] = at;
    all.resize(at);
    detail::parallel_for(blocks, threads, 1, [&](std::size_t b) {
      std::uint64_t *o = offset.data() + b * per_pass;
      std::vector<std::uint64_t> distinct;
      for (std::size_t d = b * kDocBlock; d < std::min(n, (b + 1) * kDocBlock); ++d) {
        distinct_of(tok, mask, d, distinct, k0, k0 + per_pass);
        for (std::uint64_t h : distinct) all[o[(h >> 56) - k0]++] = Entry{h, rank[d]};
      }
    });
    // Each bucket sorted by (hash, rank) on its own thread; for trace a hash held by one document
    // alone pairs nothing, so only hashes held by min_holders = 2 or more are kept (in news most
    // shingles are a single article's: this shrinks the postings and the candidate searches), and
    // of those only the earliest max_holders. Kept entries move to the front of their bucket.
    const Progress overall = detail::progress_from(progress, k0, kBuckets);
    detail::parallel_for(
        per_pass, threads, 1,
        [&](std::size_t k) {
          Entry *first = all.data() + bucket_start[k], *last = all.data() + bucket_start[k + 1];
          sort_entries(first, last);
          std::size_t out = 0, hashes = 0;
          const std::size_t size = static_cast<std::size_t>(last - first);
          for (std::size_t i = 0; i < size;) {
            std::size_t j = i + 1;
            while (j < size && first[j].hash == first[i].hash) ++j;
            if (j - i >= min_holders) {
              for (std::size_t e = i; e < i + std::min(j - i, max_holders); ++e) first[out++] = first[e];
              ++hashes;
            }
            i = j;
          }
          kept[k] = out, kept_hashes[k] = hashes;
        },
        progress ? &overall : nullptr, "postings");
    // The kept entries appended, each bucket on its own thread at its own offsets.
    std::vector<std::size_t> rank_at(per_pass), hash_at(per_pass);
    std::size_t ranks = post.rank.size(), hashes = post.hash.size();
    for (std::size_t k = 0; k < per_pass; ++k) {
      rank_at[k] = ranks, hash_at[k] = hashes;
      ranks += kept[k], hashes += kept_hashes[k];
    }
    if (ranks > UINT32_MAX)
      throw std::length_error("the shingle index would reach 2^32 entries: trace the corpus in parts");
    post.rank.resize(ranks);
    post.hash.resize(hashes);
    post.begin.resize(hashes + 1);
    detail::parallel_for(per_pass, threads, 1, [&](std::size_t k) {
      const Entry *e = all.data() + bucket_start[k];
      std::size_t h = hash_at[k];
      for (std::size_t i = 0; i < kept[k]; ++i) {
        if (i == 0 || e[i].hash != e[i - 1].hash)
          post.hash[h] = e[i].hash, post.begin[h++] = static_cast<std::uint32_t>(rank_at[k] + i);
        post.rank[rank_at[k] + i] = e[i].rank;
      }
    });
    post.begin[hashes] = static_cast<std::uint32_t>(ranks);
  }
  return post;
}

std::span<const std::uint32_t> Postings::holders(std::uint64_t h) const {
  const auto it = std::lower_bound(hash.begin(), hash.end(), h);
  if (it == hash.end() || *it != h) return {};
  const auto k = static_cast<std::size_t>(it - hash.begin());
  return {rank.data() + begin[k], rank.data() + begin[k + 1]};
}

Postings merge_postings(const Postings &earlier, const Postings &later, std::size_t max_holders) {
  Postings out;
  out.hash.reserve(earlier.hash.size() + later.hash.size());
  out.begin.reserve(earlier.hash.size() + later.hash.size() + 1);
  out.rank.reserve(earlier.size() + later.size());
  out.begin.push_back(0);
  auto append = [&](const Postings &p, std::size_t k, std::size_t room) {
    const std::size_t b = p.begin[k], e = b + std::min<std::size_t>(p.begin[k + 1] - b, room);
    for (std::size_t i = b; i < e; ++i) out.rank.push_back(p.rank[i]);
    return e - b;
  };
  std::size_t i = 0, j = 0;
  while (i < earlier.hash.size() || j < later.hash.size()) {
    const bool from_earlier = j == later.hash.size() || (i < earlier.hash.size() && earlier.hash[i] <= later.hash[j]);
    const bool from_later = i == earlier.hash.size() || (j < later.hash.size() && later.hash[j] <= earlier.hash[i]);
    out.hash.push_back(from_earlier ? earlier.hash[i] : later.hash[j]);
    std::size_t kept = 0;
    if (from_earlier) kept += append(earlier, i++, max_holders);
    if (from_later) kept += append(later, j++, max_holders - kept);
    if (out.rank.size() > UINT32_MAX)
      throw std::length_error("the shingle index would reach 2^32 entries: split it in parts");
    out.begin.push_back(static_cast<std::uint32_t>(out.rank.size()));
  }
  return out;
}

std::vector<Candidate> find_candidates(const Tokenized &tok, const std::vector<std::uint8_t> &mask,
                                       const Postings &postings, const std::vector<std::uint32_t> &rank,
                                       const CandidateOptions &options, std::size_t threads, const Progress *progress) {
  const std::size_t n = tok.size();
  const std::size_t keys = postings.hash.size();
  std::size_t dir_bits = 0;
  const std::vector<std::uint32_t> dir = key_directory(postings.hash.data(), keys, dir_bits);
  // Most shingles of a document are its own: a bit filter of the shared hashes turns most of
  // those away before a look-up.
  detail::BitFilter shared_hashes(keys);
  for (const std::uint64_t h : postings.hash) shared_hashes.add(h);
  std::vector<std::uint32_t> order(n); // document of each rank
  for (std::size_t d = 0; d < n; ++d) order[rank[d]] = static_cast<std::uint32_t>(d);
  const std::size_t fanout = std::max<std::size_t>(options.fanout, 1);
  const std::size_t min_shared = std::max<std::size_t>(options.min_shared, 1);
  const std::size_t blocks = (n + kDocBlock - 1) / kDocBlock;
  std::vector<std::vector<Candidate>> parts(blocks);
  detail::parallel_for(
      blocks, threads, 1,
      [&](std::size_t b) {
        std::vector<std::uint64_t> distinct;
        PartnerCounts shared(n); // shingles shared with each earlier document
        std::vector<Candidate> mine;
        std::vector<std::uint32_t> found; // keys of a document's shared shingles
        for (std::size_t t = b * kDocBlock; t < std::min(n, (b + 1) * kDocBlock); ++t) {
          distinct_of(tok, mask, t, distinct);
          std::erase_if(distinct, [&](std::uint64_t h) { return !shared_hashes.may_hold(h); });
          const std::uint32_t my_rank = rank[t];
          // Each look-up is a cache miss in a large corpus: the directory slot and the hashes a
          // few steps ahead are fetched while this one is searched, and the holders of every key
          // found are fetched before any is read.
          const std::size_t shift = 64 - dir_bits, nd = distinct.size();
          found.clear();
          for (std::size_t x = 0; x < nd; ++x) {
            if (x + 16 < nd) __builtin_prefetch(&dir[distinct[x + 16] >> shift]);
            if (x + 8 < nd) {
              const std::uint64_t at = dir[distinct[x + 8] >> shift];
              __builtin_prefetch(postings.hash.data() + at);
              __builtin_prefetch(postings.begin.data() + at);
            }
            const std::uint64_t h = distinct[x];
            const std::size_t k = h >> shift;
            std::size_t key = dir[k];
            const std::size_t last = dir[k + 1];
            while (key < last && postings.hash[key] < h) ++key;
            if (key == last || postings.hash[key] != h) continue;
            found.push_back(static_cast<std::uint32_t>(key));
            __builtin_prefetch(postings.rank.data() + postings.begin[key]);
          }
          for (const std::uint32_t key : found) {
            // Holders are in time order: pair with the earliest `fanout` ones before this one.
            const std::size_t end = std::min<std::size_t>(postings.begin[key + 1], postings.begin[key] + fanout);
            for (std::size_t i = postings.begin[key]; i < end; ++i) {
              const std::uint32_t r = postings.rank[i];
              if (r >= my_rank) break;
              shared.add(r);
            }
          }
          mine.clear();
          shared.drain([&](std::uint32_t r, std::uint32_t count) {
            if (count >= min_shared) mine.push_back(Candidate{order[r], static_cast<std::uint32_t>(t), count});
          });
          std::sort(mine.begin(), mine.end(), [](const Candidate &x, const Candidate &y) { return x.first < y.first; });
          parts[b].insert(parts[b].end(), mine.begin(), mine.end());
        }
      },
      progress, "candidates");
  std::vector<Candidate> out;
  std::size_t total = 0;
  for (const auto &p : parts) total += p.size();
  out.reserve(total);
  for (auto &p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

std::vector<Candidate> find_form_candidates(const Tokenized &tok, const std::vector<std::uint32_t> &rank,
                                            const FormCandidateOptions &options, std::size_t threads,
                                            const Progress *progress) {
  const std::size_t n = tok.size();
  if (tok.sample_begin.size() != n + 1 || n == 0) return {};
  if (rank.size() != n) throw std::invalid_argument("rank must have one entry per document");
  // The keys held by 2 to max_holders documents, with their holders' ranks (ascending), made in 16
  // passes over the samples, each taking the keys of one sixteenth of the key range: a pass sorts
  // its (key, rank) entries in 16 groups by the key's next bits, in parallel, and holds a sixteenth
  // of the entries at once.
  constexpr std::size_t kPasses = 16, kGroups = 16;
  // Entries per (pass, group): the key's top byte, counted once for every pass.
  std::vector<std::uint64_t> per_byte(kPasses * kGroups, 0);
  for (const std::uint32_t key : tok.sample) ++per_byte[key >> 24];
  std::vector<std::uint32_t> keys, begin{0}, holders;
  std::vector<std::uint64_t> entries;
  for (std::size_t pass = 0; pass < kPasses; ++pass) {
    std::vector<std::uint64_t> at(kGroups + 1, 0);
    auto group = [](std::uint32_t key) { return (key >> 24) & (kGroups - 1); };
    auto mine = [pass](std::uint32_t key) { return (key >> 28) == pass; };
    for (std::size_t g = 0; g < kGroups; ++g) at[g + 1] = at[g] + per_byte[pass * kGroups + g];
    entries.resize(at[kGroups]);
    std::vector<std::uint64_t> fill(at.begin(), at.end() - 1);
    for (std::size_t d = 0; d < n; ++d)
      for (const std::uint32_t key : tok.sample_of(d))
        if (mine(key)) entries[fill[group(key)]++] = (std::uint64_t{key} << 32) | rank[d];
    detail::parallel_for(kGroups, threads, 1, [&](std::size_t g) {
      std::sort(entries.begin() + static_cast<std::ptrdiff_t>(at[g]),
                entries.begin() + static_cast<std::ptrdiff_t>(at[g + 1]));
    });
    const std::size_t total = entries.size();
    for (std::size_t i = 0; i < total;) {
      std::size_t j = i;
      while (j < total && (entries[j] >> 32) == (entries[i] >> 32)) ++j;
      if (j - i >= 2 && j - i <= options.max_holders) {
        keys.push_back(static_cast<std::uint32_t>(entries[i] >> 32));
        for (std::size_t k = i; k < j; ++k) holders.push_back(static_cast<std::uint32_t>(entries[k]));
        begin.push_back(static_cast<std::uint32_t>(holders.size()));
      }
      i = j;
    }
  }
  release(entries);
  std::size_t dir_bits = 0;
  const std::vector<std::uint32_t> dir = key_directory(keys.data(), keys.size(), dir_bits);
  std::vector<std::uint32_t> order(n); // document of each rank
  for (std::size_t d = 0; d < n; ++d) order[rank[d]] = static_cast<std::uint32_t>(d);
  const std::size_t blocks = (n + kDocBlock - 1) / kDocBlock;
  std::vector<std::vector<Candidate>> parts(blocks);
  detail::parallel_for(
      blocks, threads, 1,
      [&](std::size_t b) {
        PartnerCounts shared(n);                                   // sampled forms shared with each earlier document
        std::vector<std::pair<std::uint32_t, std::uint32_t>> best; // (shared, rank)
        for (std::size_t t = b * kDocBlock; t < std::min(n, (b + 1) * kDocBlock); ++t) {
          const std::uint32_t my_rank = rank[t];
          std::size_t held = 0; // sampled forms another document holds too
          for (const std::uint32_t key : tok.sample_of(t)) {
            const std::size_t slot = std::uint64_t{key} >> (32 - dir_bits);
            std::size_t k = dir[slot];
            const std::size_t last = dir[slot + 1];
            while (k < last && keys[k] < key) ++k;
            if (k == last || keys[k] != key) continue;
            ++held;
            for (std::size_t i = begin[k]; i < begin[k + 1] && holders[i] < my_rank; ++i) shared.add(holders[i]);
          }
          best.clear();
          const double need =
              std::max<double>(static_cast<double>(options.min_shared), options.min_share * static_cast<double>(held));
          shared.drain([&](std::uint32_t r, std::uint32_t count) {
            if (count >= need) best.emplace_back(count, r);
          });
          // The most shared first, the earliest of equals.
          std::sort(best.begin(), best.end(), [](const auto &x, const auto &y) {
            return x.first != y.first ? x.first > y.first : x.second < y.second;
          });
          if (best.size() > options.partners) best.resize(options.partners);
          const std::size_t from = parts[b].size();
          for (const auto &[count, r] : best) parts[b].push_back(Candidate{order[r], static_cast<std::uint32_t>(t), 0});
          std::sort(parts[b].begin() + static_cast<std::ptrdiff_t>(from), parts[b].end(),
                    [](const Candidate &x, const Candidate &y) { return x.first < y.first; });
        }
      },
      progress, "candidates");
  std::vector<Candidate> out;
  for (auto &p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

std::vector<Candidate> merge_candidates(const std::vector<Candidate> &shingles, const std::vector<Candidate> &forms) {
  std::vector<Candidate> out;
  out.reserve(shingles.size() + forms.size());
  auto before = [](const Candidate &x, const Candidate &y) {
    return x.second != y.second ? x.second < y.second : x.first < y.first;
  };
  std::size_t i = 0, j = 0;
  while (i < shingles.size() || j < forms.size()) {
    if (j == forms.size() || (i < shingles.size() && !before(forms[j], shingles[i]))) {
      if (j < forms.size() && !before(shingles[i], forms[j])) ++j; // the same pair
      out.push_back(shingles[i++]);
    } else {
      out.push_back(forms[j++]);
    }
  }
  return out;
}

} // namespace storytrace

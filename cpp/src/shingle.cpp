#include "storytrace/shingle.hpp"

#include <xxhash.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <string>

#include "storytrace/hashes.hpp"

namespace storytrace {

std::uint64_t hash_shingle(const std::string &normalized, const std::uint32_t *norm_offsets, std::size_t first,
                           std::size_t ngram, std::string &scratch) {
  scratch.clear();
  for (std::size_t k = 0; k < ngram; ++k) {
    if (k) scratch.push_back(' ');
    scratch.append(normalized, norm_offsets[first + k], norm_offsets[first + k + 1] - norm_offsets[first + k]);
  }
  return XXH3_64bits_withSeed(scratch.data(), scratch.size(), kHashSeed);
}

void shingle_spaced(std::string_view spaced, const std::vector<std::uint32_t> &norm_offsets, std::size_t ngram,
                    std::vector<std::uint64_t> &out) {
  out.clear();
  const std::size_t n = norm_offsets.empty() ? 0 : norm_offsets.size() - 1;
  if (ngram == 0 || n < ngram) return;
  out.reserve(n - ngram + 1);
  const std::uint32_t *off = norm_offsets.data();
  for (std::size_t i = 0; i + ngram <= n; ++i)
    out.push_back(XXH3_64bits_withSeed(spaced.data() + off[i], off[i + ngram] - 1 - off[i], kHashSeed));
}

void shingle(const std::string &normalized, const std::vector<std::uint32_t> &norm_offsets, std::size_t ngram,
             std::vector<std::uint64_t> &out) {
  // The tokens each followed by a space, as tokenize(..., spaced) gives them: token k starts at
  // norm_offsets[k] + k, and every shingle is a substring (the bytes hash_shingle builds one
  // shingle at a time).
  const std::size_t n = norm_offsets.empty() ? 0 : norm_offsets.size() - 1;
  thread_local std::string spaced;
  thread_local std::vector<std::uint32_t> spaced_offsets;
  spaced.resize(normalized.size() + n);
  spaced_offsets.resize(n + 1);
  const std::uint32_t *off = norm_offsets.data();
  for (std::size_t k = 0; k < n; ++k) {
    spaced_offsets[k] = static_cast<std::uint32_t>(off[k] + k);
    std::memcpy(spaced.data() + off[k] + k, normalized.data() + off[k], off[k + 1] - off[k]);
    spaced[off[k + 1] + k] = ' ';
  }
  spaced_offsets[n] = static_cast<std::uint32_t>(spaced.size());
  shingle_spaced(spaced, spaced_offsets, ngram, out);
}

void distinct_shingles(const std::uint64_t *shingles, std::size_t n, const std::uint8_t *mask,
                       std::vector<std::uint64_t> &out) {
  out.clear();
  for (std::size_t i = 0; i < n; ++i)
    if (!mask || !mask[i]) out.push_back(shingles[i]);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
}

void shingle_order(const std::uint64_t *shingles, std::size_t n, std::uint16_t *out) {
  if (n > kMaxOrdered) throw std::length_error("shingle_order: more than kMaxOrdered shingles");
  // The positions sorted by their hash (placed by its top bits, then each small bucket sorted),
  // ties by position.
  thread_local std::vector<std::uint16_t> tmp;
  thread_local std::vector<std::size_t> at;
  for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<std::uint16_t>(i);
  detail::sort_by_hash(
      out, out + n, [shingles](std::uint16_t p) { return shingles[p]; }, 0, tmp, at,
      [shingles](std::uint16_t x, std::uint16_t y) {
        return shingles[x] != shingles[y] ? shingles[x] < shingles[y] : x < y;
      });
}

void distinct_shingles(const Tokenized &tok, std::size_t d, const std::uint8_t *mask, std::vector<std::uint64_t> &out,
                       std::size_t lo, std::size_t hi) {
  const std::size_t s0 = tok.sh_begin[d], n = tok.shingle_count(d);
  const std::uint64_t *sh = tok.shingles.data() + s0;
  auto in_range = [&](std::uint64_t h) { return (h >> 56) >= lo && (h >> 56) < hi; };
  if (!tok.ordered(d)) {
    distinct_shingles(sh, n, mask, out);
    if (lo > 0 || hi < 256) std::erase_if(out, [&](std::uint64_t h) { return !in_range(h); });
    return;
  }
  out.clear();
  // The shingle order is by hash: the range is one stretch of it, found by binary search.
  const std::uint16_t *order = tok.sh_order.data() + s0;
  const std::uint16_t *i =
      lo == 0 ? order : std::partition_point(order, order + n, [&](std::uint16_t p) { return (sh[p] >> 56) < lo; });
  for (; i != order + n && in_range(sh[*i]); ++i) {
    if (mask && mask[*i]) continue;
    if (out.empty() || out.back() != sh[*i]) out.push_back(sh[*i]);
  }
}

namespace {
// The tokens and shingles of a block of consecutive documents.
struct Block {
  std::vector<std::uint64_t> tok_count, sh_count, sample_count;
  std::vector<Token> tokens;
  std::vector<std::uint32_t> sample;
  std::vector<std::uint64_t> shingles;
  std::vector<std::uint16_t> order;
};
} // namespace

std::span<const Token> doc_tokens(const Tokenized &tok, std::string_view text, std::size_t d,
                                  std::vector<Token> &scratch, bool hashes) {
  if (tok.token_count(d) == 0) return {};
  if (!tok.tokens.empty()) return {tok.tokens.data() + tok.tok_begin[d], tok.token_count(d)};
  if (hashes)
    tokenize(text, scratch);
  else
    token_bounds(text, scratch);
  if (scratch.size() != tok.token_count(d)) // tok is a table made for another text
    throw std::invalid_argument("document " + std::to_string(d) + " has " + std::to_string(scratch.size()) +
                                " tokens, not the " + std::to_string(tok.token_count(d)) + " its tables say");
  return scratch;
}

Tokenized tokenize_corpus(const CorpusView &corpus, std::size_t ngram, std::size_t threads, const Progress *progress,
                          std::size_t keep_tokens_bytes) {
  const std::size_t n = corpus.size();
  // Blocks of about 256 KiB of text (at least one document) keep threads busy and memory flat: a
  // wave's blocks (their tokens, shingles and orders take about 4.5 times their text) stay small
  // enough to be reused from wave to wave, not first written (page-faulted) once per block.
  std::vector<std::size_t> block_start{0};
  std::size_t bytes = 0;
  for (std::size_t d = 0; d < n; ++d) {
    bytes += corpus.doc_bytes(d) + 64;
    if (bytes >= (1u << 18) || d - block_start.back() + 1 >= 4096) {
      block_start.push_back(d + 1);
      bytes = 0;
    }
  }
  if (block_start.back() != n) block_start.push_back(n);
  const std::size_t blocks = block_start.size() - 1;

  Tokenized tok;
  tok.ngram = ngram;
  tok.forms.reset();
  tok.tok_begin.assign(n + 1, 0);
  tok.sh_begin.assign(n + 1, 0);
  tok.sample_begin.assign(n + 1, 0);
  // Blocks are tokenized a wave at a time and appended to the flat arrays as each wave ends:
  // the process holds the arrays and one wave's blocks, not every block beside the arrays. The
  // arrays are reserved after the first wave from its tokens per byte, with a quarter to spare (a
  // reservation is address space; only what is written takes memory), so they are not copied as
  // they grow.
  const std::size_t wave = std::max<std::size_t>(16, 8 * std::max<std::size_t>(threads, 1));
  std::vector<Block> out(std::min(wave, blocks));
  std::size_t d = 0;
  bool keep_tokens = keep_tokens_bytes > 0; // changed between waves only
  // Past the budget (by the estimate or by the count), the tokens held so far are dropped.
  auto drop_over_budget = [&](double tokens) {
    if (!keep_tokens || tokens * sizeof(Token) <= static_cast<double>(keep_tokens_bytes)) return;
    keep_tokens = false;
    release(tok.tokens);
    for (Block &blk : out) release(blk.tokens);
  };
  if (blocks == 0 && progress && *progress && !(*progress)("tokenize", 0, 0)) throw Cancelled();
  for (std::size_t w0 = 0; w0 < blocks; w0 += wave) {
    const std::size_t w1 = std::min(blocks, w0 + wave);
    // Progress runs over all the blocks, not one wave.
    const Progress overall = detail::progress_from(progress, w0, blocks);
    detail::parallel_for(
        w1 - w0, threads, 1,
        [&](std::size_t k) {
          Block &blk = out[k];
          std::vector<Token> toks;
          std::string text, normalized;
          std::vector<std::uint32_t> norm_offsets;
          std::vector<std::uint64_t> sh, forms;
          for (std::size_t doc = block_start[w0 + k]; doc < block_start[w0 + k + 1]; ++doc) {
            tokenize(corpus.doc(doc, text), toks, &normalized, &norm_offsets, /*spaced=*/true);
            shingle_spaced(normalized, norm_offsets, ngram, sh);
            forms.resize(toks.size());
            for (std::size_t i = 0; i < toks.size(); ++i)
              forms[i] = word_form(
                  std::string_view(normalized).substr(norm_offsets[i], norm_offsets[i + 1] - 1 - norm_offsets[i]),
                  toks[i].hash);
            std::sort(forms.begin(), forms.end());
            forms.erase(std::unique(forms.begin(), forms.end()), forms.end());
            tok.forms.add_document(forms.data(), forms.size());
            const std::size_t sampled = blk.sample.size();
            for (const std::uint64_t f : forms)
              if (in_sample(f)) blk.sample.push_back(sample_key(f));
            // Keys are the hash's next bits, so ascending forms give ascending keys (distinct but
            // for a collision of 32 bits, removed).
            blk.sample.erase(std::unique(blk.sample.begin() + static_cast<std::ptrdiff_t>(sampled), blk.sample.end()),
                             blk.sample.end());
            blk.sample_count.push_back(blk.sample.size() - sampled);
            blk.tok_count.push_back(toks.size());
            blk.sh_count.push_back(sh.size());
            if (keep_tokens) blk.tokens.insert(blk.tokens.end(), toks.begin(), toks.end());
            blk.shingles.insert(blk.shingles.end(), sh.begin(), sh.end());
            blk.order.resize(blk.shingles.size());
            if (sh.size() <= kMaxOrdered)
              shingle_order(sh.data(), sh.size(), blk.order.data() + (blk.order.size() - sh.size()));
          }
        },
        progress ? &overall : nullptr, "tokenize");
    if (w0 == 0) {
      std::size_t wave_bytes = 0, wave_tok = 0, wave_sh = 0, wave_sample = 0;
      for (std::size_t k = 0; k < w1; ++k)
        wave_tok += out[k].tokens.size(), wave_sh += out[k].shingles.size(), wave_sample += out[k].sample.size();
      std::size_t all_bytes = 0;
      for (std::size_t doc = 0; doc < n; ++doc) {
        if (doc == block_start[w1]) wave_bytes = all_bytes;
        all_bytes += corpus.doc_bytes(doc);
      }
      if (block_start[w1] == n) wave_bytes = all_bytes;
      // The whole corpus's counts, estimated from the wave's.
      const double ratio = wave_bytes ? static_cast<double>(all_bytes) / static_cast<double>(wave_bytes) : 1.0;
      drop_over_budget(static_cast<double>(wave_tok) * ratio * 1.05);
      if (keep_tokens)
        tok.tokens.reserve(static_cast<std::size_t>(static_cast<double>(wave_tok) * ratio * 1.25) + 1024);
      tok.shingles.reserve(static_cast<std::size_t>(static_cast<double>(wave_sh) * ratio * 1.25) + 1024);
      tok.sh_order.reserve(tok.shingles.capacity());
      tok.sample.reserve(static_cast<std::size_t>(static_cast<double>(wave_sample) * ratio * 1.25) + 1024);
    }
    // The wave's blocks are copied into the arrays in parallel, each to its own place: the arrays
    // grow without being zeroed, so each new page is first written by the thread copying into it.
    std::vector<std::size_t> tok_at(w1 - w0), sh_at(w1 - w0), sample_at(w1 - w0);
    std::size_t tok_end = tok.tokens.size(), sh_end = tok.shingles.size(), sample_end = tok.sample.size();
    for (std::size_t k = 0; k < w1 - w0; ++k) {
      const Block &blk = out[k];
      tok_at[k] = tok_end, sh_at[k] = sh_end, sample_at[k] = sample_end;
      tok_end += blk.tokens.size(), sh_end += blk.shingles.size(), sample_end += blk.sample.size();
      for (std::size_t j = 0; j < blk.tok_count.size(); ++j, ++d) {
        tok.tok_begin[d + 1] = tok.tok_begin[d] + blk.tok_count[j];
        tok.sh_begin[d + 1] = tok.sh_begin[d] + blk.sh_count[j];
        tok.sample_begin[d + 1] = tok.sample_begin[d] + blk.sample_count[j];
      }
    }
    tok.tokens.resize(tok_end);
    tok.shingles.resize(sh_end);
    tok.sh_order.resize(sh_end);
    tok.sample.resize(sample_end);
    detail::parallel_for(w1 - w0, threads, 1, [&](std::size_t k) {
      Block &blk = out[k];
      std::copy(blk.tokens.begin(), blk.tokens.end(), tok.tokens.begin() + tok_at[k]);
      std::copy(blk.shingles.begin(), blk.shingles.end(), tok.shingles.begin() + sh_at[k]);
      std::copy(blk.order.begin(), blk.order.end(), tok.sh_order.begin() + sh_at[k]);
      std::copy(blk.sample.begin(), blk.sample.end(), tok.sample.begin() + sample_at[k]);
      // Emptied, not freed: the next wave's blocks reuse the memory.
      blk.tok_count.clear(), blk.sh_count.clear(), blk.tokens.clear(), blk.shingles.clear(), blk.order.clear();
      blk.sample_count.clear(), blk.sample.clear();
    });
    drop_over_budget(static_cast<double>(tok.tokens.size()));
  }
  return tok;
}

} // namespace storytrace

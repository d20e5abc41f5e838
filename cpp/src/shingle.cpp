#include "storytrace/shingle.hpp"

#include <xxhash.h>

#include <algorithm>
#include <cstring>

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

void shingle(const std::string &normalized, const std::vector<std::uint32_t> &norm_offsets, std::size_t ngram,
             std::vector<std::uint64_t> &out) {
  out.clear();
  const std::size_t n = norm_offsets.empty() ? 0 : norm_offsets.size() - 1;
  if (ngram == 0 || n < ngram) return;
  out.reserve(n - ngram + 1);
  // The tokens joined by single spaces once: token k starts at norm_offsets[k] + k, and every
  // shingle is a substring of it (the same bytes hash_shingle builds one shingle at a time).
  thread_local std::string spaced;
  spaced.resize(normalized.size() + n - 1);
  const std::uint32_t *off = norm_offsets.data();
  for (std::size_t k = 0; k < n; ++k) {
    std::memcpy(spaced.data() + off[k] + k, normalized.data() + off[k], off[k + 1] - off[k]);
    if (k + 1 < n) spaced[off[k + 1] + k] = ' ';
  }
  for (std::size_t i = 0; i + ngram <= n; ++i) {
    const std::size_t from = off[i] + i, to = off[i + ngram] + i + ngram - 1;
    out.push_back(XXH3_64bits_withSeed(spaced.data() + from, to - from, kHashSeed));
  }
}

void distinct_shingles(const std::uint64_t *shingles, std::size_t n, const std::uint8_t *mask,
                       std::vector<std::uint64_t> &out) {
  out.clear();
  for (std::size_t i = 0; i < n; ++i)
    if (!mask || !mask[i]) out.push_back(shingles[i]);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
}

void shingle_order(const std::uint64_t *shingles, std::size_t n, std::uint32_t *out) {
  thread_local std::vector<std::pair<std::uint64_t, std::uint32_t>> keyed;
  keyed.resize(n);
  for (std::size_t i = 0; i < n; ++i) keyed[i] = {shingles[i], static_cast<std::uint32_t>(i)};
  std::sort(keyed.begin(), keyed.end());
  for (std::size_t i = 0; i < n; ++i) out[i] = keyed[i].second;
}

void distinct_shingles(const Tokenized &tok, std::size_t d, const std::uint8_t *mask, std::vector<std::uint64_t> &out) {
  const std::size_t s0 = tok.sh_begin[d], n = tok.shingle_count(d);
  const std::uint64_t *sh = tok.shingles.data() + s0;
  if (tok.sh_order.empty()) {
    distinct_shingles(sh, n, mask, out);
    return;
  }
  out.clear();
  const std::uint32_t *order = tok.sh_order.data() + s0;
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint32_t p = order[i];
    if (mask && mask[p]) continue;
    if (out.empty() || out.back() != sh[p]) out.push_back(sh[p]);
  }
}

namespace {
// The tokens and shingles of a block of consecutive documents.
struct Block {
  std::vector<std::uint64_t> tok_count, sh_count;
  std::vector<Token> tokens;
  std::vector<std::uint64_t> shingles;
  std::vector<std::uint32_t> order;
};
} // namespace

Tokenized tokenize_corpus(const CorpusView &corpus, std::size_t ngram, std::size_t threads, const Progress *progress) {
  const std::size_t n = corpus.size();
  // Blocks of about 1 MiB of text (at least one document) keep threads busy and memory flat.
  std::vector<std::size_t> block_start{0};
  std::size_t bytes = 0;
  for (std::size_t d = 0; d < n; ++d) {
    bytes += corpus.offsets[d + 1] - corpus.offsets[d] + 64;
    if (bytes >= (1u << 20) || d - block_start.back() + 1 >= 4096) {
      block_start.push_back(d + 1);
      bytes = 0;
    }
  }
  if (block_start.back() != n) block_start.push_back(n);
  const std::size_t blocks = block_start.size() - 1;
  std::vector<Block> out(blocks);

  detail::parallel_for(
      blocks, threads, 1,
      [&](std::size_t b) {
        Block &blk = out[b];
        std::vector<Token> toks;
        std::string normalized;
        std::vector<std::uint32_t> norm_offsets;
        std::vector<std::uint64_t> sh;
        for (std::size_t d = block_start[b]; d < block_start[b + 1]; ++d) {
          tokenize(corpus.doc(d), toks, &normalized, &norm_offsets);
          shingle(normalized, norm_offsets, ngram, sh);
          blk.tok_count.push_back(toks.size());
          blk.sh_count.push_back(sh.size());
          blk.tokens.insert(blk.tokens.end(), toks.begin(), toks.end());
          blk.shingles.insert(blk.shingles.end(), sh.begin(), sh.end());
          blk.order.resize(blk.shingles.size());
          shingle_order(sh.data(), sh.size(), blk.order.data() + (blk.order.size() - sh.size()));
        }
      },
      progress, "tokenize");

  Tokenized tok;
  tok.ngram = ngram;
  tok.tok_begin.assign(n + 1, 0);
  tok.sh_begin.assign(n + 1, 0);
  std::size_t total_tok = 0, total_sh = 0;
  for (const Block &blk : out) total_tok += blk.tokens.size(), total_sh += blk.shingles.size();
  tok.tokens.reserve(total_tok);
  tok.shingles.reserve(total_sh);
  tok.sh_order.reserve(total_sh);
  std::size_t d = 0, merged = 0;
  for (Block &blk : out) {
    for (std::size_t k = 0; k < blk.tok_count.size(); ++k, ++d) {
      tok.tok_begin[d + 1] = tok.tok_begin[d] + blk.tok_count[k];
      tok.sh_begin[d + 1] = tok.sh_begin[d] + blk.sh_count[k];
    }
    tok.tokens.insert(tok.tokens.end(), blk.tokens.begin(), blk.tokens.end());
    tok.shingles.insert(tok.shingles.end(), blk.shingles.begin(), blk.shingles.end());
    tok.sh_order.insert(tok.sh_order.end(), blk.order.begin(), blk.order.end());
    std::vector<std::uint32_t>().swap(blk.order);
    Block().tok_count.swap(blk.tok_count);
    std::vector<Token>().swap(blk.tokens);
    std::vector<std::uint64_t>().swap(blk.shingles);
    // The flat arrays fill as the blocks empty: keep the process from holding both.
    if (++merged % 32 == 0) detail::release_free_memory();
  }
  detail::release_free_memory();
  return tok;
}

} // namespace storytrace

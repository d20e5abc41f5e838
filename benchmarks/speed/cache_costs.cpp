// What alignment's document cache saves: the time, per token, to build again each kind of entry
// it keeps (a document's sorted seeds, the rewrite scorer's sentence units and word forms), and
// the bytes per token each takes. DocCache (scorers.hpp) grants its budget by time saved per byte;
// its constants come from this.
//
//   cmake --build build/tests --target storytrace_core
//   python -c "import sys; sys.path.insert(0, 'benchmarks/speed'); import corpus; \
//     open('/tmp/texts.bin', 'wb').write(b''.join(r['text'].encode() + b'\0' \
//     for r in corpus.make_corpus(3000, seed=7).records))"
//   g++ -O2 -std=c++20 -Icpp/include benchmarks/speed/cache_costs.cpp build/tests/libstorytrace_core.a \
//     -licui18n -licuuc -licudata -lxxhash -pthread -o /tmp/cache_costs && /tmp/cache_costs /tmp/texts.bin
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "storytrace/align.hpp"
#include "storytrace/rewrite.hpp"
#include "storytrace/shingle.hpp"

using namespace storytrace;

namespace {

template <class F> double seconds(F &&f) {
  const auto t0 = std::chrono::steady_clock::now();
  f();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

} // namespace

int main(int argc, char **argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: cache_costs TEXTS (UTF-8 texts, each ended by a NUL byte)\n");
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  const std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CorpusView corpus;
  corpus.text = all;
  corpus.offsets.push_back(0);
  for (std::size_t i = 0; i < all.size(); ++i)
    if (all[i] == '\0') corpus.offsets.push_back(i), corpus.offsets.back() = i;
  // offsets[d + 1] is the NUL ending document d; the next starts after it.
  std::vector<std::uint64_t> ends(corpus.offsets.begin() + 1, corpus.offsets.end());
  corpus.offsets.assign(1, 0);
  std::string text;
  std::size_t at = 0;
  for (std::uint64_t e : ends) text.append(all, at, e - at), corpus.offsets.push_back(text.size()), at = e + 1;
  corpus.text = text;
  const std::size_t n = corpus.size();
  corpus.published.assign(n, kNoTime);
  corpus.outlet.assign(n, kNone);
  const Tokenized kept = tokenize_corpus(corpus, 5, 1);
  const Tokenized dropped = tokenize_corpus(corpus, 5, 1, nullptr, 0);
  std::size_t tokens = 0;
  for (std::size_t d = 0; d < n; ++d) tokens += kept.token_count(d);
  constexpr int kRounds = 5;
  std::string scratch;
  std::vector<Token> scratch_tokens;
  std::vector<Seed> seeds;
  const double t_seeds = seconds([&] {
    for (int r = 0; r < kRounds; ++r)
      for (std::size_t d = 0; d < n; ++d) sorted_seeds(kept, d, nullptr, seeds);
  });
  TextUnits units;
  std::size_t unit_bytes = 0;
  auto units_from = [&](const Tokenized &tok) {
    return seconds([&] {
      unit_bytes = 0;
      for (int r = 0; r < kRounds; ++r)
        for (std::size_t d = 0; d < n; ++d) {
          const std::string_view doc = corpus.doc(d, scratch);
          const std::span<const Token> t = doc_tokens(tok, doc, d, scratch_tokens);
          units.build(doc, t.data(), t.size());
          unit_bytes += units.bytes() + t.size() * (sizeof(Token) + 1); // with the kept tokens and mask
        }
    });
  };
  const double t_units = units_from(kept), t_units_again = units_from(dropped);
  const double per = 1e9 / static_cast<double>(tokens * kRounds);
  std::printf("documents %zu, tokens %zu (%.0f a document)\n", n, tokens, static_cast<double>(tokens) / n);
  std::printf("ns a token to build again, tokens kept / tokenized again:\n");
  std::printf("  sorted seeds  %.1f\n", t_seeds * per);
  std::printf("  units, forms  %.1f / %.1f\n", t_units * per, t_units_again * per);
  std::printf("bytes a token kept, units and forms: %.1f\n", static_cast<double>(unit_bytes) / (tokens * kRounds));
  return 0;
}

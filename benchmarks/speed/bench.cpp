// Micro-benchmarks of the C++ core, without Python: built with -DSTORYTRACE_BENCH=ON.
//
//   storytrace_bench tokenize REPEATS FILE...
//     For each UTF-8 file (documents separated by blank lines), the best of REPEATS runs, on one
//     thread, of: ICU's word break alone (boundaries and rule status, nothing else); the
//     reference tokenizer (ICU over the whole text, normalize_word per word) with shingles; the
//     core's tokenizer with shingles; and the core's tokenizer alone. One JSON line per file.
//
//   storytrace_bench trace CORPUS THREADS
//     trace() on a corpus file written by benchmarks/speed/core.py (write_bench_corpus) (for callgrind: every
//     stage is a function of its own, so `callgrind_annotate --inclusive=yes` gives its count).
#include <sys/resource.h>
#include <unicode/brkiter.h>
#include <unicode/utext.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "storytrace/pipeline.hpp"
#include "storytrace/shingle.hpp"
#include "storytrace/text.hpp"

using namespace storytrace;

namespace {

std::string read_file(const char *path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(std::string("cannot read ") + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string_view> split_documents(const std::string &text) {
  std::vector<std::string_view> docs;
  std::size_t from = 0;
  while (from < text.size()) {
    std::size_t to = text.find("\n\n", from);
    if (to == std::string::npos) to = text.size();
    if (to > from) docs.emplace_back(text.data() + from, to - from);
    from = to + 2;
  }
  return docs;
}

template <class F> double best_of(int repeats, F &&run) {
  double best = 1e300;
  for (int r = 0; r < repeats; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    run();
    best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  return best;
}

std::size_t sink = 0; // keeps results observable

int bench_tokenize(int repeats, int files, char **paths) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::BreakIterator> bi(icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status));
  if (U_FAILURE(status)) throw std::runtime_error("no ICU word break");
  // The core builds its tables on first use; that is not part of any measurement.
  {
    std::vector<Token> warm;
    tokenize("warm up", warm);
  }
  for (int f = 0; f < files; ++f) {
    const std::string text = read_file(paths[f]);
    const std::vector<std::string_view> docs = split_documents(text);
    std::size_t bytes = 0;
    for (auto d : docs) bytes += d.size();
    std::vector<Token> toks;
    std::string norm;
    std::vector<std::uint32_t> offs;
    std::vector<std::uint64_t> sh;
    std::size_t icu_words = 0, ref_tokens = 0, fast_tokens = 0;

    const double icu_s = best_of(repeats, [&] {
      icu_words = 0;
      for (auto d : docs) {
        UText ut = UTEXT_INITIALIZER;
        UErrorCode st = U_ZERO_ERROR;
        utext_openUTF8(&ut, d.data(), static_cast<int64_t>(d.size()), &st);
        bi->setText(&ut, st);
        for (std::int32_t e = bi->next(); e != icu::BreakIterator::DONE; e = bi->next())
          icu_words += bi->getRuleStatus() >= UBRK_WORD_NONE_LIMIT;
        utext_close(&ut);
      }
    });
    const double ref_s = best_of(repeats, [&] {
      ref_tokens = 0;
      for (auto d : docs) {
        tokenize_icu(d, toks, &norm, &offs);
        shingle(norm, offs, 5, sh);
        ref_tokens += toks.size(), sink += sh.size();
      }
    });
    const double fast_s = best_of(repeats, [&] {
      fast_tokens = 0;
      for (auto d : docs) {
        tokenize(d, toks, &norm, &offs, /*spaced=*/true); // as tokenize_corpus runs them
        shingle_spaced(norm, offs, 5, sh);
        fast_tokens += toks.size(), sink += sh.size();
      }
    });
    const double tok_s = best_of(repeats, [&] {
      for (auto d : docs) {
        tokenize(d, toks, &norm, &offs);
        sink += toks.size();
      }
    });
    if (ref_tokens != fast_tokens) {
      std::fprintf(stderr, "%s: %zu tokens, the reference has %zu\n", paths[f], fast_tokens, ref_tokens);
      return 1;
    }
    const double mb = static_cast<double>(bytes) / 1e6;
    std::printf("{\"file\": \"%s\", \"bytes\": %zu, \"documents\": %zu, \"tokens\": %zu, \"icu_words\": %zu, "
                "\"icu_break_mbs\": %.1f, \"reference_mbs\": %.1f, \"tokenize_shingle_mbs\": %.1f, "
                "\"tokenize_mbs\": %.1f}\n",
                paths[f], bytes, docs.size(), fast_tokens, icu_words, mb / icu_s, mb / ref_s, mb / fast_s, mb / tok_s);
  }
  return 0;
}

// A digest of everything trace() decides (passages, links, per-document results): a speed-up
// must leave it unchanged.
std::uint64_t checksum(const TraceResult &r) {
  std::vector<std::uint64_t> v;
  const Attribution &a = r.attribution;
  for (const Passage &p : a.passages) {
    float sim = p.span.similarity;
    std::uint32_t sim_bits;
    std::memcpy(&sim_bits, &sim, 4);
    v.insert(v.end(), {p.a, p.b, p.span.a_begin, p.span.a_end, p.span.b_begin, p.span.b_end, p.span.matched, sim_bits,
                       static_cast<std::uint64_t>(p.span.kind)});
  }
  for (std::size_t d = 0; d < a.derivation.size(); ++d)
    v.insert(v.end(), {static_cast<std::uint64_t>(a.derivation[d]), static_cast<std::uint64_t>(a.origin_doc[d]),
                       static_cast<std::uint64_t>(a.story[d]), a.reused_tokens[d]});
  for (const Link &l : a.links)
    v.insert(v.end(), {l.target, l.source, l.shared_tokens, static_cast<std::uint64_t>(l.evidence),
                       static_cast<std::uint64_t>(l.is_origin), static_cast<std::uint64_t>(l.direct)});
  for (bool x : a.passage_direct) v.push_back(x);
  std::uint64_t h = 1469598103934665603ULL;
  for (std::uint64_t x : v) h = (h ^ x) * 1099511628211ULL;
  return h;
}

// Reads a corpus file written by benchmarks/speed/core.py (write_bench_corpus) into `text` and
// `corpus` (whose view points into `text`); the file's own copy is freed on return.
void read_bench_corpus(const char *path, std::string &text, CorpusView &corpus) {
  // Format: "storytrace-bench-corpus 1\n", then a line of outlet_agency codes (one per outlet),
  // then per document "<outlet> <published> <bytes>\n" followed by the bytes and "\n".
  const std::string raw = read_file(path);
  std::istringstream in(raw);
  std::string magic;
  int version = 0;
  in >> magic >> version;
  if (magic != "storytrace-bench-corpus" || version != 1) throw std::runtime_error("not a bench corpus file");
  std::string line;
  std::getline(in, line);
  std::getline(in, line);
  {
    std::istringstream agencies(line);
    std::int32_t a;
    while (agencies >> a) corpus.outlet_agency.push_back(a);
  }
  corpus.offsets.push_back(0);
  std::int32_t outlet;
  std::int64_t published;
  std::size_t bytes;
  while (in >> outlet >> published >> bytes) {
    in.get();
    const auto at = static_cast<std::size_t>(in.tellg());
    text.append(raw, at, bytes);
    in.seekg(static_cast<std::streamoff>(at + bytes + 1));
    corpus.offsets.push_back(text.size());
    corpus.outlet.push_back(outlet);
    corpus.published.push_back(published);
  }
  corpus.text = text;
}

// VmRSS or VmHWM of this process, in MB (0 when /proc is not there).
double proc_mb(const char *field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  const std::size_t n = std::strlen(field);
  while (std::getline(in, line))
    if (line.compare(0, n, field) == 0 && line.size() > n && line[n] == ':')
      return std::stod(line.substr(n + 1)) / 1024;
  return 0;
}

// The process's minor page faults and CPU seconds (user and system, all threads) so far.
struct Usage {
  long faults;
  double cpu;
};
Usage usage() {
  rusage use{};
  getrusage(RUSAGE_SELF, &use);
  auto seconds = [](const timeval &t) { return static_cast<double>(t.tv_sec) + 1e-6 * static_cast<double>(t.tv_usec); };
  return Usage{use.ru_minflt, seconds(use.ru_utime) + seconds(use.ru_stime)};
}

int bench_trace(const char *path, std::size_t threads) {
  std::string text;
  CorpusView corpus;
  read_bench_corpus(path, text, corpus);
  const double rss_loaded = proc_mb("VmRSS");
  std::ofstream("/proc/self/clear_refs") << "5"; // restart VmHWM from here, so the peak is trace()'s
  TraceOptions options;
  options.threads = threads;
  // Stage times: a stage runs from its first progress report to the next stage's.
  // The RSS at each stage's start shows what the stages before it left behind.
  struct Mark {
    std::string stage;
    std::chrono::steady_clock::time_point at;
    double rss;
    Usage use;
  };
  std::vector<Mark> marks;
  const Progress progress = [&](std::string_view stage, std::size_t, std::size_t) {
    if (marks.empty() || marks.back().stage != stage)
      marks.push_back(Mark{std::string(stage), std::chrono::steady_clock::now(), proc_mb("VmRSS"), usage()});
    return true;
  };
  const auto t0 = std::chrono::steady_clock::now();
  const TraceResult result = trace(corpus, AliasTable::defaults(), options, &progress);
  const auto t1 = std::chrono::steady_clock::now();
  const Usage use_end = usage();
  const double s = std::chrono::duration<double>(t1 - t0).count();
  std::string stages, rss, faults, cpu;
  for (std::size_t k = 0; k < marks.size(); ++k) {
    const auto end = k + 1 < marks.size() ? marks[k + 1].at : t1;
    char buf[96];
    std::snprintf(buf, sizeof buf, "%s\"%s\": %.3f", k ? ", " : "", marks[k].stage.c_str(),
                  std::chrono::duration<double>(end - marks[k].at).count());
    stages += buf;
    std::snprintf(buf, sizeof buf, "%s\"%s\": %.0f", k ? ", " : "", marks[k].stage.c_str(), marks[k].rss);
    rss += buf;
    // Page faults and CPU seconds (every thread's: a stage's CPU seconds over its time is the
    // number of cores it kept busy) from the stage's start to the next one's.
    const Usage &next = k + 1 < marks.size() ? marks[k + 1].use : use_end;
    std::snprintf(buf, sizeof buf, "%s\"%s\": %ld", k ? ", " : "", marks[k].stage.c_str(),
                  next.faults - marks[k].use.faults);
    faults += buf;
    std::snprintf(buf, sizeof buf, "%s\"%s\": %.3f", k ? ", " : "", marks[k].stage.c_str(),
                  next.cpu - marks[k].use.cpu);
    cpu += buf;
  }
  std::printf("{\"documents\": %zu, \"bytes\": %zu, \"seconds\": %.3f, \"candidates\": %zu, \"passages\": %zu, "
              "\"checksum\": \"%016llx\", "
              "\"stages\": {%s}, \"cpu_seconds\": {%s}, \"rss_loaded_mb\": %.0f, \"rss_at_stage_mb\": {%s}, "
              "\"page_faults\": {%s}, "
              "\"rss_end_mb\": %.0f, \"peak_mb\": %.0f}\n",
              corpus.size(), text.size(), s, result.candidates.size(), result.attribution.passages.size(),
              static_cast<unsigned long long>(checksum(result)), stages.c_str(), cpu.c_str(), rss_loaded, rss.c_str(),
              faults.c_str(), proc_mb("VmRSS"), proc_mb("VmHWM"));
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  try {
    const std::string mode = argc > 1 ? argv[1] : "";
    if (mode == "tokenize" && argc >= 4) return bench_tokenize(std::stoi(argv[2]), argc - 3, argv + 3);
    if (mode == "trace" && argc == 4) return bench_trace(argv[2], std::stoul(argv[3]));
    std::fprintf(stderr, "usage: storytrace_bench tokenize REPEATS FILE... | trace CORPUS THREADS\n");
    return 2;
  } catch (const std::exception &e) {
    std::fprintf(stderr, "storytrace_bench: %s\n", e.what());
    return 1;
  }
}

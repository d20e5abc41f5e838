#include "storytrace/common.hpp"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <system_error>
#include <thread>

namespace storytrace {

void append_utf8(const TextRef &ref, std::string &out) {
  if (ref.width == 0) {
    out.append(static_cast<const char *>(ref.data), ref.length);
    return;
  }
  const std::size_t at = out.size();
  out.resize(at + utf8_bound(ref));
  char *p = out.data() + at;
  auto put = [&p](char32_t c) {
    if (c < 0x80) {
      *p++ = static_cast<char>(c);
    } else if (c < 0x800) {
      *p++ = static_cast<char>(0xC0 | (c >> 6));
      *p++ = static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
      *p++ = static_cast<char>(0xE0 | (c >> 12));
      *p++ = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      *p++ = static_cast<char>(0x80 | (c & 0x3F));
    } else {
      *p++ = static_cast<char>(0xF0 | (c >> 18));
      *p++ = static_cast<char>(0x80 | ((c >> 12) & 0x3F));
      *p++ = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      *p++ = static_cast<char>(0x80 | (c & 0x3F));
    }
  };
  // Runs of 16 ASCII characters (most of a text in a Latin script) are copied a byte each.
  auto put_all = [&](const auto *s) {
    constexpr std::uint64_t kRun = 16;
    for (std::uint64_t i = 0; i < ref.length;) {
      if (i + kRun <= ref.length) {
        std::uint32_t any = 0;
        for (std::uint64_t k = 0; k < kRun; ++k) any |= s[i + k];
        if (any < 0x80) {
          for (std::uint64_t k = 0; k < kRun; ++k) p[k] = static_cast<char>(s[i + k]);
          p += kRun, i += kRun;
          continue;
        }
      }
      put(s[i++]);
    }
  };
  if (ref.width == 1) {
    put_all(static_cast<const std::uint8_t *>(ref.data));
  } else if (ref.width == 2) {
    put_all(static_cast<const std::uint16_t *>(ref.data));
  } else {
    put_all(static_cast<const std::uint32_t *>(ref.data));
  }
  out.resize(static_cast<std::size_t>(p - out.data()));
}

} // namespace storytrace

namespace storytrace::detail {

std::size_t resolve_threads(std::size_t threads) {
  if (threads != 0) return std::min<std::size_t>(threads, kMaxThreads);
  const unsigned hw = std::thread::hardware_concurrency();
  return hw == 0 ? 1 : hw;
}

void parallel_for(std::size_t n, std::size_t threads, std::size_t grain, const std::function<void(std::size_t)> &fn,
                  const Progress *progress, std::string_view stage) {
  if (n == 0) {
    if (progress && *progress && !(*progress)(stage, 0, 0)) throw Cancelled();
    return;
  }
  // The stage starts: a report before any work, so that a caller can time every stage.
  if (progress && *progress && !(*progress)(stage, 0, n)) throw Cancelled();
  grain = std::max<std::size_t>(grain, 1);
  threads = std::min(resolve_threads(threads), (n + grain - 1) / grain);
  std::atomic<std::size_t> next{0};
  std::atomic<std::size_t> done{0};
  std::atomic<bool> stop{false};
  std::exception_ptr error;
  std::mutex error_mutex;

  auto run_block = [&](std::size_t begin) {
    const std::size_t end = std::min(n, begin + grain);
    try {
      for (std::size_t i = begin; i < end && !stop.load(std::memory_order_relaxed); ++i) fn(i);
    } catch (...) {
      std::lock_guard<std::mutex> lock(error_mutex);
      if (!error) error = std::current_exception();
      stop = true;
    }
    done.fetch_add(end - begin, std::memory_order_relaxed);
  };
  auto worker = [&] {
    while (!stop.load(std::memory_order_relaxed)) {
      const std::size_t begin = next.fetch_add(grain);
      if (begin >= n) break;
      run_block(begin);
    }
  };

  std::vector<std::thread> pool;
  pool.reserve(threads > 0 ? threads - 1 : 0);
  for (std::size_t t = 1; t < threads; ++t) {
    try {
      pool.emplace_back(worker);
    } catch (const std::system_error &) {
      break; // the system gives no more threads: the ones we have do the work
    }
  }
  bool cancelled = false;
  // The calling thread works too, and reports progress between its blocks, at most every 100 ms
  // (each report takes the GIL in Python).
  using Clock = std::chrono::steady_clock;
  Clock::time_point last_report{}; // the first block reports at once
  try {
    while (!stop.load(std::memory_order_relaxed)) {
      const std::size_t begin = next.fetch_add(grain);
      if (begin >= n) break;
      run_block(begin);
      if (progress && *progress && Clock::now() - last_report >= std::chrono::milliseconds(100)) {
        last_report = Clock::now();
        if (!(*progress)(stage, std::min(done.load(), n), n)) {
          cancelled = true;
          stop = true;
        }
      }
    }
  } catch (...) {
    std::lock_guard<std::mutex> lock(error_mutex);
    if (!error) error = std::current_exception();
    stop = true;
  }
  for (auto &t : pool) t.join();
  if (error) std::rethrow_exception(error);
  if (cancelled) throw Cancelled();
  if (progress && *progress && !(*progress)(stage, n, n)) throw Cancelled();
}

} // namespace storytrace::detail

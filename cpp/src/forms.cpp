#include "storytrace/forms.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>

#include <xxhash.h>

#include "storytrace/common.hpp"

namespace storytrace {

std::uint64_t word_form(std::string_view w) {
  std::size_t end = w.size();
  const bool digits = !w.empty() && w[0] >= '0' && w[0] <= '9';
  if (!w.empty() && !digits) {
    std::size_t i = 0;
    for (std::size_t k = 0; i < w.size() && k < kFormChars; ++k) {
      const auto c = static_cast<unsigned char>(w[i]);
      i += c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    }
    end = std::min(i, w.size());
  }
  const std::uint64_t h = XXH3_64bits_withSeed(w.data(), end, kHashSeed);
  return digits && w.size() >= 2 ? h | 1 : h & ~std::uint64_t{1};
}

std::uint64_t word_form(std::string_view w, std::uint64_t token_hash) {
  if (w.size() > kFormChars) return word_form(w);
  const bool figure = w.size() >= 2 && w[0] >= '0' && w[0] <= '9';
  return figure ? token_hash | 1 : token_hash & ~std::uint64_t{1};
}

namespace {

// The counter of `form` in row r: 21 bits of the hash for each row, above its lowest (which
// tells numbers from words).
std::size_t slot(std::uint64_t form, std::size_t r) {
  constexpr std::size_t w = FormCounts::kWidthBits;
  return (r << w) | ((form >> (1 + r * w)) & ((std::size_t{1} << w) - 1));
}

} // namespace

void FormCounts::add_document(const std::uint64_t *forms, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t r = 0; r < kRows; ++r)
      std::atomic_ref<std::uint32_t>(counts[slot(forms[i], r)]).fetch_add(1, std::memory_order_relaxed);
}

std::uint32_t FormCounts::documents(std::uint64_t form) const {
  if (counts.empty()) return 0;
  std::uint32_t least = UINT32_MAX;
  for (std::size_t r = 0; r < kRows; ++r) least = std::min(least, counts[slot(form, r)]);
  return least;
}

double form_rarity(std::uint32_t documents) { return documents <= 2 ? 1.0 : 1.0 / (1.0 + std::log(documents / 2.0)); }

} // namespace storytrace

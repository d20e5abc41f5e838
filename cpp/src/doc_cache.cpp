// DocCache (scorers.hpp): one memory budget for what alignment keeps of documents between pairs.
#include <algorithm>
#include <stdexcept>

#include "storytrace/scorers.hpp"

namespace storytrace {

DocCache::~DocCache() {
  for (const auto &k : kinds_)
    for (auto &v : k->values) k->destroy(v.load());
}

std::size_t DocCache::make_kind(const void *owner, int tag, void (*destroy)(void *)) {
  const std::size_t found = find(owner, tag);
  if (found != SIZE_MAX) return found;
  if (granted_once_) throw std::logic_error("DocCache: a kind made after grant");
  kinds_.push_back(
      std::unique_ptr<Kind>(new Kind{owner, tag, destroy, std::vector<std::int32_t>(documents_, -1), {}, {}}));
  return kinds_.size() - 1;
}

std::size_t DocCache::find(const void *owner, int tag) const {
  for (std::size_t k = 0; k < kinds_.size(); ++k)
    if (kinds_[k]->owner == owner && kinds_[k]->tag == tag) return k;
  return SIZE_MAX;
}

void DocCache::ask(std::size_t kind, std::uint32_t doc, std::size_t bytes, double saves_ns) {
  if (granted_once_) throw std::logic_error("DocCache: asked after grant");
  if (kind >= kinds_.size() || doc >= documents_) throw std::out_of_range("DocCache::ask: no such kind or document");
  if (saves_ns > 0 && bytes > 0 && bytes <= budget_)
    asks_.push_back(Ask{saves_ns / static_cast<double>(bytes), bytes, static_cast<std::uint32_t>(kind), doc});
}

void DocCache::grant() {
  if (granted_once_) throw std::logic_error("DocCache: granted twice");
  granted_once_ = true;
  // The most time saved per byte first; ties in the order asked. An entry that no longer fits
  // leaves room for smaller ones after it.
  std::stable_sort(asks_.begin(), asks_.end(),
                   [](const Ask &x, const Ask &y) { return x.saves_per_byte > y.saves_per_byte; });
  for (const Ask &a : asks_) {
    Kind &k = *kinds_[a.kind];
    if (granted_ + a.bytes > budget_ || k.slot[a.doc] >= 0) continue;
    granted_ += a.bytes;
    k.slot[a.doc] = static_cast<std::int32_t>(k.kept.size());
    k.kept.push_back(a.doc);
  }
  release(asks_);
  for (const auto &k : kinds_) k->values = std::vector<std::atomic<void *>>(k->kept.size());
}

} // namespace storytrace

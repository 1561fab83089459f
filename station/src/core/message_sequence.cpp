#include "packline/station/message_sequence.h"

#include "packline/station/store.h"

namespace packline::station {

MessageSequence::MessageSequence(std::int64_t first, std::int64_t block)
    : next_(first), reserved_until_(first + block), block_(block) {}

Result<std::unique_ptr<MessageSequence>> MessageSequence::open(Store& store, std::int64_t block) {
    auto first = store.reserve_sequence(block);
    if (!first) return first.error().context("message sequence");
    return std::unique_ptr<MessageSequence>(new MessageSequence(*first, block));
}

std::int64_t MessageSequence::next(Store* owner_store) {
    if (owner_store != nullptr) {
        bool exhausted = false;
        {
            std::lock_guard lock(mutex_);
            exhausted = next_ >= reserved_until_;
        }
        // The owner may reserve on the spot: no number it hands out is
        // ever unreserved. (Failing that, the next tick retries.)
        if (exhausted) (void)replenish(*owner_store);
    }
    std::lock_guard lock(mutex_);
    return next_++;
}

Status MessageSequence::replenish(Store& store) {
    std::int64_t need_until = 0;
    {
        std::lock_guard lock(mutex_);
        if (reserved_until_ - next_ > block_ / 2) return {};
        need_until = next_ + block_;
    }
    // Reserve from where the store says the reservation ends (this process's
    // reserved_until_) up to need_until, in one step.
    std::int64_t reserved = 0;
    {
        std::lock_guard lock(mutex_);
        reserved = reserved_until_;
    }
    auto first = store.reserve_sequence(need_until - reserved);
    if (!first) return first.error().context("message sequence");
    std::lock_guard lock(mutex_);
    // Normally the store's reservation ended where this process's did, and
    // the new block simply extends it (numbers handed out beyond the old
    // reservation are covered). If another process reserved in between, the
    // numbers from `reserved` to `*first` are its: skip them.
    reserved_until_ = *first + (need_until - reserved);
    if (*first != reserved && next_ < *first) next_ = *first;
    return {};
}

}  // namespace packline::station

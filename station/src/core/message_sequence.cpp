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

std::int64_t MessageSequence::next() {
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
    // Numbers handed out beyond the old reservation were not persisted; the
    // new block covers them because it starts where the old one ended.
    reserved_until_ = *first + (need_until - reserved);
    if (next_ < *first) next_ = *first;
    return {};
}

}  // namespace packline::station

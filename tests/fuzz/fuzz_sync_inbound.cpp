// Whatever arrives on whatever topic, decode_inbound returns a typed message
// or a refusal, never a crash, a hang or an exception; what it accepts obeys
// the contract, and every refusal can be reported as a valid error event.
//
// Input framing (also of the seed corpus in corpus/sync_inbound/): the bytes
// up to the first '\n' are the topic, everything after it is the payload. No
// '\n' at all: the whole input is the topic and the payload is empty (a
// retained delete on object topics).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <variant>

#include "packline/sync/inbound.h"
#include "packline/sync/outbound.h"
#include "packline/sync/schemas.h"
#include "packline/sync/topics.h"

namespace {

using namespace packline::sync;

void require(bool condition) {
    if (!condition) std::abort();
}

void check_accepted(std::string_view topic, std::string_view payload,
                    const InboundMessage& message) {
    // The topic it names is the one it came on, and a station reads it.
    const auto rebuilt = build_topic(message.topic);
    require(rebuilt && *rebuilt == topic);
    const ChannelRule& rule = channel_rule(message.topic.kind);
    require(rule.direction == Direction::HubToStation);
    if (std::holds_alternative<ObjectDeleted>(message.body)) {
        require(payload.empty() && rule.retained && message.event_id.empty());
        return;
    }
    // Anything with a payload passed its schema.
    require(validate_message(rule.schema, payload).ok());
    require(message.event_id.size() == 36);
    if (const auto* order = std::get_if<packline::station::Order>(&message.body)) {
        require(order->id == message.topic.object_id && order->site == message.topic.site);
        require(!order->lines.empty());
        for (const auto& line : order->lines)
            require(!line.sku.empty() && line.quantity >= 1 && line.quantity <= 10000);
    } else if (const auto* sku = std::get_if<packline::station::Sku>(&message.body)) {
        require(sku->sku == message.topic.object_id && sku->unit_weight_g >= 0.0);
        for (const auto& code : sku->barcodes)
            require(!code.empty());
    } else if (const auto* packaging = std::get_if<packline::station::Packaging>(&message.body)) {
        require(packaging->code == message.topic.object_id && packaging->tare_g >= 0.0);
    } else if (const auto* pool = std::get_if<TrackingPoolTopUp>(&message.body)) {
        require(!pool->numbers.empty() && !pool->carrier.empty());
    } else if (const auto* acks = std::get_if<AckBatch>(&message.body)) {
        require(!acks->acks.empty());
    } else if (const auto* command = std::get_if<Command>(&message.body)) {
        require(!command->issued_by.empty());
        require((command->kind == CommandKind::Message) == !command->text.empty());
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const std::size_t newline = input.find('\n');
    const std::string_view topic = input.substr(0, newline);
    const std::string_view payload =
        newline == std::string_view::npos ? std::string_view() : input.substr(newline + 1);

    const auto decoded = decode_inbound(topic, payload);
    if (decoded) {
        check_accepted(topic, payload, *decoded);
        return 0;
    }
    require(decoded.error().code == "sync.bad_topic" || decoded.error().code == "sync.bad_message");
    require(!decoded.error().message.empty());
    // The station can always tell the hub what it refused.
    const StationIdentity station{"ams1", "bench-3"};
    const Envelope envelope{"3f4a5b6c-7d8e-4f9a-8ba2-b3c4d5e6f708", 1795421100000, 1};
    require(error_event_json(station, envelope, decoded.error(), topic, payload).ok());
    return 0;
}

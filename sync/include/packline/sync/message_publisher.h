// Where outgoing messages go: one call, QoS 1. MqttClient is the real one;
// the outbox drain takes this interface so that its rules can be tested
// without a broker.
#pragma once

#include <string_view>

#include "packline/error.h"

namespace packline::sync {

class MessagePublisher {
  public:
    virtual ~MessagePublisher() = default;
    // Hands the message to the transport (QoS 1, not retained) without
    // waiting for the broker. An error means it was not sent at all.
    virtual Status publish(std::string_view topic, std::string_view payload) = 0;
};

}  // namespace packline::sync

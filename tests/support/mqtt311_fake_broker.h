// A broker that speaks only MQTT 3.1.1, like mosquitto before 1.6 or a
// constrained appliance: a CONNECT asking for MQTT 5 gets CONNACK return
// code 1 ("unacceptable protocol version", MQTT 3.1.1 section 3.2.2.3) and
// the connection is closed; a 3.1.1 CONNECT is accepted, SUBSCRIBE granted
// QoS 1, PUBLISH QoS 1 acknowledged, PINGREQ answered. Nothing is routed:
// it exists to test the client's fall-back. mosquitto 2 cannot be told to
// refuse MQTT 5.
//
// Threads: one thread serves one connection at a time; accessors are for
// the test thread.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "loopback.h"

namespace packline::testing {

class Mqtt311FakeBroker {
  public:
    Mqtt311FakeBroker() {
        listener_ = listen_on_loopback(port_);
        if (listener_ < 0) return;
        thread_ = std::thread([this] { run(); });
    }

    ~Mqtt311FakeBroker() {
        stopping_ = true;
        if (thread_.joinable()) thread_.join();
        if (listener_ >= 0) ::close(listener_);
    }

    Mqtt311FakeBroker(const Mqtt311FakeBroker&) = delete;
    Mqtt311FakeBroker& operator=(const Mqtt311FakeBroker&) = delete;

    bool listening() const { return listener_ >= 0; }
    std::string uri() const { return "tcp://127.0.0.1:" + std::to_string(port_); }
    // CONNECT protocol levels in the order they arrived (4 = 3.1.1, 5 = MQTT 5).
    std::vector<int> protocol_levels() const {
        std::vector<int> copy;
        for (int index = 0; index < level_count_.load(); ++index)
            copy.push_back(levels_[index]);
        return copy;
    }
    int subscriptions() const { return subscriptions_.load(); }

  private:
    void run() {
        while (!stopping_) {
            pollfd listening{listener_, POLLIN, 0};
            if (::poll(&listening, 1, 20) <= 0) continue;
            const int connection = ::accept(listener_, nullptr, nullptr);
            if (connection < 0) continue;
            serve(connection);
            ::close(connection);
        }
    }

    // Reads exactly `size` bytes, giving up when the test ends.
    bool read_exactly(int fd, std::uint8_t* data, std::size_t size) {
        std::size_t done = 0;
        while (done < size) {
            pollfd readable{fd, POLLIN, 0};
            if (stopping_) return false;
            if (::poll(&readable, 1, 20) <= 0) continue;
            const ssize_t got = ::read(fd, data + done, size - done);
            if (got <= 0) return false;
            done += static_cast<std::size_t>(got);
        }
        return true;
    }

    static bool send(int fd, const std::vector<std::uint8_t>& bytes) {
        return ::write(fd, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size());
    }

    void serve(int fd) {
        for (;;) {
            std::uint8_t header = 0;
            if (!read_exactly(fd, &header, 1)) return;
            std::size_t length = 0;
            for (int shift = 0; shift < 28; shift += 7) {
                std::uint8_t byte = 0;
                if (!read_exactly(fd, &byte, 1)) return;
                length |= static_cast<std::size_t>(byte & 0x7F) << shift;
                if ((byte & 0x80) == 0) break;
            }
            std::vector<std::uint8_t> body(length);
            if (length > 0 && !read_exactly(fd, body.data(), length)) return;
            switch (header >> 4) {
                case 1: {  // CONNECT: 00 04 'M' 'Q' 'T' 'T' <level> ...
                    const int level = body.size() > 6 ? body[6] : 0;
                    if (const int slot = level_count_.load(); slot < 16) {
                        levels_[slot] = level;
                        level_count_.store(slot + 1);
                    }
                    if (level != 4) {
                        send(fd, {0x20, 0x02, 0x00, 0x01});
                        return;
                    }
                    if (!send(fd, {0x20, 0x02, 0x00, 0x00})) return;
                    break;
                }
                case 3:  // PUBLISH: QoS 1 gets a PUBACK with its packet id
                    if (((header >> 1) & 0x03) == 1 && body.size() >= 2) {
                        const std::size_t topic_length =
                            static_cast<std::size_t>(body[0] << 8 | body[1]);
                        if (body.size() >= topic_length + 4)
                            send(fd, {0x40, 0x02, body[topic_length + 2], body[topic_length + 3]});
                    }
                    break;
                case 8: {  // SUBSCRIBE: packet id, then (length, filter, options)*
                    std::vector<std::uint8_t> granted;
                    for (std::size_t at = 2; at + 2 <= body.size();) {
                        const std::size_t filter_length =
                            static_cast<std::size_t>(body[at] << 8 | body[at + 1]);
                        at += 2 + filter_length + 1;
                        granted.push_back(0x01);
                    }
                    std::vector<std::uint8_t> suback{
                        0x90, static_cast<std::uint8_t>(2 + granted.size()), body[0], body[1]};
                    suback.insert(suback.end(), granted.begin(), granted.end());
                    subscriptions_.fetch_add(static_cast<int>(granted.size()));
                    if (!send(fd, suback)) return;
                    break;
                }
                case 12:  // PINGREQ
                    if (!send(fd, {0xD0, 0x00})) return;
                    break;
                case 14:  // DISCONNECT
                    return;
                default:
                    break;
            }
        }
    }

    std::uint16_t port_ = 0;
    int listener_ = -1;
    std::atomic<bool> stopping_{false};
    int levels_[16] = {};
    std::atomic<int> level_count_{0};
    std::atomic<int> subscriptions_{0};
    std::thread thread_;
};

}  // namespace packline::testing

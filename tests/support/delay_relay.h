// A TCP relay that holds everything it reads for a fixed time before it
// writes it on, in each direction: a slow link for a machine without tc
// netem (the kernel's delay queueing discipline). What it delays is the byte
// stream, not packets: each leg's TCP handshake and ACKs stay immediate, so
// connect() succeeds at once and what arrives late is what the programs say
// to each other (MQTT's CONNECT and CONNACK, PINGREQ and PINGRESP, PUBLISH
// and PUBACK). That is the latency an application sees, which is what a
// keep-alive, a connect timeout or an acknowledgement timeout measure; TCP's
// own behaviour on a long round trip (retransmission timers, window) is not
// reproduced. A delay of D makes every round trip at least 2 D.
//
//   DelayRelay relay(network.host_address(), broker.port(), std::chrono::seconds(2));
//   ASSERT_TRUE(relay.listening()) << relay.error();
//   settings.brokers = {relay.uri()};    // tcp://<address>:<port>, on to 127.0.0.1:<target>
//
// One end closing (FIN) is passed on after the same delay, once everything
// it sent before has been written; an error on either end closes both.
//
// Threads: one thread accepts and relays (poll, non-blocking sockets); the
// accessors are for the test thread. Not copyable.
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <deque>
#include <list>
#include <string>
#include <thread>
#include <vector>

namespace packline::testing {

class DelayRelay {
  public:
    using Clock = std::chrono::steady_clock;

    // Listens on `address` (an IPv4 literal) at a port the kernel picks and
    // relays each connection to 127.0.0.1:`target_port`.
    DelayRelay(const std::string& address, std::uint16_t target_port,
               std::chrono::milliseconds delay)
        : address_(address), target_port_(target_port), delay_(delay) {
        listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        sockaddr_in bound{};
        bound.sin_family = AF_INET;
        socklen_t length = sizeof(bound);
        const int yes = 1;
        if (listener_ < 0 || ::inet_pton(AF_INET, address.c_str(), &bound.sin_addr) != 1 ||
            ::setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes)) != 0 ||
            ::bind(listener_, reinterpret_cast<sockaddr*>(&bound), sizeof(bound)) != 0 ||
            ::listen(listener_, 8) != 0 ||
            ::getsockname(listener_, reinterpret_cast<sockaddr*>(&bound), &length) != 0) {
            error_ = "cannot listen on " + address + ": " + std::string(std::strerror(errno));
            if (listener_ >= 0) ::close(listener_);
            listener_ = -1;
            return;
        }
        port_ = ntohs(bound.sin_port);
        thread_ = std::thread([this] { run(); });
    }

    ~DelayRelay() {
        stopping_ = true;
        if (thread_.joinable()) thread_.join();
        for (Link& link : links_)
            close_link(link);
        if (listener_ >= 0) ::close(listener_);
    }

    DelayRelay(const DelayRelay&) = delete;
    DelayRelay& operator=(const DelayRelay&) = delete;

    bool listening() const { return listener_ >= 0; }
    const std::string& error() const { return error_; }
    std::uint16_t port() const { return port_; }
    std::string uri() const { return "tcp://" + address_ + ":" + std::to_string(port_); }
    // Connections accepted, and bytes written on after their delay (both ways).
    int connections() const { return connections_.load(); }
    std::uint64_t bytes_relayed() const { return bytes_relayed_.load(); }

  private:
    struct Chunk {
        Clock::time_point due;
        std::string bytes;
    };

    // One direction of a connection: what was read from `from` and waits
    // (or is being written) to `to`.
    struct Direction {
        int from = -1;
        int to = -1;
        std::deque<Chunk> waiting;
        std::size_t written = 0;  // of waiting.front()
        bool ended = false;       // `from` said FIN (or failed)
        Clock::time_point end_due{};
        bool passed_on = false;  // `to` was told (shutdown SHUT_WR)

        bool front_due(Clock::time_point now) const {
            return !waiting.empty() && waiting.front().due <= now;
        }
    };

    struct Link {
        int client = -1;
        int server = -1;
        Direction up;    // client -> server
        Direction down;  // server -> client
        bool failed = false;
    };

    void run() {
        while (!stopping_) {
            std::vector<pollfd> fds{{listener_, POLLIN, 0}};
            std::vector<Direction*> owners{nullptr};
            Clock::time_point now = Clock::now();
            auto next = now + std::chrono::milliseconds(50);  // stopping_ is checked this often
            for (Link& link : links_)
                for (Direction* direction : {&link.up, &link.down}) {
                    if (!direction->ended) {
                        fds.push_back({direction->from, POLLIN, 0});
                        owners.push_back(direction);
                    }
                    if (direction->front_due(now)) {
                        fds.push_back({direction->to, POLLOUT, 0});
                        owners.push_back(direction);
                    } else if (!direction->waiting.empty()) {
                        next = std::min(next, direction->waiting.front().due);
                    } else if (direction->ended && !direction->passed_on) {
                        next = std::min(next, direction->end_due);
                    }
                }
            const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(next - now);
            ::poll(fds.data(), fds.size(),
                   static_cast<int>(
                       std::max<std::int64_t>(0, static_cast<std::int64_t>(wait.count()) + 1)));
            now = Clock::now();
            if ((fds[0].revents & POLLIN) != 0) accept_one();
            for (std::size_t index = 1; index < fds.size(); ++index) {
                if (fds[index].revents == 0) continue;
                Direction& direction = *owners[index];
                if (fds[index].events == POLLIN) read_from(direction, now);
            }
            for (Link& link : links_) {
                for (Direction* direction : {&link.up, &link.down})
                    if (!write_due(*direction, now)) link.failed = true;
            }
            for (auto link = links_.begin(); link != links_.end();) {
                if (link->failed || (link->up.passed_on && link->down.passed_on)) {
                    close_link(*link);
                    link = links_.erase(link);
                } else {
                    ++link;
                }
            }
        }
    }

    void accept_one() {
        const int client = ::accept4(listener_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (client < 0) return;
        const int server = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in target{};
        target.sin_family = AF_INET;
        target.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        target.sin_port = htons(target_port_);
        // A blocking connect on loopback: answered at once, or refused.
        if (server < 0 ||
            ::connect(server, reinterpret_cast<sockaddr*>(&target), sizeof(target)) != 0) {
            if (server >= 0) ::close(server);
            ::close(client);
            return;
        }
        ::fcntl(server, F_SETFL, ::fcntl(server, F_GETFL) | O_NONBLOCK);
        Link& link = links_.emplace_back();
        link.client = client;
        link.server = server;
        link.up.from = client;
        link.up.to = server;
        link.down.from = server;
        link.down.to = client;
        connections_.fetch_add(1);
    }

    void read_from(Direction& direction, Clock::time_point now) {
        char buffer[65536];
        const ssize_t got = ::recv(direction.from, buffer, sizeof(buffer), 0);
        if (got > 0) {
            direction.waiting.push_back({now + delay_, std::string(buffer, std::size_t(got))});
        } else if (got == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
            // FIN, or a reset: the other end hears of it after the delay.
            direction.ended = true;
            direction.end_due = now + delay_;
        }
    }

    // Writes what is due; passes a FIN on when all before it is written.
    // False when the receiving end is gone.
    bool write_due(Direction& direction, Clock::time_point now) {
        while (direction.front_due(now)) {
            Chunk& chunk = direction.waiting.front();
            const ssize_t wrote = ::send(direction.to, chunk.bytes.data() + direction.written,
                                         chunk.bytes.size() - direction.written, MSG_NOSIGNAL);
            if (wrote < 0) return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
            bytes_relayed_.fetch_add(static_cast<std::uint64_t>(wrote));
            direction.written += static_cast<std::size_t>(wrote);
            if (direction.written < chunk.bytes.size()) return true;
            direction.waiting.pop_front();
            direction.written = 0;
        }
        if (direction.ended && !direction.passed_on && direction.waiting.empty() &&
            direction.end_due <= now) {
            ::shutdown(direction.to, SHUT_WR);
            direction.passed_on = true;
        }
        return true;
    }

    static void close_link(Link& link) {
        if (link.client >= 0) ::close(link.client);
        if (link.server >= 0) ::close(link.server);
        link.client = link.server = -1;
    }

    std::string address_;
    std::uint16_t target_port_;
    std::chrono::milliseconds delay_;
    std::uint16_t port_ = 0;
    int listener_ = -1;
    std::string error_;
    std::atomic<bool> stopping_{false};
    std::atomic<int> connections_{0};
    std::atomic<std::uint64_t> bytes_relayed_{0};
    std::list<Link> links_;  // the relay thread's
    std::thread thread_;
};

}  // namespace packline::testing

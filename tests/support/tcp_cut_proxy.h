// A loopback TCP proxy whose connections a test can cut, to make a client
// lose its connection the way a pulled cable or a dead NAT entry does: the
// broker sees the socket close without a DISCONNECT and publishes the
// client's will, and the client sees its connection drop. The proxy keeps
// listening, so the client can reconnect through it.
//
//   TcpCutProxy proxy(broker.port());
//   settings.brokers = {proxy.uri()};
//   proxy.cut();                                  // every open connection, now
//
// Threads: one thread accepts and forwards (poll); cut() and the accessors
// are for the test thread.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "loopback.h"

namespace packline::testing {

class TcpCutProxy {
  public:
    explicit TcpCutProxy(std::uint16_t target_port) : target_port_(target_port) {
        listener_ = listen_on_loopback(port_);
        if (listener_ < 0) return;
        thread_ = std::thread([this] { run(); });
    }

    ~TcpCutProxy() {
        stopping_ = true;
        if (thread_.joinable()) thread_.join();
        cut();
        if (listener_ >= 0) ::close(listener_);
    }

    TcpCutProxy(const TcpCutProxy&) = delete;
    TcpCutProxy& operator=(const TcpCutProxy&) = delete;

    bool listening() const { return listener_ >= 0; }
    std::string uri() const { return "tcp://127.0.0.1:" + std::to_string(port_); }
    int connections_made() const { return connections_made_.load(); }

    // Closes both ends of every open connection (RST-free, like a peer that
    // vanished: the broker reads end-of-file, not DISCONNECT).
    void cut() {
        std::lock_guard lock(mutex_);
        for (auto& [client, broker] : pairs_) {
            ::shutdown(client, SHUT_RDWR);
            ::shutdown(broker, SHUT_RDWR);
            ::close(client);
            ::close(broker);
        }
        pairs_.clear();
    }

  private:
    static sockaddr_in loopback(std::uint16_t port) {
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        address.sin_port = htons(port);
        return address;
    }

    void run() {
        while (!stopping_) {
            std::vector<pollfd> fds{{listener_, POLLIN, 0}};
            {
                std::lock_guard lock(mutex_);
                for (const auto& [client, broker] : pairs_) {
                    fds.push_back({client, POLLIN, 0});
                    fds.push_back({broker, POLLIN, 0});
                }
            }
            if (::poll(fds.data(), fds.size(), 20) <= 0) continue;
            if ((fds[0].revents & POLLIN) != 0) accept_one();
            std::lock_guard lock(mutex_);
            for (std::size_t index = 1; index < fds.size(); ++index) {
                if ((fds[index].revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
                forward(fds[index].fd);
            }
        }
    }

    void accept_one() {
        const int client = ::accept(listener_, nullptr, nullptr);
        if (client < 0) return;
        const int broker = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address = loopback(target_port_);
        if (::connect(broker, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
            ::close(broker);
            ::close(client);
            return;
        }
        std::lock_guard lock(mutex_);
        pairs_.emplace_back(client, broker);
        connections_made_.fetch_add(1);
    }

    // Under mutex_: copies what `from` has to its partner; closes the pair
    // when either side ends.
    void forward(int from) {
        for (auto pair = pairs_.begin(); pair != pairs_.end(); ++pair) {
            if (pair->first != from && pair->second != from) continue;
            const int to = pair->first == from ? pair->second : pair->first;
            char buffer[16384];
            const ssize_t got = ::read(from, buffer, sizeof(buffer));
            bool ok = got > 0;
            for (ssize_t sent = 0; ok && sent < got;) {
                const ssize_t wrote =
                    ::write(to, buffer + sent, static_cast<std::size_t>(got - sent));
                ok = wrote > 0;
                sent += ok ? wrote : 0;
            }
            if (!ok) {
                ::close(pair->first);
                ::close(pair->second);
                pairs_.erase(pair);
            }
            return;
        }
    }

    std::uint16_t target_port_;
    std::uint16_t port_ = 0;
    int listener_ = -1;
    std::atomic<bool> stopping_{false};
    std::atomic<int> connections_made_{0};
    std::mutex mutex_;
    std::vector<std::pair<int, int>> pairs_;  // client side, broker side
    std::thread thread_;
};

}  // namespace packline::testing

// HTTP spoken by hand over loopback TCP, for tests of a server's limits:
// clients that send half a header, hold streams open, declare bodies they
// never send, or come from another loopback address (127.0.0.2). Every wait
// has a deadline, so a server that hangs fails the test instead of hanging it.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <string>
#include <string_view>
#include <thread>

namespace packline::testing {

class RawHttpConnection {
  public:
    // Connects to 127.0.0.1:port, from `source` (another loopback address)
    // when given; ok() says whether it did.
    explicit RawHttpConnection(int port, const char* source = nullptr) {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        if (fd_ < 0) return;
        if (source) {
            sockaddr_in local{};
            local.sin_family = AF_INET;
            ::inet_pton(AF_INET, source, &local.sin_addr);
            if (::bind(fd_, reinterpret_cast<sockaddr*>(&local), sizeof(local)) != 0) {
                close();
                return;
            }
        }
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        address.sin_port = htons(static_cast<std::uint16_t>(port));
        if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) close();
    }
    ~RawHttpConnection() { close(); }
    RawHttpConnection(const RawHttpConnection&) = delete;
    RawHttpConnection& operator=(const RawHttpConnection&) = delete;
    RawHttpConnection(RawHttpConnection&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }

    bool ok() const { return fd_ >= 0; }

    // A send() that the server neither reads nor refuses fails after this,
    // instead of blocking the test for ever.
    void set_send_timeout(std::chrono::seconds timeout) {
        timeval value{};
        value.tv_sec = static_cast<time_t>(timeout.count());
        ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &value, sizeof(value));
    }
    int fd() const { return fd_; }

    // False once the server closed or reset the connection.
    bool send(std::string_view bytes) {
        while (!bytes.empty()) {
            const ssize_t sent = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
            if (sent <= 0) return false;
            bytes.remove_prefix(static_cast<std::size_t>(sent));
        }
        return true;
    }

    // What arrived until `marker` was seen, the server closed, or the
    // deadline passed.
    std::string read_until(std::string_view marker, std::chrono::milliseconds deadline) {
        const auto end = std::chrono::steady_clock::now() + deadline;
        while (received_.find(marker) == std::string::npos) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                end - std::chrono::steady_clock::now());
            if (left.count() <= 0) break;
            pollfd entry{fd_, POLLIN, 0};
            if (::poll(&entry, 1, static_cast<int>(left.count())) <= 0) break;
            char chunk[4096];
            const ssize_t read = ::recv(fd_, chunk, sizeof(chunk), 0);
            if (read <= 0) break;
            received_.append(chunk, static_cast<std::size_t>(read));
        }
        return received_;
    }

    // The status of the response's head (0 when none came in time).
    int read_status(std::chrono::milliseconds deadline = std::chrono::seconds(20)) {
        return status_of(read_until("\r\n\r\n", deadline));
    }

    const std::string& received() const { return received_; }

    static int status_of(const std::string& response) {
        if (response.rfind("HTTP/1.", 0) != 0 || response.size() < 12) return 0;
        return std::atoi(response.c_str() + 9);
    }

  private:
    void close() {
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
    }

    int fd_ = -1;
    std::string received_;
};

// The value of header `name` (as sent, case-sensitive) in a response head; "".
inline std::string raw_header(const std::string& response, const std::string& name) {
    const std::string key = "\r\n" + name + ": ";
    const auto at = response.find(key);
    if (at == std::string::npos) return {};
    const auto end = response.find("\r\n", at + key.size());
    return response.substr(at + key.size(), end - at - key.size());
}

// A request body larger than any server here accepts.
inline constexpr std::size_t kFiftyMegabytes = 50u * 1024 * 1024;

struct OversizedBodyAnswer {
    int status = 0;        // the server's answer
    std::size_t sent = 0;  // body bytes the server took before answering
    std::string received;  // what it said, for failure messages
};

// Sends `head` (which declares a body of 50 MB, or chunked) and then the
// body as fast as the server takes it; a server that refuses the body unread
// answers and closes long before 50 MB have gone.
inline OversizedBodyAnswer send_oversized_body(int port, const std::string& head, bool chunked) {
    OversizedBodyAnswer answer;
    RawHttpConnection connection(port);
    if (!connection.ok()) return answer;
    connection.set_send_timeout(std::chrono::seconds(20));
    if (!connection.send(head)) return answer;
    std::atomic<std::size_t> sent{0};
    std::thread sender([&] {
        const std::string data(64 * 1024, 'x');
        const std::string piece = chunked ? "10000\r\n" + data + "\r\n" : data;
        while (sent.load() < kFiftyMegabytes && connection.send(piece))
            sent += data.size();
    });
    answer.status = connection.read_status();
    sender.join();
    answer.sent = sent.load();
    answer.received = connection.received();
    return answer;
}

}  // namespace packline::testing

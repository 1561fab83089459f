#include "guarded_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <list>
#include <mutex>
#include <string_view>
#include <system_error>
#include <thread>

#include "packline/web/web_errors.h"

namespace packline::web::detail {

namespace {

using Clock = std::chrono::steady_clock;

// Longer than any head a browser sends (cpp-httplib itself allows 8 KiB per
// line); a longer one is refused with 431.
constexpr std::size_t kMaxHeadBytes = 16 * 1024;
// Requests on one kept-alive connection before it is closed (as cpp-httplib).
constexpr int kMaxRequestsPerConnection = 100;
// A refused body of chunked framing may still carry a little more than the
// body itself before the budget stops it.
constexpr std::size_t kBodySlackBytes = 4096;

// Connections the kernel queues for the accept thread (capped by
// net.core.somaxconn).
constexpr int kListenBacklog = 512;

thread_local bool t_close_after_response = false;

int remaining_ms(Clock::time_point deadline) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    return left.count() <= 0 ? 0 : static_cast<int>(std::min<long long>(left.count(), 60'000));
}

// Waits until `fd` is ready for `events` or the deadline passes.
bool wait_for(int fd, short events, Clock::time_point deadline) {
    for (;;) {
        const int timeout = remaining_ms(deadline);
        if (timeout == 0 && Clock::now() >= deadline) return false;
        pollfd entry{fd, events, 0};
        const int ready = ::poll(&entry, 1, timeout);
        if (ready > 0) return true;
        if (ready < 0 && errno != EINTR) return false;
    }
}

// Plain TCP or TLS over a non-blocking socket; every call is bounded by a
// deadline.
class Transport {
  public:
    Transport(int fd, SSL_CTX* tls) : fd_(fd), tls_(tls != nullptr) {
        if (tls) ssl_ = SSL_new(tls);
        if (ssl_) SSL_set_fd(ssl_, fd_);
    }
    ~Transport() {
        if (ssl_) SSL_free(ssl_);
    }
    Transport(const Transport&) = delete;
    Transport& operator=(const Transport&) = delete;

    bool handshake(Clock::time_point deadline) {
        if (!tls_) return true;
        if (!ssl_) return false;
        for (;;) {
            const int done = SSL_accept(ssl_);
            if (done == 1) return true;
            if (!wait_ssl(SSL_get_error(ssl_, done), deadline)) return false;
        }
    }

    // > 0 bytes read, 0 the peer closed, -1 an error or the deadline.
    ssize_t receive(char* buffer, std::size_t size, Clock::time_point deadline) {
        for (;;) {
            if (ssl_) {
                const int read = SSL_read(ssl_, buffer, static_cast<int>(size));
                if (read > 0) return read;
                const int error = SSL_get_error(ssl_, read);
                if (error == SSL_ERROR_ZERO_RETURN) return 0;
                if (!wait_ssl(error, deadline)) return -1;
                continue;
            }
            const ssize_t read = ::recv(fd_, buffer, size, 0);
            if (read >= 0) return read;
            if (errno == EINTR) continue;
            if (errno != EAGAIN && errno != EWOULDBLOCK) return -1;
            if (!wait_for(fd_, POLLIN, deadline)) return -1;
        }
    }

    ssize_t send(const char* data, std::size_t size, Clock::time_point deadline) {
        if (size == 0) return 0;
        for (;;) {
            if (ssl_) {
                const int written = SSL_write(ssl_, data, static_cast<int>(size));
                if (written > 0) return written;
                if (!wait_ssl(SSL_get_error(ssl_, written), deadline)) return -1;
                continue;
            }
            const ssize_t written = ::send(fd_, data, size, MSG_NOSIGNAL);
            if (written >= 0) return written;
            if (errno == EINTR) continue;
            if (errno != EAGAIN && errno != EWOULDBLOCK) return -1;
            if (!wait_for(fd_, POLLOUT, deadline)) return -1;
        }
    }

    bool has_buffered() const { return ssl_ && SSL_pending(ssl_) > 0; }

    void close_notify() {
        if (ssl_) (void)SSL_shutdown(ssl_);
    }

  private:
    bool wait_ssl(int error, Clock::time_point deadline) {
        if (error == SSL_ERROR_WANT_READ) return wait_for(fd_, POLLIN, deadline);
        if (error == SSL_ERROR_WANT_WRITE) return wait_for(fd_, POLLOUT, deadline);
        ERR_clear_error();
        return false;
    }

    int fd_;
    bool tls_;
    SSL* ssl_ = nullptr;
};

std::string address_text(const sockaddr_storage& address, int& port) {
    char text[INET6_ADDRSTRLEN] = {};
    port = 0;
    if (address.ss_family == AF_INET) {
        const auto& v4 = reinterpret_cast<const sockaddr_in&>(address);
        ::inet_ntop(AF_INET, &v4.sin_addr, text, sizeof(text));
        port = ntohs(v4.sin_port);
    } else if (address.ss_family == AF_INET6) {
        const auto& v6 = reinterpret_cast<const sockaddr_in6&>(address);
        ::inet_ntop(AF_INET6, &v6.sin6_addr, text, sizeof(text));
        port = ntohs(v6.sin6_port);
    }
    return text;
}

}  // namespace

// One open connection, as the admission sees it.
struct Connection {
    int fd = -1;
    bool waiting = true;  // for a request's head (new, or kept alive between requests)
    bool evicted = false;
    Clock::time_point waiting_since = Clock::now();
};

struct GuardedServer::Shared {
    Limits limits;
    SSL_CTX* tls = nullptr;
    std::mutex mutex;
    std::condition_variable idle;
    std::list<Connection> connections;  // every open one; a thread each
    bool stopping = false;

    // Makes room for one more: true when there is room (possibly after
    // dropping the longest-waiting connection whose head has not come).
    bool admit_locked() {
        std::size_t live = 0;
        for (const Connection& connection : connections)
            if (!connection.evicted) ++live;
        if (live < limits.max_connections) return true;
        Connection* oldest = nullptr;
        for (Connection& connection : connections)
            if (connection.waiting && !connection.evicted &&
                (!oldest || connection.waiting_since < oldest->waiting_since))
                oldest = &connection;
        if (!oldest) return false;
        oldest->evicted = true;
        // Wakes its thread out of poll(); the thread closes the socket.
        ::shutdown(oldest->fd, SHUT_RDWR);
        return true;
    }

    void refuse(int fd) const {
        // Read what already came (a request in the socket at close() would
        // turn our FIN into a reset, and the client might lose the answer).
        char sink[4096];
        for (int i = 0; i < 16 && ::recv(fd, sink, sizeof(sink), MSG_DONTWAIT) > 0; ++i) {
        }
        if (!tls) {
            const std::string body =
                R"({"error":{"code":errors::kWebBusy,"message":"too many connections; try again"}})";
            const std::string response = "HTTP/1.1 503 Service Unavailable\r\nRetry-After: " +
                                         std::to_string(limits.retry_after_s) +
                                         "\r\nContent-Type: application/json\r\nCache-Control: "
                                         "no-store\r\nContent-Length: " +
                                         std::to_string(body.size()) +
                                         "\r\nConnection: close\r\n\r\n" + body;
            (void)::send(fd, response.data(), response.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
            ::shutdown(fd, SHUT_WR);
            for (int i = 0; i < 16 && ::recv(fd, sink, sizeof(sink), MSG_DONTWAIT) > 0; ++i) {
            }
        }
        // Over TLS there is no quick plain answer to give: the socket closes.
        ::close(fd);
    }

    // Ends the connections waiting for a head at once; those being answered
    // finish their response first (a stream ends when its handler sees the
    // server stopping, with the chunked body's proper end, which a browser
    // otherwise reports as an error), within the body and write timeouts.
    void shutdown_all() {
        std::unique_lock lock(mutex);
        stopping = true;
        for (Connection& connection : connections)
            if (connection.waiting) ::shutdown(connection.fd, SHUT_RDWR);
        idle.wait(lock, [this] { return connections.empty(); });
    }
};

namespace {

// What cpp-httplib reads a request from and writes its response to: the
// head already read (and anything after it), then the socket, within the
// request's deadline and byte budget.
class GuardedStream final : public httplib::Stream {
  public:
    GuardedStream(int fd, Transport& transport, const Limits& limits)
        : fd_(fd), transport_(transport), limits_(limits) {}

    // Reads until a whole head is buffered, by `deadline`; on a kept-alive
    // connection (`from_first_byte`) `deadline` is for the first byte and
    // the head then has header_timeout from it. False: closed, timed out, or
    // too long (then `too_long`).
    bool read_head(Clock::time_point deadline, bool from_first_byte, bool& too_long) {
        too_long = false;
        compact();
        bool started = !pending_.empty();
        if (started && from_first_byte) deadline = Clock::now() + limits_.header_timeout;
        std::size_t searched = 0;
        for (;;) {
            const std::size_t end = head_end(searched);
            if (end != std::string::npos) {
                budget_ = end + limits_.max_body_bytes + kBodySlackBytes;
                read_deadline_ = Clock::now() + limits_.body_timeout;
                return true;
            }
            if (pending_.size() > kMaxHeadBytes) {
                too_long = true;
                return false;
            }
            searched = pending_.size() > 3 ? pending_.size() - 3 : 0;
            char chunk[4096];
            const ssize_t read = transport_.receive(chunk, sizeof(chunk), deadline);
            if (read <= 0) return false;
            pending_.append(chunk, static_cast<std::size_t>(read));
            if (!started && from_first_byte) deadline = Clock::now() + limits_.header_timeout;
            started = true;
        }
    }

    bool is_readable() const override {
        if (offset_ < pending_.size() || transport_.has_buffered()) return true;
        pollfd entry{fd_, POLLIN, 0};
        return ::poll(&entry, 1, 0) > 0;
    }

    bool is_writable() const override {
        return wait_for(fd_, POLLOUT, Clock::now() + limits_.write_timeout);
    }

    ssize_t read(char* ptr, size_t size) override {
        if (budget_ == 0) return -1;
        if (offset_ >= pending_.size()) {
            compact();
            char chunk[4096];
            const ssize_t read = transport_.receive(chunk, sizeof(chunk), read_deadline_);
            if (read <= 0) return -1;
            pending_.append(chunk, static_cast<std::size_t>(read));
        }
        const std::size_t count = std::min({size, pending_.size() - offset_, budget_});
        std::memcpy(ptr, pending_.data() + offset_, count);
        offset_ += count;
        budget_ -= count;
        return static_cast<ssize_t>(count);
    }

    ssize_t write(const char* ptr, size_t size) override {
        return transport_.send(ptr, size, Clock::now() + limits_.write_timeout);
    }

    void get_remote_ip_and_port(std::string& ip, int& port) const override {
        sockaddr_storage address{};
        socklen_t length = sizeof(address);
        if (::getpeername(fd_, reinterpret_cast<sockaddr*>(&address), &length) == 0)
            ip = address_text(address, port);
    }

    void get_local_ip_and_port(std::string& ip, int& port) const override {
        sockaddr_storage address{};
        socklen_t length = sizeof(address);
        if (::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length) == 0)
            ip = address_text(address, port);
    }

    socket_t socket() const override { return fd_; }

  private:
    // Where the head in pending_ ends (after its blank line), or npos.
    std::size_t head_end(std::size_t from) const {
        const std::string_view view(pending_.data() + offset_, pending_.size() - offset_);
        from = from > offset_ ? from - offset_ : 0;
        for (std::size_t at = view.find('\n', from); at != std::string_view::npos;
             at = view.find('\n', at + 1)) {
            if (at + 1 < view.size() && view[at + 1] == '\n') return at + 2;
            if (at + 2 < view.size() && view[at + 1] == '\r' && view[at + 2] == '\n') return at + 3;
        }
        return std::string::npos;
    }

    void compact() {
        pending_.erase(0, offset_);
        offset_ = 0;
    }

    int fd_;
    Transport& transport_;
    const Limits& limits_;
    std::string pending_;
    std::size_t offset_ = 0;
    std::size_t budget_ = 0;
    Clock::time_point read_deadline_;
};

// cpp-httplib hands each accepted socket to its task queue from the accept
// thread; this one runs the task there, and the task (our
// process_and_close_socket) only admits the socket and starts its thread.
class InlineQueue final : public httplib::TaskQueue {
  public:
    explicit InlineQueue(std::shared_ptr<GuardedServer::Shared> shared)
        : shared_(std::move(shared)) {}
    void enqueue(std::function<void()> task) override { task(); }
    void shutdown() override { shared_->shutdown_all(); }

  private:
    std::shared_ptr<GuardedServer::Shared> shared_;
};

}  // namespace

GuardedServer::GuardedServer(Limits limits, SSL_CTX* tls) : shared_(std::make_shared<Shared>()) {
    shared_->limits = limits;
    shared_->tls = tls;
    if (tls) SSL_CTX_up_ref(tls);
    std::shared_ptr<Shared> shared = shared_;
    new_task_queue = [shared] { return new InlineQueue(shared); };
    // Only for the Keep-Alive header cpp-httplib writes: the loop below
    // keeps to these.
    set_keep_alive_max_count(kMaxRequestsPerConnection);
    set_keep_alive_timeout(std::max<time_t>(
        1, std::chrono::duration_cast<std::chrono::seconds>(limits.idle_timeout).count()));
}

GuardedServer::~GuardedServer() {
    // stop() has ended every connection thread (the queue's shutdown);
    // without a start there were none.
    if (shared_->tls) SSL_CTX_free(shared_->tls);
}

void GuardedServer::widen_backlog() {
    // listen() again on a listening socket only changes its backlog.
    if (svr_sock_ != INVALID_SOCKET) ::listen(svr_sock_, kListenBacklog);
}

void GuardedServer::close_after_response() {
    t_close_after_response = true;
}

bool GuardedServer::process_and_close_socket(socket_t sock) {
    const Clock::time_point accepted = Clock::now();
    Shared& shared = *shared_;
    Connection* connection = nullptr;
    {
        std::lock_guard lock(shared.mutex);
        if (!shared.stopping && shared.admit_locked()) {
            shared.connections.push_back(Connection{sock});
            connection = &shared.connections.back();
        }
    }
    if (!connection) {
        shared.refuse(sock);
        return true;
    }
    auto finish = [shared = shared_, connection] {
        int fd = -1;
        {
            std::lock_guard lock(shared->mutex);
            fd = connection->fd;
            shared->connections.remove_if([&](const Connection& c) { return &c == connection; });
            if (shared->connections.empty()) shared->idle.notify_all();
        }
        ::close(fd);
    };
    auto serve = [this, shared = shared_, connection, sock, accepted, finish] {
        // SSL_write() writes with write(): a client gone must not kill the
        // process with SIGPIPE; a blocked SIGPIPE makes it fail with EPIPE.
        sigset_t pipe;
        sigemptyset(&pipe);
        sigaddset(&pipe, SIGPIPE);
        pthread_sigmask(SIG_BLOCK, &pipe, nullptr);
        ::fcntl(sock, F_SETFL, ::fcntl(sock, F_GETFL) | O_NONBLOCK);
        {
            Transport transport(sock, shared->tls);
            const Limits& limits = shared->limits;
            GuardedStream stream(sock, transport, limits);
            bool ready = transport.handshake(accepted + limits.header_timeout);
            // A new connection's head is due header_timeout after the accept;
            // a kept-alive one's first byte within idle_timeout, and its head
            // header_timeout after that byte.
            Clock::time_point deadline = accepted + limits.header_timeout;
            for (int served = 0; ready && served < kMaxRequestsPerConnection; ++served) {
                bool too_long = false;
                if (!stream.read_head(deadline, served > 0, too_long)) {
                    if (too_long) {
                        static constexpr std::string_view kTooLong =
                            "HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Length: "
                            "0\r\nConnection: close\r\n\r\n";
                        (void)stream.write(kTooLong.data(), kTooLong.size());
                    }
                    break;
                }
                {
                    std::lock_guard lock(shared->mutex);
                    if (connection->evicted || shared->stopping) break;
                    connection->waiting = false;
                }
                t_close_after_response = false;
                bool closed = false;
                const bool ok = process_request(stream, served + 1 >= kMaxRequestsPerConnection,
                                                closed, nullptr);
                if (!ok || closed || t_close_after_response) break;
                {
                    std::lock_guard lock(shared->mutex);
                    if (connection->evicted || shared->stopping) break;
                    connection->waiting = true;
                    connection->waiting_since = Clock::now();
                }
                deadline = Clock::now() + limits.idle_timeout;
            }
            transport.close_notify();
        }
        finish();
    };
    try {
        std::thread(serve).detach();
    } catch (const std::system_error&) {
        // No thread to be had (the process is at its limit): refuse like a
        // full server.
        {
            std::lock_guard lock(shared.mutex);
            shared.connections.remove_if([&](const Connection& c) { return &c == connection; });
            if (shared.connections.empty()) shared.idle.notify_all();
        }
        shared.refuse(sock);
    }
    return true;
}

}  // namespace packline::web::detail

// The connection layer under HttpServer: cpp-httplib parses requests and
// writes responses, but its own connection handling (a fixed pool of workers,
// an unbounded queue of accepted sockets, a read timeout per recv() rather
// than per request) lets a few clients that send half a header or hold event
// streams starve everybody else. GuardedServer takes over each accepted
// socket instead:
//
//   - at most Limits::max_connections connections are open; when full, the
//     connection that has waited longest for its request's head (a slow or
//     idle client) is dropped to make room, and when every connection is busy
//     being answered the newcomer gets a 503 with Retry-After, written on
//     the socket at once;
//   - a request's head must arrive whole within header_timeout (counted from
//     the accept, or from the first byte of a kept-alive request), its body
//     within body_timeout, and a kept-alive connection waits idle_timeout at
//     most for the next request; a head is read before a request is given to
//     cpp-httplib, so only complete heads are ever parsed;
//   - a request may read at most its head plus max_body_bytes (a backstop:
//     HttpServer refuses larger declared bodies before reading them).
//
// One thread per open connection, so a slow client holds nobody else's
// thread. HTTPS is done here too (OpenSSL on the same non-blocking socket),
// so the handshake falls under the header timeout.
//
// Internal to packline_web: cpp-httplib and OpenSSL types stay out of the
// public header.
#pragma once

#include <httplib.h>
#include <openssl/ssl.h>

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

namespace packline::web::detail {

struct Limits {
    std::size_t max_connections = 64;
    std::chrono::milliseconds header_timeout{5000};
    std::chrono::milliseconds body_timeout{10000};
    std::chrono::milliseconds idle_timeout{5000};
    std::chrono::milliseconds write_timeout{10000};
    std::size_t max_body_bytes = 64 * 1024;
    int retry_after_s = 2;
};

class GuardedServer final : public httplib::Server {
  public:
    // `tls`: an SSL_CTX for HTTPS (the server takes a reference), or null.
    GuardedServer(Limits limits, SSL_CTX* tls);
    ~GuardedServer() override;

    // After bind_to_port(): cpp-httplib listens with a backlog of five, so a
    // burst of connections (a slowloris client, a room of tablets) would
    // have the kernel drop the next ones' SYNs and clients retry for
    // seconds before the accept thread ever sees them.
    void widen_backlog();

    // Called by a handler (on the connection's thread): the connection closes
    // after this response, e.g. a refused body that was never read.
    static void close_after_response();

    struct Shared;

  private:
    // Runs on the accept thread (the task queue runs it inline): admits the
    // socket and hands it to a thread of its own, or refuses it.
    bool process_and_close_socket(socket_t sock) override;

    std::shared_ptr<Shared> shared_;
};

}  // namespace packline::web::detail

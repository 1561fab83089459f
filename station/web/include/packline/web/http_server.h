// A small HTTP server for the packer screen and the supervisor dashboard:
// routes, embedded files, Server-Sent Events, and the protections every
// Packline page gets (cpp-httplib underneath; nothing of it leaks here).
//
// Protections, for every route:
//   - responses carry a strict Content-Security-Policy (no inline script or
//     style, same origin only), nosniff, no framing, no referrer;
//   - on a loopback address only requests whose Host is that address (or
//     localhost) are served, so a web page elsewhere cannot reach the
//     station through DNS rebinding;
//   - POST bodies must be JSON (Content-Type: application/json) and come
//     from the same origin when the browser says where they come from, so a
//     form on another site cannot post to us (CSRF); bodies are capped by
//     their declared length before they are read (413; a body without a
//     length, chunked, is refused with 411).
//
// Limits, so that a few clients cannot starve the others (ServerOptions):
// open connections, open event streams, and timeouts for a request's head,
// its body and an idle kept-alive connection. A server that is full answers
// 503 with Retry-After at once; when every connection is taken, the one that
// has waited longest for its request's head is dropped first (a client
// sending half a header), so a whole request still gets its answer. Streams
// are capped below connections: the page and actions always get through.
//
// Thread-safety: routes are registered before start(); handlers run on the
// server's connection threads (one per open connection), so they must only
// read thread-safe state or post work to its owner. A stream handler holds
// its connection for as long as its client listens.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "packline/error.h"

namespace packline::web {

struct Request {
    std::string method;
    std::string path;
    std::string body;
    std::string remote_address;
    std::map<std::string, std::string> headers;  // names in lower case
    std::map<std::string, std::string> query;

    std::string header(std::string_view name) const;  // "" when absent
    std::string cookie(std::string_view name) const;  // "" when absent
};

struct Response {
    int status = 200;
    std::string content_type = "application/json";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;

    static Response json(int status, std::string body);
    // {"error": {"code": ..., "message": ...}}
    static Response error(int status, std::string_view code, std::string_view message);
};

using Handler = std::function<Response(const Request&)>;

// One Server-Sent Events client.
class EventStreamWriter {
  public:
    virtual ~EventStreamWriter() = default;
    // false once the client is gone or the server is stopping.
    virtual bool send(std::string_view event, std::string_view data) = 0;
    virtual bool comment(std::string_view text) = 0;
    virtual bool stopping() const = 0;
};
// Runs until the client goes (send() returns false) or the server stops.
using StreamHandler = std::function<void(const Request&, EventStreamWriter&)>;
// Decides before a stream starts: a response refuses it (401, 503...).
using StreamGate = std::function<std::optional<Response>(const Request&)>;

struct ServerOptions {
    std::string name = "web";  // for messages: "packer screen", "dashboard"
    // host:port, the host "localhost", an IPv4 literal or a bracketed IPv6
    // literal ("[::1]:8470"); port 0 = any free port.
    std::string listen = "127.0.0.1:0";
    std::size_t max_body_bytes = 64 * 1024;
    // Open connections at once (each holds a thread); beyond: 503, or the
    // longest wait for a head is dropped.
    std::size_t max_connections = 64;
    // Open event streams at once; beyond: 503. Keep it well below
    // max_connections so pages and actions get through.
    std::size_t max_streams = 16;
    // A request's head must arrive within this (from the connection, or from
    // its first byte on a kept-alive one), its body within body_timeout after.
    std::chrono::milliseconds header_timeout{5000};
    std::chrono::milliseconds body_timeout{10000};
    // A kept-alive connection waits this long for its next request.
    std::chrono::milliseconds idle_timeout{5000};
    // Writing a response (or an event to a stream) may take this long.
    std::chrono::milliseconds write_timeout{10000};
    int retry_after_s = 2;  // in every 503 of these limits
    std::string cert_file;  // both set: HTTPS
    std::string key_file;
};

class HttpServer {
  public:
    // Error "web.config" for a listen address that is not host:port, or a
    // certificate that cannot be loaded.
    static Result<std::unique_ptr<HttpServer>> create(ServerOptions options);
    ~HttpServer();  // stops
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    void get(const std::string& path, Handler handler);
    void post(const std::string& path, Handler handler);
    void stream(const std::string& path, StreamGate gate, StreamHandler handler);
    // A file served as is (embedded assets); "/" is served for "/index.html".
    void file(const std::string& path, std::string content_type, std::string_view bytes);

    // Binds and serves on a thread of its own. Error "web.listen" when the
    // address cannot be bound (taken, not ours).
    Status start();
    // Stops accepting, tells stream handlers to end, waits for the workers.
    // Close the feeds the streams wait on first, so they notice at once.
    void stop();

    int port() const;         // the bound port (after start)
    std::string url() const;  // "http://127.0.0.1:8470/"
    bool is_loopback() const;

  private:
    struct Impl;
    explicit HttpServer(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

// "text/html; charset=utf-8" for ".html", and so on; "application/octet-stream" otherwise.
std::string content_type_for(std::string_view file_name);

}  // namespace packline::web

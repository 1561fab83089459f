#include "packline/web/http_server.h"

#include <arpa/inet.h>
#include <httplib.h>
#include <openssl/ssl.h>

#include <atomic>
#include <nlohmann/json.hpp>
#include <thread>

#include "guarded_server.h"
#include "packline/web/web_errors.h"

namespace packline::web {

std::string Request::header(std::string_view name) const {
    std::string key(name);
    for (char& c : key)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    auto found = headers.find(key);
    return found == headers.end() ? std::string() : found->second;
}

std::string Request::cookie(std::string_view name) const {
    const std::string all = header("cookie");
    std::size_t at = 0;
    while (at < all.size()) {
        std::size_t end = all.find(';', at);
        if (end == std::string::npos) end = all.size();
        std::string_view pair(all.data() + at, end - at);
        while (!pair.empty() && pair.front() == ' ')
            pair.remove_prefix(1);
        const auto equals = pair.find('=');
        if (equals != std::string_view::npos && pair.substr(0, equals) == name)
            return std::string(pair.substr(equals + 1));
        at = end + 1;
    }
    return {};
}

Response Response::json(int status, std::string body) {
    Response response;
    response.status = status;
    response.body = std::move(body);
    return response;
}

Response Response::error(int status, std::string_view code, std::string_view message) {
    nlohmann::json body{{"error", {{"code", code}, {"message", message}}}};
    return json(status, body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

std::string content_type_for(std::string_view file_name) {
    auto ends_with = [&](std::string_view suffix) {
        return file_name.size() >= suffix.size() &&
               file_name.substr(file_name.size() - suffix.size()) == suffix;
    };
    if (ends_with(".html")) return "text/html; charset=utf-8";
    if (ends_with(".js") || ends_with(".mjs")) return "text/javascript; charset=utf-8";
    if (ends_with(".css")) return "text/css; charset=utf-8";
    if (ends_with(".json")) return "application/json";
    if (ends_with(".svg")) return "image/svg+xml";
    if (ends_with(".png")) return "image/png";
    if (ends_with(".ico")) return "image/x-icon";
    return "application/octet-stream";
}

namespace {

constexpr const char* kContentSecurityPolicy =
    "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self'; "
    "script-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

struct Route {
    Handler handler;
    StreamGate gate;
    StreamHandler stream;
};

struct ParsedListen {
    std::string host;
    int port = 0;
};

std::optional<ParsedListen> parse_listen(const std::string& listen) {
    const auto colon = listen.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 >= listen.size()) return std::nullopt;
    const std::string digits = listen.substr(colon + 1);
    if (digits.size() > 5 || digits.find_first_not_of("0123456789") != std::string::npos)
        return std::nullopt;
    ParsedListen parsed;
    parsed.port = std::stoi(digits);
    if (parsed.port > 65535) return std::nullopt;
    parsed.host = listen.substr(0, colon);
    // An address of this machine, written as one: "localhost", an IPv4
    // literal, or an IPv6 literal in brackets. Anything else ("0", a number
    // the resolver would turn into 127.0.0.1, a name) could bind somewhere
    // other than it seems to say.
    in6_addr v6{};
    in_addr v4{};
    if (parsed.host.size() > 2 && parsed.host.front() == '[' && parsed.host.back() == ']') {
        parsed.host = parsed.host.substr(1, parsed.host.size() - 2);
        if (inet_pton(AF_INET6, parsed.host.c_str(), &v6) != 1) return std::nullopt;
    } else if (parsed.host != "localhost" && inet_pton(AF_INET, parsed.host.c_str(), &v4) != 1) {
        return std::nullopt;
    }
    return parsed;
}

bool is_loopback_host(const std::string& host) {
    in_addr v4{};
    if (inet_pton(AF_INET, host.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
    return host == "localhost" || host == "::1";
}

Request to_request(const httplib::Request& from) {
    Request request;
    request.method = from.method;
    request.path = from.path;
    request.body = from.body;
    request.remote_address = from.remote_addr;
    for (const auto& [name, value] : from.headers) {
        std::string key = name;
        for (char& c : key)
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        request.headers.emplace(std::move(key), value);
    }
    for (const auto& [name, value] : from.params)
        request.query.emplace(name, value);
    return request;
}

void apply(const Response& from, httplib::Response& to) {
    to.status = from.status;
    for (const auto& [name, value] : from.headers)
        to.set_header(name, value);
    to.set_content(from.body, from.content_type);
}

// Holds one of the server's stream places for as long as cpp-httplib keeps
// the stream's provider (copies share it).
// Gives a stream's place back when the last copy of its provider goes.
// (A constructor, not an aggregate: clang 14 has no parenthesised aggregate
// initialisation for make_shared.)
struct StreamPlace {
    explicit StreamPlace(std::atomic<std::size_t>& counter) : open(counter) {}
    StreamPlace(const StreamPlace&) = delete;
    StreamPlace& operator=(const StreamPlace&) = delete;
    ~StreamPlace() { --open; }
    std::atomic<std::size_t>& open;
};

struct SslContextFree {
    void operator()(SSL_CTX* context) const { SSL_CTX_free(context); }
};
using SslContext = std::unique_ptr<SSL_CTX, SslContextFree>;

SslContext load_certificate(const std::string& cert_file, const std::string& key_file) {
    SslContext context(SSL_CTX_new(TLS_server_method()));
    if (!context) return nullptr;
    SSL_CTX_set_min_proto_version(context.get(), TLS1_2_VERSION);
    SSL_CTX_set_options(context.get(), SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
    SSL_CTX_set_mode(context.get(),
                     SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    if (SSL_CTX_use_certificate_chain_file(context.get(), cert_file.c_str()) != 1 ||
        SSL_CTX_use_PrivateKey_file(context.get(), key_file.c_str(), SSL_FILETYPE_PEM) != 1 ||
        SSL_CTX_check_private_key(context.get()) != 1)
        return nullptr;
    return context;
}

class SinkWriter final : public EventStreamWriter {
  public:
    SinkWriter(httplib::DataSink& sink, const std::atomic<bool>& stopping)
        : sink_(sink), stopping_(stopping) {}

    bool send(std::string_view event, std::string_view data) override {
        std::string frame = "event: ";
        frame.append(event);
        frame += '\n';
        // A data line per line of the payload (SSE framing).
        std::size_t at = 0;
        while (at <= data.size()) {
            std::size_t end = data.find('\n', at);
            if (end == std::string_view::npos) end = data.size();
            frame += "data: ";
            frame.append(data.substr(at, end - at));
            frame += '\n';
            at = end + 1;
        }
        frame += '\n';
        return write(frame);
    }

    bool comment(std::string_view text) override {
        std::string frame = ": ";
        frame.append(text);
        frame += "\n\n";
        return write(frame);
    }

    bool stopping() const override { return stopping_.load(); }

  private:
    bool write(const std::string& frame) {
        if (stopping_.load()) return false;
        if (sink_.is_writable && !sink_.is_writable()) return false;
        return sink_.write(frame.data(), frame.size());
    }

    httplib::DataSink& sink_;
    const std::atomic<bool>& stopping_;
};

}  // namespace

struct HttpServer::Impl {
    ServerOptions options;
    ParsedListen address;
    std::unique_ptr<httplib::Server> server;
    std::map<std::string, Route> get_routes;
    std::map<std::string, Route> post_routes;
    std::atomic<bool> stopping{false};
    std::atomic<std::size_t> open_streams{0};
    std::thread thread;
    int bound_port = 0;
    bool tls = false;

    bool host_allowed(const httplib::Request& request) const {
        if (!is_loopback_host(address.host)) return true;
        const std::string host = request.get_header_value("Host");
        const std::string port = ":" + std::to_string(bound_port);
        for (const char* name : {"127.0.0.1", "localhost", "[::1]"})
            if (host == std::string(name) + port || host == name) return true;
        return host == address.host + port;
    }

    // A body refused by its declared size, before a byte of it is read:
    // 413, 411 (no length: chunked) or 400; nullopt when it may be read.
    std::optional<Response> refuse_body(const httplib::Request& request) const {
        if (request.has_header("Transfer-Encoding"))
            return Response::error(411, errors::kWebLengthRequired,
                                   "send the body with a Content-Length");
        if (!request.has_header("Content-Length")) return std::nullopt;
        const std::string length = request.get_header_value("Content-Length");
        if (length.empty() || length.size() > 18 ||
            length.find_first_not_of("0123456789") != std::string::npos)
            return Response::error(400, errors::kWebBadRequest, "Content-Length is not a number");
        if (std::stoull(length) > options.max_body_bytes)
            return Response::error(
                413, errors::kWebTooLarge,
                "the body is larger than " + std::to_string(options.max_body_bytes) + " bytes");
        return std::nullopt;
    }

    // The checks every request passes before its route (see the header).
    // cpp-httplib runs them after the head and before it reads the body.
    httplib::Server::HandlerResponse screen(const httplib::Request& request,
                                            httplib::Response& response) const {
        auto refuse = [&](const Response& refusal) {
            apply(refusal, response);
            // A body we did not read must not be taken for the next request.
            detail::GuardedServer::close_after_response();
            response.set_header("Connection", "close");
            return httplib::Server::HandlerResponse::Handled;
        };
        if (!host_allowed(request))
            return refuse(Response::error(421, errors::kWebHost,
                                          "this server answers on its own address only"));
        if (auto refused = refuse_body(request)) return refuse(*refused);
        if (request.method == "POST") {
            const std::string type = request.get_header_value("Content-Type");
            if (type.rfind("application/json", 0) != 0)
                return refuse(
                    Response::error(415, errors::kWebContentType, "send JSON (application/json)"));
            const std::string origin = request.get_header_value("Origin");
            const std::string own =
                (tls ? "https://" : "http://") + request.get_header_value("Host");
            if (!origin.empty() && origin != own)
                return refuse(
                    Response::error(403, errors::kWebOrigin, "cross-site requests are refused"));
        }
        return httplib::Server::HandlerResponse::Unhandled;
    }

    void dispatch(const std::map<std::string, Route>& routes, const httplib::Request& from,
                  httplib::Response& to) {
        auto found = routes.find(from.path);
        if (found == routes.end()) {
            apply(Response::error(404, errors::kWebNotFound, "no such page: " + from.path), to);
            return;
        }
        Request request = to_request(from);
        const Route& route = found->second;
        if (route.handler) {
            apply(route.handler(request), to);
            if (to.get_header_value("Cache-Control").empty())
                to.set_header("Cache-Control", "no-store");
            return;
        }
        if (route.gate) {
            if (auto refused = route.gate(request)) {
                apply(*refused, to);
                return;
            }
        }
        if (open_streams.fetch_add(1) >= options.max_streams) {
            --open_streams;
            Response busy =
                Response::error(503, errors::kWebBusy, "too many open streams; try again");
            busy.headers.emplace_back("Retry-After", std::to_string(options.retry_after_s));
            apply(busy, to);
            return;
        }
        auto place = std::make_shared<StreamPlace>(open_streams);
        to.set_header("Cache-Control", "no-store");
        to.set_header("X-Accel-Buffering", "no");  // nginx in front: do not buffer the stream
        StreamHandler handler = route.stream;
        auto provider = [this, handler, place, request = std::move(request)](
                            std::size_t, httplib::DataSink& sink) {
            (void)place;  // held, not used: the place is free when the provider goes
            SinkWriter writer(sink, stopping);
            handler(request, writer);
            sink.done();
            return true;
        };
        to.set_chunked_content_provider("text/event-stream", std::move(provider));
    }
};

HttpServer::HttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

HttpServer::~HttpServer() {
    stop();
}

Result<std::unique_ptr<HttpServer>> HttpServer::create(ServerOptions options) {
    auto address = parse_listen(options.listen);
    if (!address)
        return Error(errors::kWebConfig,
                     options.name + ": listen address '" + options.listen +
                         "' is not host:port with an IP address or localhost (\"127.0.0.1:8470\", "
                         "\"0.0.0.0:8470\", \"[::1]:8470\")");
    auto impl = std::make_unique<Impl>();
    impl->address = *address;
    SslContext tls;
    if (!options.cert_file.empty() || !options.key_file.empty()) {
        if (options.cert_file.empty() || options.key_file.empty())
            return Error(errors::kWebConfig,
                         options.name + ": HTTPS needs both cert_file and key_file");
        tls = load_certificate(options.cert_file, options.key_file);
        if (!tls)
            return Error(errors::kWebConfig, options.name + ": cannot load the certificate " +
                                                 options.cert_file + " with the key " +
                                                 options.key_file);
        impl->tls = true;
    }
    detail::Limits limits;
    limits.max_connections = std::max<std::size_t>(2, options.max_connections);
    limits.header_timeout = options.header_timeout;
    limits.body_timeout = options.body_timeout;
    limits.idle_timeout = options.idle_timeout;
    limits.write_timeout = options.write_timeout;
    limits.max_body_bytes = options.max_body_bytes;
    limits.retry_after_s = options.retry_after_s;
    impl->server = std::make_unique<detail::GuardedServer>(limits, tls.get());
    // A body that declares no more than the cap but sends more is cut here.
    impl->server->set_payload_max_length(options.max_body_bytes);
    // curl and others ask before sending a large body: answer from its
    // declared length, before it comes.
    impl->server->set_expect_100_continue_handler(
        [raw = impl.get()](const httplib::Request& request, httplib::Response& response) {
            if (auto refused = raw->refuse_body(request)) {
                apply(*refused, response);
                detail::GuardedServer::close_after_response();
                return refused->status;
            }
            return 100;
        });
    impl->server->set_default_headers({{"Content-Security-Policy", kContentSecurityPolicy},
                                       {"X-Content-Type-Options", "nosniff"},
                                       {"X-Frame-Options", "DENY"},
                                       {"Referrer-Policy", "no-referrer"}});
    Impl* raw = impl.get();
    impl->server->set_pre_routing_handler(
        [raw](const httplib::Request& request, httplib::Response& response) {
            return raw->screen(request, response);
        });
    impl->server->Get(".*", [raw](const httplib::Request& request, httplib::Response& response) {
        raw->dispatch(raw->get_routes, request, response);
    });
    impl->server->Post(".*", [raw](const httplib::Request& request, httplib::Response& response) {
        raw->dispatch(raw->post_routes, request, response);
    });
    impl->server->set_exception_handler([](const httplib::Request&, httplib::Response& response,
                                           std::exception_ptr) {
        apply(Response::error(500, errors::kWebInternal, "the request failed inside the server"),
              response);
    });
    impl->options = std::move(options);
    return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl)));
}

void HttpServer::get(const std::string& path, Handler handler) {
    impl_->get_routes[path] = Route{std::move(handler), {}, {}};
}

void HttpServer::post(const std::string& path, Handler handler) {
    impl_->post_routes[path] = Route{std::move(handler), {}, {}};
}

void HttpServer::stream(const std::string& path, StreamGate gate, StreamHandler handler) {
    impl_->get_routes[path] = Route{{}, std::move(gate), std::move(handler)};
}

void HttpServer::file(const std::string& path, std::string content_type, std::string_view bytes) {
    Response response;
    response.content_type = std::move(content_type);
    response.body = std::string(bytes);
    // Assets change only with the program: let the browser keep them briefly.
    response.headers.emplace_back("Cache-Control", "max-age=60");
    Handler handler = [response](const Request&) { return response; };
    impl_->get_routes[path] = Route{handler, {}, {}};
    if (path == "/index.html") impl_->get_routes["/"] = Route{handler, {}, {}};
}

Status HttpServer::start() {
    if (impl_->thread.joinable()) return {};
    const ParsedListen& address = impl_->address;
    if (address.port == 0) {
        const int port = impl_->server->bind_to_any_port(address.host);
        if (port <= 0)
            return Error(errors::kWebListen,
                         impl_->options.name + ": cannot listen on " + address.host);
        impl_->bound_port = port;
    } else {
        if (!impl_->server->bind_to_port(address.host, address.port))
            return Error(errors::kWebListen, impl_->options.name + ": cannot listen on " +
                                                 impl_->options.listen +
                                                 " (taken by another program, or not an address of "
                                                 "this machine)");
        impl_->bound_port = address.port;
    }
    static_cast<detail::GuardedServer&>(*impl_->server).widen_backlog();
    impl_->thread = std::thread([server = impl_->server.get()] { server->listen_after_bind(); });
    // cpp-httplib's stop() does nothing until its accept loop runs: a stop()
    // right after start() (a shift with nothing to pack) would leave the
    // listening thread blocked for ever. Wait for the loop (it starts in
    // microseconds; a failed listen ends the thread, which join() then takes).
    for (int waited_ms = 0; waited_ms < 2000 && !impl_->server->is_running(); ++waited_ms)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return {};
}

void HttpServer::stop() {
    if (!impl_ || !impl_->thread.joinable()) return;
    impl_->stopping = true;
    impl_->server->stop();
    impl_->thread.join();
}

int HttpServer::port() const {
    return impl_->bound_port;
}

bool HttpServer::is_loopback() const {
    return is_loopback_host(impl_->address.host);
}

std::string HttpServer::url() const {
    std::string host = impl_->address.host;
    if (host == "0.0.0.0" || host.empty()) host = "127.0.0.1";
    if (host.find(':') != std::string::npos) host = "[" + host + "]";
    return std::string(impl_->tls ? "https://" : "http://") + host + ":" +
           std::to_string(impl_->bound_port) + "/";
}

}  // namespace packline::web

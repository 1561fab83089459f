#include "packline/hub/dashboard_server.h"

#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "dashboard_assets.h"
#include "packline/hardware/events.h"
#include "packline/hub/dashboard.h"
#include "packline/hub/hub_errors.h"
#include "packline/hub/supervisors.h"
#include "packline/web/http_server.h"
#include "packline/web/live_feed.h"
#include "packline/web/web_errors.h"

namespace packline::hub {

namespace {

using nlohmann::json;
using web::Request;
using web::Response;

constexpr const char* kCookie = "packline_session";
constexpr std::chrono::milliseconds kPollInterval{250};
constexpr std::int64_t kRefreshMs = 10000;  // a snapshot at least this often
// ... and at most this often: at a busy site the database changes on nearly
// every poll, and a snapshot costs tens of milliseconds.
constexpr std::int64_t kMinSnapshotMs = 1000;
constexpr std::int64_t kPurgeMs = 10 * 60 * 1000;     // expired sessions swept this often
constexpr std::int64_t kStreamRecheckMs = 60 * 1000;  // an open stream re-checks its session
// Open dashboards at once (each holds a connection for its stream), and open
// connections: a site has a handful of supervisors; the rest stays free for
// pages, sign-ins and snapshots (docs/dashboard.md, "Limits").
constexpr std::size_t kMaxStreams = 32;
constexpr std::size_t kMaxConnections = 96;
// Open dashboards per supervisor (a desk screen, a tablet, a phone and one
// more): one account, or a session stolen from it, cannot take every stream
// place from the other supervisors.
constexpr int kMaxStreamsPerSupervisor = 4;
constexpr int kStreamRetryAfterS = 5;

std::string dump(const json& value) {
    return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

int status_for(const Error& error) {
    if (error.code == errors::kAuthThrottled) return 429;
    if (error.code == errors::kAuthDisabled) return 403;
    if (error.code.rfind("auth.", 0) == 0) return 401;
    return 500;
}

}  // namespace

struct DashboardServer::Impl {
    HubConfig config;
    Log log;
    std::unique_ptr<SupervisorDirectory> supervisors;
    std::unique_ptr<DashboardQueries> queries;
    web::LiveFeed feed;
    std::unique_ptr<web::HttpServer> server;
    bool tls = false;

    // Open streams: with none, the poller builds no snapshots (a hub under
    // load with nobody watching spends nothing on its dashboard).
    std::atomic<int> streams{0};
    std::mutex streams_mutex;
    std::map<std::string, int> streams_of;  // open streams by supervisor (user name)

    std::mutex mutex;
    std::condition_variable wake;
    bool stopping = false;
    std::thread poller;

    std::string cookie(const std::string& token, std::int64_t max_age_s) const {
        return std::string(kCookie) + "=" + token +
               "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(max_age_s) +
               (tls ? "; Secure" : "");
    }

    Result<SessionInfo> session_of(const Request& request) {
        const std::string token = request.cookie(kCookie);
        if (token.empty()) return Error(errors::kAuthInvalid, "sign in first");
        return supervisors->authenticate(token, hardware::now_ms());
    }

    Result<std::string> snapshot(std::int64_t now_ms) {
        auto shift = current_shift_start_ms(config.dashboard.shift_starts, now_ms);
        if (!shift.ok()) return shift.error();
        DashboardWindow window;
        window.now_ms = now_ms;
        window.shift_start_ms = shift.value();
        window.ship_within_hours = config.dashboard.ship_within_hours;
        return queries->snapshot_json(window);
    }

    void poll() {
        std::int64_t version = -1;
        std::int64_t published_at = 0;
        std::int64_t purged_at = hardware::now_ms();
        std::string last_error;
        std::unique_lock lock(mutex);
        while (!stopping) {
            lock.unlock();
            const std::int64_t now = hardware::now_ms();
            auto current = queries->data_version();
            const bool changed = current.ok() && current.value() != version;
            const bool due = (changed && now - published_at >= kMinSnapshotMs) ||
                             now - published_at >= kRefreshMs;
            if (streams.load() > 0 && due) {
                auto made = snapshot(now);
                if (made.ok()) {
                    feed.publish("snapshot", std::move(made.value()));
                    if (current.ok()) version = current.value();
                    published_at = now;
                    last_error.clear();
                } else if (made.error().message != last_error) {
                    // Said once, not every 250 ms; the next poll tries again.
                    last_error = made.error().message;
                    log("packline-hub: dashboard: " + last_error);
                }
            }
            if (now - purged_at >= kPurgeMs) {
                (void)supervisors->purge_expired(now);
                purged_at = now;
            }
            lock.lock();
            wake.wait_for(lock, kPollInterval, [this] { return stopping; });
        }
    }

    void routes() {
        for (const DashboardFile& file : dashboard_files())
            server->file("/" + std::string(file.path), web::content_type_for(file.path),
                         file.bytes);

        server->post("/api/login", [this](const Request& request) {
            const auto body = json::parse(request.body, nullptr, false);
            if (!body.is_object() || !body.contains("username") || !body.contains("password") ||
                !body["username"].is_string() || !body["password"].is_string())
                return Response::error(400, errors::kWebBadRequest,
                                       R"(send {"username": ..., "password": ...})");
            auto session = supervisors->login(body["username"].get<std::string>(),
                                              body["password"].get<std::string>(),
                                              request.remote_address, hardware::now_ms());
            if (!session.ok()) {
                Response refused = Response::error(status_for(session.error()),
                                                   session.error().code, session.error().message);
                if (session.error().code == errors::kAuthThrottled) {
                    const std::int64_t wait =
                        supervisors->sign_in_wait_ms(request.remote_address, hardware::now_ms());
                    refused.headers.emplace_back(
                        "Retry-After",
                        std::to_string(std::max<std::int64_t>(1, (wait + 999) / 1000)));
                }
                return refused;
            }
            const std::int64_t max_age =
                std::max<std::int64_t>(0, (session->expires_at_ms - hardware::now_ms()) / 1000);
            Response response =
                Response::json(200, dump({{"username", session->username},
                                          {"display_name", session->display_name},
                                          {"expires_at_ms", session->expires_at_ms}}));
            response.headers.emplace_back("Set-Cookie", cookie(session->token, max_age));
            return response;
        });
        server->post("/api/logout", [this](const Request& request) {
            const std::string token = request.cookie(kCookie);
            if (!token.empty())
                (void)supervisors->logout(token, hardware::now_ms(), request.remote_address);
            Response response = Response::json(200, R"({"signed_out":true})");
            response.headers.emplace_back("Set-Cookie", cookie("", 0));
            return response;
        });
        server->get("/api/me", [this](const Request& request) {
            auto session = session_of(request);
            if (!session.ok())
                return Response::error(status_for(session.error()), session.error().code,
                                       session.error().message);
            return Response::json(200, dump({{"username", session->username},
                                             {"display_name", session->display_name},
                                             {"expires_at_ms", session->expires_at_ms},
                                             {"idle_expires_at_ms", session->idle_expires_at_ms}}));
        });
        server->get("/api/snapshot", [this](const Request& request) {
            auto session = session_of(request);
            if (!session.ok())
                return Response::error(status_for(session.error()), session.error().code,
                                       session.error().message);
            auto made = snapshot(hardware::now_ms());
            if (!made.ok()) return Response::error(500, made.error().code, made.error().message);
            return Response::json(200, std::move(made.value()));
        });
        server->stream(
            "/events",
            [this](const Request& request) -> std::optional<Response> {
                auto session = session_of(request);
                if (!session.ok())
                    return Response::error(status_for(session.error()), session.error().code,
                                           session.error().message);
                {
                    std::lock_guard lock(streams_mutex);
                    auto open = streams_of.find(session->username);
                    if (open == streams_of.end() || open->second < kMaxStreamsPerSupervisor)
                        return std::nullopt;
                }
                Response busy = Response::error(503, errors::kDashboardTooManyStreams,
                                                "this supervisor has " +
                                                    std::to_string(kMaxStreamsPerSupervisor) +
                                                    " dashboards open already; close one");
                busy.headers.emplace_back("Retry-After", std::to_string(kStreamRetryAfterS));
                return busy;
            },
            [this](const Request& request, web::EventStreamWriter& writer) {
                auto session = session_of(request);
                if (!session.ok()) return;
                // Counted before anything is sent: a client that has seen
                // its first event is counted (parallel opens may pass the
                // gate together and go a stream or two over; a soft cap).
                {
                    std::lock_guard lock(streams_mutex);
                    ++streams_of[session->username];
                }
                struct LeaveSupervisor {
                    Impl& impl;
                    std::string username;
                    ~LeaveSupervisor() {
                        std::lock_guard lock(impl.streams_mutex);
                        if (--impl.streams_of[username] <= 0) impl.streams_of.erase(username);
                    }
                } leave_supervisor{*this, session->username};
                // A fresh snapshot first: with nobody watching, the poller
                // made none.
                if (auto made = snapshot(hardware::now_ms()); made.ok())
                    feed.publish("snapshot", std::move(made.value()));
                ++streams;
                struct Leave {
                    std::atomic<int>& count;
                    ~Leave() { --count; }
                } leave{streams};
                const std::string token = request.cookie(kCookie);
                std::int64_t checked_at = hardware::now_ms();
                bool allowed = true;
                web::serve_feed(feed, writer, std::chrono::seconds(15), [&] {
                    const std::int64_t now = hardware::now_ms();
                    if (now - checked_at < kStreamRecheckMs) return allowed;
                    checked_at = now;
                    allowed = supervisors->authenticate(token, now).ok();
                    if (!allowed) (void)writer.send("session", R"({"expired":true})");
                    return allowed;
                });
            });
    }
};

DashboardServer::DashboardServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

DashboardServer::~DashboardServer() {
    stop();
}

Result<std::unique_ptr<DashboardServer>> DashboardServer::start(const HubConfig& config, Log log) {
    auto impl = std::make_unique<Impl>();
    impl->config = config;
    impl->log = log ? std::move(log) : [](const std::string&) {};
    SupervisorSettings settings;
    settings.session_hours = config.dashboard.session_hours;
    settings.idle_minutes = config.dashboard.idle_minutes;
    auto supervisors = SupervisorDirectory::open(config.database, settings, hardware::now_ms());
    if (!supervisors.ok()) return supervisors.error().context("dashboard");
    impl->supervisors = std::move(supervisors.value());
    auto queries = DashboardQueries::open(config.database);
    if (!queries.ok()) return queries.error().context("dashboard");
    impl->queries = std::move(queries.value());
    auto shift = current_shift_start_ms(config.dashboard.shift_starts, hardware::now_ms());
    if (!shift.ok()) return shift.error().context("dashboard");

    web::ServerOptions options;
    options.name = "dashboard";
    options.listen = config.dashboard.listen;
    options.max_streams = kMaxStreams;
    options.max_connections = kMaxConnections;
    options.max_body_bytes = 8 * 1024;
    options.cert_file = config.dashboard.cert_file;
    options.key_file = config.dashboard.key_file;
    impl->tls = !options.cert_file.empty();
    auto server = web::HttpServer::create(options);
    if (!server.ok()) return server.error();
    impl->server = std::move(server.value());
    impl->routes();
    if (auto started = impl->server->start(); !started.ok()) return started.error();
    Impl* raw = impl.get();
    impl->poller = std::thread([raw] { raw->poll(); });
    return std::unique_ptr<DashboardServer>(new DashboardServer(std::move(impl)));
}

std::string DashboardServer::url() const {
    return impl_->server->url();
}

void DashboardServer::stop() {
    if (!impl_ || !impl_->poller.joinable()) return;
    {
        std::lock_guard lock(impl_->mutex);
        impl_->stopping = true;
    }
    impl_->wake.notify_all();
    impl_->poller.join();
    impl_->feed.close();
    impl_->server->stop();
}

}  // namespace packline::hub

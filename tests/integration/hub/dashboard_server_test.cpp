// The dashboard's HTTP side on a real hub database: nothing without a
// session, sign-in sets an HttpOnly SameSite cookie, the stream pushes a new
// snapshot when the hub stores a station's will (another connection's
// commit), and signing out ends the session. Clients that hold streams,
// send half a header or announce a huge body cannot keep the dashboard from
// answering, and wrong passwords slow down the address they come from, not
// the supervisor whose name they use.
#include "packline/hub/dashboard_server.h"

#include <gtest/gtest.h>
#include <httplib.h>
#include <stdlib.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

#include "eventually.h"
#include "hub_messages.h"
#include "packline/hardware/events.h"
#include "packline/hub/hub_store.h"
#include "packline/hub/ingest.h"
#include "packline/hub/login_throttle.h"
#include "packline/hub/supervisors.h"
#include "raw_http.h"

namespace packline::hub {
namespace {

using nlohmann::json;
using testing::RawHttpConnection;

class DashboardServerTest : public ::testing::Test {
  protected:
    void SetUp() override {
        char pattern[] = "/tmp/packline-dashboard-server-XXXXXX";
        ASSERT_NE(::mkdtemp(pattern), nullptr);
        dir_ = pattern;
        config_.sites = {"ams1"};
        config_.database = (dir_ / "hub.db").string();
        config_.dashboard.listen = "127.0.0.1:0";
        auto store = HubStore::open(config_.database, hardware::now_ms());
        ASSERT_TRUE(store) << store.error().to_string();
        store_ = std::move(store).value();
        auto directory = SupervisorDirectory::open(config_.database, {}, hardware::now_ms());
        ASSERT_TRUE(directory) << directory.error().to_string();
        ASSERT_TRUE((*directory)->add("ana", "Ana", "correct horse battery", hardware::now_ms()));
        auto server = DashboardServer::start(config_, {});
        ASSERT_TRUE(server) << server.error().to_string();
        server_ = std::move(server).value();
        const std::string url = server_->url();
        port_ = std::stoi(url.substr(url.rfind(':') + 1));
    }

    void TearDown() override {
        server_.reset();
        store_.reset();
        std::filesystem::remove_all(dir_);
    }

    httplib::Client client() const {
        httplib::Client made("127.0.0.1", port_);
        made.set_read_timeout(10, 0);
        return made;
    }

    // The session cookie ("packline_session=...") of a sign-in, or "".
    std::string sign_in(const std::string& password, int expected_status = 200) {
        auto response =
            client().Post("/api/login", json{{"username", "Ana"}, {"password", password}}.dump(),
                          "application/json");
        EXPECT_TRUE(response);
        if (!response) return {};
        EXPECT_EQ(response->status, expected_status) << response->body;
        const std::string cookie = response->get_header_value("Set-Cookie");
        if (response->status != 200) return {};
        EXPECT_NE(cookie.find("HttpOnly"), std::string::npos) << cookie;
        EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos) << cookie;
        return cookie.substr(0, cookie.find(';'));
    }

    // A request's head as a browser on this machine sends it.
    std::string head(const std::string& method, const std::string& path,
                     const std::string& extra_headers = "") const {
        return method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port_) +
               "\r\n" + extra_headers + "\r\n";
    }

    // A sign-in sent by hand, from another loopback address when `source`
    // is given; the response as received.
    std::string raw_sign_in(const std::string& password, const char* source) {
        const std::string body = json{{"username", "ana"}, {"password", password}}.dump();
        RawHttpConnection connection(port_, source);
        EXPECT_TRUE(connection.ok());
        EXPECT_TRUE(
            connection.send(head("POST", "/api/login",
                                 "Content-Type: application/json\r\nContent-Length: " +
                                     std::to_string(body.size()) + "\r\nConnection: close\r\n") +
                            body));
        // All of it: the server closes after the response.
        return connection.read_until("\r\n\r\nnever", std::chrono::seconds(20));
    }

    void store_status(bool offline) {
        auto message =
            testing::status_message("ams1", "bench-1", ++sequence_, hardware::now_ms(), offline);
        auto decision = decide_ingest(message.topic, message.payload(), config_.sites);
        ASSERT_EQ(decision.verdict, IngestVerdict::Accepted) << decision.reason;
        const std::vector<StationRecord> records{std::get<StatusRecord>(decision.record)};
        ASSERT_TRUE(store_->ingest(records, hardware::now_ms()));
    }

    HubConfig config_;
    std::filesystem::path dir_;
    std::unique_ptr<HubStore> store_;
    std::unique_ptr<DashboardServer> server_;
    int port_ = 0;
    std::int64_t sequence_ = 0;
};

TEST_F(DashboardServerTest, NothingButThePagesWithoutASession) {
    auto page = client().Get("/");
    ASSERT_TRUE(page);
    EXPECT_EQ(page->status, 200);
    EXPECT_NE(page->get_header_value("Content-Security-Policy").find("script-src 'self'"),
              std::string::npos);
    for (const char* path : {"/api/snapshot", "/api/me", "/events"}) {
        auto refused = client().Get(path);
        ASSERT_TRUE(refused) << path;
        EXPECT_EQ(refused->status, 401) << path;
    }
    httplib::Headers forged{
        {"Cookie", "packline_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}};
    auto guessed = client().Get("/api/snapshot", forged);
    ASSERT_TRUE(guessed);
    EXPECT_EQ(guessed->status, 401);
    EXPECT_EQ(sign_in("wrong password", 401), "");
    auto form = client().Post("/api/login", "username=ana&password=correct+horse+battery",
                              "application/x-www-form-urlencoded");
    ASSERT_TRUE(form);
    EXPECT_EQ(form->status, 415);
}

TEST_F(DashboardServerTest, ASignedInSupervisorSeesStationsGoOfflineLive) {
    store_status(false);
    const std::string cookie = sign_in("correct horse battery");
    ASSERT_FALSE(cookie.empty());
    const httplib::Headers session{{"Cookie", cookie}};
    auto me = client().Get("/api/me", session);
    ASSERT_TRUE(me);
    EXPECT_EQ(json::parse(me->body)["username"], "ana");
    auto snapshot = client().Get("/api/snapshot", session);
    ASSERT_TRUE(snapshot);
    ASSERT_EQ(snapshot->status, 200);
    EXPECT_EQ(json::parse(snapshot->body)["stations"][0]["online"], true);

    std::mutex mutex;
    std::string received;
    std::atomic<bool> stop{false};
    std::thread listener([&] {
        client().Get("/events", session, [&](const char* data, std::size_t length) {
            std::lock_guard lock(mutex);
            received.append(data, length);
            return !stop.load();
        });
    });
    auto contains = [&](const std::string& text) {
        std::lock_guard lock(mutex);
        return received.find(text) != std::string::npos;
    };
    ASSERT_TRUE(packline::testing::eventually([&] { return contains("event: snapshot"); }));
    store_status(true);  // the broker published the station's will; the hub stored it
    EXPECT_TRUE(packline::testing::eventually([&] { return contains("\"online\":false"); },
                                              std::chrono::seconds(3)));
    stop = true;
    server_->stop();  // ends the stream
    listener.join();
}

TEST_F(DashboardServerTest, SigningOutEndsTheSession) {
    const std::string cookie = sign_in("correct horse battery");
    const httplib::Headers session{{"Cookie", cookie}};
    auto out = client().Post("/api/logout", session, "{}", "application/json");
    ASSERT_TRUE(out);
    EXPECT_EQ(out->status, 200);
    EXPECT_NE(out->get_header_value("Set-Cookie").find("Max-Age=0"), std::string::npos);
    auto after = client().Get("/api/snapshot", session);
    ASSERT_TRUE(after);
    EXPECT_EQ(after->status, 401);
}

TEST_F(DashboardServerTest, OpenDashboardsLeaveRoomForPagesAndSignIns) {
    const std::string cookie = sign_in("correct horse battery");
    ASSERT_FALSE(cookie.empty());
    // More open dashboards than the hub takes (docs/dashboard.md, "Limits",
    // for one supervisor and for all): each is answered at once, as a
    // stream or as a 503 to come back later.
    std::vector<std::unique_ptr<RawHttpConnection>> streams;
    int open = 0;
    int refused = 0;
    for (int i = 0; i < 72; ++i) {
        auto stream = std::make_unique<RawHttpConnection>(port_);
        ASSERT_TRUE(stream->ok());
        ASSERT_TRUE(stream->send(head("GET", "/events", "Cookie: " + cookie + "\r\n")));
        const int status = stream->read_status();
        ASSERT_TRUE(status == 200 || status == 503) << "stream " << i << ": " << stream->received();
        if (status == 503) {
            ++refused;
            EXPECT_FALSE(testing::raw_header(stream->received(), "Retry-After").empty());
        } else {
            ++open;
        }
        streams.push_back(std::move(stream));
    }
    EXPECT_GE(open, 1);
    EXPECT_GE(refused, 1);
    auto page = client().Get("/");
    ASSERT_TRUE(page);
    EXPECT_EQ(page->status, 200);
    EXPECT_FALSE(sign_in("correct horse battery").empty());
    auto snapshot = client().Get("/api/snapshot", httplib::Headers{{"Cookie", cookie}});
    ASSERT_TRUE(snapshot);
    EXPECT_EQ(snapshot->status, 200);
}

TEST_F(DashboardServerTest, HalfSentHeadersDoNotStarveAWholeRequest) {
    std::vector<std::unique_ptr<RawHttpConnection>> slow;
    for (int i = 0; i < 300; ++i) {
        auto connection = std::make_unique<RawHttpConnection>(port_);
        ASSERT_TRUE(connection->ok()) << i;
        (void)connection->send("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Half: ");
        slow.push_back(std::move(connection));
    }
    RawHttpConnection whole(port_);
    ASSERT_TRUE(whole.send(head("GET", "/")));
    EXPECT_EQ(whole.read_status(), 200) << whole.received();
    EXPECT_FALSE(sign_in("correct horse battery").empty());
}

TEST_F(DashboardServerTest, ABodyIsRefusedByItsDeclaredLengthBeforeItIsRead) {
    struct Case {
        std::string framing;
        int status;
        bool chunked;
    };
    for (const Case& refused : {Case{"Content-Length: 52428800\r\n", 413, false},
                                Case{"Transfer-Encoding: chunked\r\n", 411, true}}) {
        const auto answer = packline::testing::send_oversized_body(
            port_,
            head("POST", "/api/login", "Content-Type: application/json\r\n" + refused.framing),
            refused.chunked);
        EXPECT_EQ(answer.status, refused.status) << refused.framing << answer.received;
        EXPECT_LT(answer.sent, packline::testing::kFiftyMegabytes)
            << refused.framing << "the body was read";
    }
}

TEST_F(DashboardServerTest, WrongPasswordsSlowTheirAddressNotTheSupervisor) {
    // Someone at 127.0.0.1 guesses ana's password: after a few guesses
    // (however slow each is verified), they must wait.
    std::string throttled;
    for (int attempt = 0; attempt < kThrottleFreeFailures + 10; ++attempt) {
        throttled = raw_sign_in("guess " + std::to_string(attempt), nullptr);
        const int status = RawHttpConnection::status_of(throttled);
        if (status != 401) break;
    }
    ASSERT_EQ(RawHttpConnection::status_of(throttled), 429) << throttled;
    EXPECT_NE(throttled.find("auth.throttled"), std::string::npos) << throttled;
    EXPECT_FALSE(testing::raw_header(throttled, "Retry-After").empty()) << throttled;
    // Ana, at her own desk, signs in as usual.
    const std::string own_desk = raw_sign_in("correct horse battery", "127.0.0.2");
    EXPECT_EQ(RawHttpConnection::status_of(own_desk), 200) << own_desk;
    EXPECT_NE(own_desk.find("Set-Cookie: packline_session="), std::string::npos) << own_desk;
}

TEST_F(DashboardServerTest, OverHttpsAStalledHandshakeHoldsNobodyUp) {
    const std::string cert = (dir_ / "hub.crt").string();
    const std::string key = (dir_ / "hub.key").string();
    const std::string make_certificate =
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 "
        "-subj /CN=127.0.0.1 -keyout " +
        key + " -out " + cert + " >/dev/null 2>&1";
    if (std::system(make_certificate.c_str()) != 0)
        GTEST_SKIP() << "no openssl to make a certificate";
    HubConfig config = config_;
    config.dashboard.cert_file = cert;
    config.dashboard.key_file = key;
    auto started = DashboardServer::start(config, {});
    ASSERT_TRUE(started) << started.error().to_string();
    const std::string url = (*started)->url();
    ASSERT_EQ(url.rfind("https://", 0), 0u) << url;
    const int port = std::stoi(url.substr(url.rfind(':') + 1));

    // Clients that start a handshake and never finish it.
    std::vector<std::unique_ptr<RawHttpConnection>> stalled;
    for (int i = 0; i < 200; ++i) {
        auto connection = std::make_unique<RawHttpConnection>(port);
        ASSERT_TRUE(connection->ok()) << i;
        (void)connection->send(std::string("\x16\x03\x01", 3));  // half a ClientHello
        stalled.push_back(std::move(connection));
    }
    httplib::SSLClient browser("127.0.0.1", port);
    browser.enable_server_certificate_verification(false);
    browser.set_read_timeout(20, 0);
    browser.set_connection_timeout(20, 0);
    auto page = browser.Get("/");
    ASSERT_TRUE(page) << httplib::to_string(page.error());
    EXPECT_EQ(page->status, 200);
    auto login = browser.Post(
        "/api/login", json{{"username", "ana"}, {"password", "correct horse battery"}}.dump(),
        "application/json");
    ASSERT_TRUE(login);
    EXPECT_EQ(login->status, 200);
    EXPECT_NE(login->get_header_value("Set-Cookie").find("Secure"), std::string::npos);
}

TEST_F(DashboardServerTest, OneSupervisorCannotTakeEveryDashboard) {
    auto directory = SupervisorDirectory::open(config_.database, {}, hardware::now_ms());
    ASSERT_TRUE(directory) << directory.error().to_string();
    ASSERT_TRUE((*directory)->add("ben", "Ben", "another horse battery", hardware::now_ms()));
    const std::string ana = sign_in("correct horse battery");
    ASSERT_FALSE(ana.empty());
    auto open_stream = [&](const std::string& cookie) {
        auto stream = std::make_unique<RawHttpConnection>(port_);
        EXPECT_TRUE(stream->send(head("GET", "/events", "Cookie: " + cookie + "\r\n")));
        // Open once its first snapshot came; refused once the head did.
        if (stream->read_status() == 200) {
            const std::string first =
                stream->read_until("event: snapshot", std::chrono::seconds(20));
            EXPECT_NE(first.find("event: snapshot"), std::string::npos) << first;
        }
        return stream;
    };
    std::vector<std::unique_ptr<RawHttpConnection>> streams;
    int open = 0;
    for (int i = 0; i < 10; ++i) {
        streams.push_back(open_stream(ana));
        const int status = RawHttpConnection::status_of(streams.back()->received());
        ASSERT_TRUE(status == 200 || status == 503) << streams.back()->received();
        if (status == 200) ++open;
    }
    EXPECT_LT(open, 10);
    const std::string refused =
        streams.back()->read_until("dashboard.too_many_streams", std::chrono::seconds(20));
    EXPECT_NE(refused.find("dashboard.too_many_streams"), std::string::npos) << refused;
    EXPECT_FALSE(packline::testing::raw_header(streams.back()->received(), "Retry-After").empty());
    // Ben's dashboard opens all the same.
    auto ben_login = client().Post(
        "/api/login", json{{"username", "ben"}, {"password", "another horse battery"}}.dump(),
        "application/json");
    ASSERT_TRUE(ben_login);
    ASSERT_EQ(ben_login->status, 200);
    const std::string ben_cookie = ben_login->get_header_value("Set-Cookie");
    auto ben = open_stream(ben_cookie.substr(0, ben_cookie.find(';')));
    EXPECT_EQ(RawHttpConnection::status_of(ben->received()), 200) << ben->received();
}

}  // namespace
}  // namespace packline::hub

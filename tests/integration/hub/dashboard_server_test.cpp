// The dashboard's HTTP side on a real hub database: nothing without a
// session, sign-in sets an HttpOnly SameSite cookie, the stream pushes a new
// snapshot when the hub stores a station's will (another connection's
// commit), and signing out ends the session.
#include "packline/hub/dashboard_server.h"

#include <gtest/gtest.h>
#include <httplib.h>
#include <stdlib.h>

#include <atomic>
#include <filesystem>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "eventually.h"
#include "hub_messages.h"
#include "packline/hardware/events.h"
#include "packline/hub/hub_store.h"
#include "packline/hub/ingest.h"
#include "packline/hub/supervisors.h"

namespace packline::hub {
namespace {

using nlohmann::json;

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

}  // namespace
}  // namespace packline::hub

// The packer screen's HTTP side against the real station: the page and the
// view are served, actions reach the loop as scans from the "screen", the
// live stream carries each new view, and requests a browser elsewhere could
// forge (another Host, another Origin, a form post) are refused, and clients
// that hold streams, send half a header or announce a huge body cannot keep
// the screen from answering.
#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <memory>
#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

#include "eventually.h"
#include "packline/station/station_loop.h"
#include "packline/web/packer_screen.h"
#include "raw_http.h"
#include "station_scene.h"

namespace packline::station {
namespace {

using packline::testing::RawHttpConnection;
using testing::StationScene;

class ScreenServerTest : public StationScene {
  protected:
    void SetUp() override {
        StationScene::SetUp();
        start_station();
        view_ = std::make_unique<web::PackerScreen>(*station_, feed_, "en");
        view_subscription_ = station_->add_observer(*view_);
        view_->publish();
        loop_ = std::make_unique<StationLoop>(*station_);
        ScreenSettings settings;
        settings.listen = "127.0.0.1:0";
        auto started = web::ScreenServer::start(settings, *loop_, feed_);
        ASSERT_TRUE(started.ok()) << started.error().message;
        server_ = std::move(started.value());
        loop_thread_ = std::thread([this] { loop_->run(); });
        const std::string url = server_->url();
        port_ = std::stoi(url.substr(url.rfind(':') + 1));
    }

    void TearDown() override {
        server_->stop();
        loop_->stop();
        loop_thread_.join();
        StationScene::TearDown();
    }

    httplib::Client client() const {
        httplib::Client made("127.0.0.1", port_);
        made.set_read_timeout(5, 0);
        return made;
    }

    // A request's head as a browser on this machine sends it.
    std::string head(const std::string& method, const std::string& path,
                     const std::string& extra_headers = "") const {
        return method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port_) +
               "\r\n" + extra_headers + "\r\n";
    }

    httplib::Result post_json(const std::string& path, const std::string& body) {
        return client().Post(path.c_str(), body, "application/json");
    }

    nlohmann::json current_view() {
        auto response = client().Get("/api/view");
        EXPECT_TRUE(response);
        if (!response) return {};
        EXPECT_EQ(response->status, 200);
        return nlohmann::json::parse(response->body, nullptr, false);
    }

    std::string last_code() {
        const auto view = current_view();
        return view.contains("verdict") && view["verdict"].is_object()
                   ? view["verdict"].value("code", "")
                   : "";
    }

    web::LiveFeed feed_;
    std::unique_ptr<web::PackerScreen> view_;
    station::ObserverSubscription view_subscription_;
    std::unique_ptr<StationLoop> loop_;
    std::unique_ptr<web::ScreenServer> server_;
    std::thread loop_thread_;
    int port_ = 0;
};

TEST_F(ScreenServerTest, ServesThePageWithItsProtections) {
    auto page = client().Get("/");
    ASSERT_TRUE(page);
    EXPECT_EQ(page->status, 200);
    EXPECT_NE(page->get_header_value("Content-Type").find("text/html"), std::string::npos);
    EXPECT_NE(page->body.find("<html"), std::string::npos);
    const std::string policy = page->get_header_value("Content-Security-Policy");
    EXPECT_NE(policy.find("script-src 'self'"), std::string::npos) << policy;
    EXPECT_NE(policy.find("frame-ancestors 'none'"), std::string::npos) << policy;
    EXPECT_EQ(page->get_header_value("X-Content-Type-Options"), "nosniff");
    auto missing = client().Get("/no-such-file.js");
    ASSERT_TRUE(missing);
    EXPECT_EQ(missing->status, 404);

    const auto view = current_view();
    EXPECT_EQ(view.value("station", ""), "station-1");
    EXPECT_EQ(view.value("state", ""), "idle");
    EXPECT_EQ(view.value("language", ""), "en");
    EXPECT_TRUE(view["override_reasons"].is_array());
}

TEST_F(ScreenServerTest, ActionsReachTheStationAsScreenScans) {
    auto started = post_json("/api/manual", R"({"code":"A-1"})");
    ASSERT_TRUE(started);
    EXPECT_EQ(started->status, 202);
    ASSERT_TRUE(packline::testing::eventually([&] { return last_code() == "parcel.started"; }));
    ASSERT_EQ(post_json("/api/manual", R"({"code":"4006381333931"})")->status, 202);
    ASSERT_TRUE(packline::testing::eventually([&] { return last_code() == "item.accepted"; }));
    const auto view = current_view();
    EXPECT_EQ(view["lines"][0]["manual"], 1);
    EXPECT_EQ(view["parcel"]["manual_entries"], 1);

    ASSERT_EQ(post_json("/api/command", R"({"command":"ABANDON"})")->status, 202);
    ASSERT_TRUE(packline::testing::eventually([&] { return last_code() == "parcel.abandoned"; }));

    // Badges typed on the screen are refused by the station itself.
    ASSERT_EQ(post_json("/api/manual", R"({"code":"PL-SUP:SUP-0001"})")->status, 202);
    ASSERT_TRUE(packline::testing::eventually([&] { return last_code() == "scan.badge_typed"; }));
    // A reason without a scanned badge overrides nothing.
    ASSERT_EQ(post_json("/api/reason", R"({"code":"other"})")->status, 202);
    ASSERT_TRUE(
        packline::testing::eventually([&] { return last_code() == "override.no_supervisor"; }));
}

TEST_F(ScreenServerTest, RefusesWhatABrowserElsewhereCouldForge) {
    // A form post (CSRF) is not JSON.
    auto form = client().Post("/api/manual", "code=A-1", "application/x-www-form-urlencoded");
    ASSERT_TRUE(form);
    EXPECT_EQ(form->status, 415);
    // Another site's page in the packer's browser.
    httplib::Headers foreign_origin{{"Origin", "http://evil.example"}};
    auto cross =
        client().Post("/api/manual", foreign_origin, R"({"code":"A-1"})", "application/json");
    ASSERT_TRUE(cross);
    EXPECT_EQ(cross->status, 403);
    // DNS rebinding: a foreign name that resolves to 127.0.0.1.
    httplib::Headers rebound{{"Host", "evil.example"}};
    auto rebinding = client().Get("/api/view", rebound);
    ASSERT_TRUE(rebinding);
    EXPECT_EQ(rebinding->status, 421);
    // The page itself may post (same origin).
    httplib::Headers own_origin{{"Origin", "http://127.0.0.1:" + std::to_string(port_)}};
    auto own =
        client().Post("/api/command", own_origin, R"({"command":"RETRY"})", "application/json");
    ASSERT_TRUE(own);
    EXPECT_EQ(own->status, 202);

    for (const char* body :
         {"not json", "[]", R"({"code":5})", R"({"code":""})", "{\"code\":\"a\\u0000b\"}"}) {
        auto bad = post_json("/api/manual", body);
        ASSERT_TRUE(bad);
        EXPECT_EQ(bad->status, 400) << body;
    }
    auto unknown = post_json("/api/command", R"({"command":"SHIP-IT"})");
    ASSERT_TRUE(unknown);
    EXPECT_EQ(unknown->status, 400);
    auto huge = post_json("/api/manual", "{\"code\":\"" + std::string(10000, 'x') + "\"}");
    ASSERT_TRUE(huge);
    EXPECT_EQ(huge->status, 413);
    // Nothing of that reached the station.
    EXPECT_FALSE(station_->parcel());
}

TEST_F(ScreenServerTest, StreamCarriesEachNewView) {
    std::mutex mutex;
    std::string received;
    std::atomic<bool> stop{false};
    std::thread listener([&] {
        auto stream = client();
        stream.set_read_timeout(10, 0);
        stream.Get("/events", [&](const char* data, std::size_t length) {
            std::lock_guard lock(mutex);
            received.append(data, length);
            return !stop.load();
        });
    });
    auto has = [&](const std::string& text) {
        std::lock_guard lock(mutex);
        return received.find(text) != std::string::npos;
    };
    ASSERT_TRUE(packline::testing::eventually([&] { return has("event: view\n"); }));
    ASSERT_EQ(post_json("/api/manual", R"({"code":"A-1"})")->status, 202);
    EXPECT_TRUE(packline::testing::eventually([&] { return has("\"code\":\"parcel.started\""); }));
    // Scale readings go out as their own events.
    loop_->post(hardware::WeightReading{"scale", 123.5, hardware::WeightStatus::InMotion, 1});
    EXPECT_TRUE(packline::testing::eventually([&] { return has("event: scale\n"); }));
    EXPECT_TRUE(has("\"status\":\"in_motion\""));
    stop = true;
    // Stopping the server ends the stream even while the client waits.
    server_->stop();
    listener.join();
}

TEST_F(ScreenServerTest, OpenStreamsLeaveRoomForThePageAndActions) {
    // More streams than the screen takes (docs/packer-screen.md, "Limits"):
    // each is answered at once, as a stream or as a 503 to come back later.
    std::vector<std::unique_ptr<RawHttpConnection>> streams;
    int open = 0;
    int refused = 0;
    for (int i = 0; i < 12; ++i) {
        auto stream = std::make_unique<RawHttpConnection>(port_);
        ASSERT_TRUE(stream->ok());
        ASSERT_TRUE(stream->send(head("GET", "/events")));
        const int status = stream->read_status();
        ASSERT_TRUE(status == 200 || status == 503) << "stream " << i << ": " << stream->received();
        if (status == 503) {
            ++refused;
            EXPECT_FALSE(packline::testing::raw_header(stream->received(), "Retry-After").empty());
        } else {
            ++open;
        }
        streams.push_back(std::move(stream));
    }
    EXPECT_GE(open, 6);
    EXPECT_GE(refused, 1);
    // With every stream place taken, the page, the view and an action still
    // get their answers.
    auto page = client().Get("/");
    ASSERT_TRUE(page);
    EXPECT_EQ(page->status, 200);
    EXPECT_EQ(current_view().value("state", ""), "idle");
    auto action = post_json("/api/command", R"({"command":"RETRY"})");
    ASSERT_TRUE(action);
    EXPECT_EQ(action->status, 202);
}

TEST_F(ScreenServerTest, HalfSentHeadersDoNotStarveAWholeRequest) {
    // A slowloris client: many connections, each with half a head, held.
    std::vector<std::unique_ptr<RawHttpConnection>> slow;
    for (int i = 0; i < 300; ++i) {
        auto connection = std::make_unique<RawHttpConnection>(port_);
        ASSERT_TRUE(connection->ok()) << i;
        (void)connection->send("GET /api/view HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Half: ");
        slow.push_back(std::move(connection));
    }
    // The packer's browser still gets its answer.
    RawHttpConnection whole(port_);
    ASSERT_TRUE(whole.send(head("GET", "/api/view")));
    EXPECT_EQ(whole.read_status(), 200) << whole.received();
    auto page = client().Get("/");
    ASSERT_TRUE(page);
    EXPECT_EQ(page->status, 200);
}

TEST_F(ScreenServerTest, ABodyIsRefusedByItsDeclaredLengthBeforeItIsRead) {
    struct Case {
        std::string framing;
        int status;
        bool chunked;
    };
    for (const Case& refused : {Case{"Content-Length: 52428800\r\n", 413, false},
                                Case{"Transfer-Encoding: chunked\r\n", 411, true}}) {
        const auto answer = packline::testing::send_oversized_body(
            port_,
            head("POST", "/api/manual", "Content-Type: application/json\r\n" + refused.framing),
            refused.chunked);
        EXPECT_EQ(answer.status, refused.status) << refused.framing << answer.received;
        EXPECT_LT(answer.sent, packline::testing::kFiftyMegabytes)
            << refused.framing << "the body was read";
    }
    EXPECT_FALSE(station_->parcel());
}

}  // namespace
}  // namespace packline::station

// The packer screen's HTTP side against the real station: the page and the
// view are served, actions reach the loop as scans from the "screen", the
// live stream carries each new view, and requests a browser elsewhere could
// forge (another Host, another Origin, a form post) are refused.
#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <nlohmann/json.hpp>
#include <thread>

#include "eventually.h"
#include "packline/station/station_loop.h"
#include "packline/web/packer_screen.h"
#include "station_scene.h"

namespace packline::station {
namespace {

using testing::StationScene;

class ScreenServerTest : public StationScene {
  protected:
    void SetUp() override {
        StationScene::SetUp();
        start_station();
        view_ = std::make_unique<web::PackerScreen>(*station_, feed_, "en");
        station_->add_observer(view_.get());
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

}  // namespace
}  // namespace packline::station

// The web layer's limits on a server of its own with small numbers: when
// every connection is busy being answered a newcomer gets a 503 with
// Retry-After at once; a head that never ends, a connection that never
// speaks and an idle kept-alive one are closed by the server; an overlong
// head gets 431; stop() ends whatever is still open. Deadlines here only
// catch a hang: the assertions are about what the server answers.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "packline/web/http_server.h"
#include "raw_http.h"

namespace packline::web {
namespace {

using packline::testing::raw_header;
using packline::testing::RawHttpConnection;
using namespace std::chrono_literals;

class HttpServerLimitsTest : public ::testing::Test {
  protected:
    void SetUp() override {
        ServerOptions options;
        options.name = "limits test";
        options.listen = "127.0.0.1:0";
        options.max_connections = 4;
        options.max_streams = 4;
        options.header_timeout = 1s;
        options.idle_timeout = 1s;
        auto created = HttpServer::create(options);
        ASSERT_TRUE(created.ok()) << created.error().message;
        server_ = std::move(created.value());
        server_->get("/hello", [](const Request&) { return Response::json(200, "{}"); });
        // Like a live feed: it writes now and then, which is how a stream
        // learns that its client has gone.
        server_->stream("/events", {}, [](const Request&, EventStreamWriter& writer) {
            while (writer.comment("tick"))
                std::this_thread::sleep_for(20ms);
        });
        ASSERT_TRUE(server_->start().ok());
        port_ = server_->port();
    }

    void TearDown() override { server_->stop(); }

    std::string head(const std::string& path) const {
        return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port_) + "\r\n\r\n";
    }

    // True when the server closes the connection (reads until end of file).
    static bool closed_by_server(RawHttpConnection& connection) {
        connection.read_until("\x01 never sent", 20s);
        char byte = 0;
        return ::recv(connection.fd(), &byte, 1, MSG_DONTWAIT) == 0;
    }

    std::unique_ptr<HttpServer> server_;
    int port_ = 0;
};

TEST_F(HttpServerLimitsTest, AFullServerAnswers503AtOnce) {
    std::vector<std::unique_ptr<RawHttpConnection>> streams;
    for (int i = 0; i < 4; ++i) {
        auto stream = std::make_unique<RawHttpConnection>(port_);
        ASSERT_TRUE(stream->send(head("/events")));
        ASSERT_EQ(stream->read_status(), 200) << i;
        streams.push_back(std::move(stream));
    }
    // Every connection is busy answering (a stream each): nothing to drop.
    RawHttpConnection newcomer(port_);
    ASSERT_TRUE(newcomer.ok());
    (void)newcomer.send(head("/hello"));
    EXPECT_EQ(newcomer.read_status(), 503) << newcomer.received();
    EXPECT_EQ(raw_header(newcomer.received(), "Retry-After"), "2");
    // One stream gone, the next request is answered.
    streams.pop_back();
    bool answered = false;
    for (int attempt = 0; attempt < 200 && !answered; ++attempt) {
        RawHttpConnection again(port_);
        (void)again.send(head("/hello"));
        const int status = again.read_status();
        ASSERT_TRUE(status == 200 || status == 503) << again.received();
        answered = status == 200;
        if (!answered) std::this_thread::sleep_for(50ms);
    }
    EXPECT_TRUE(answered);
}

TEST_F(HttpServerLimitsTest, StreamsBeyondTheCapAre503WhileRequestsGoOn) {
    ServerOptions options;
    options.listen = "127.0.0.1:0";
    options.max_connections = 8;
    options.max_streams = 2;
    auto created = HttpServer::create(options);
    ASSERT_TRUE(created.ok());
    HttpServer& server = *created.value();
    server.get("/hello", [](const Request&) { return Response::json(200, "{}"); });
    server.stream("/events", {}, [](const Request&, EventStreamWriter& writer) {
        (void)writer.comment("open");
        while (!writer.stopping())
            std::this_thread::sleep_for(10ms);
    });
    ASSERT_TRUE(server.start().ok());
    auto request = [&](const std::string& path) {
        return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(server.port()) +
               "\r\n\r\n";
    };
    std::vector<std::unique_ptr<RawHttpConnection>> streams;
    for (int expected : {200, 200, 503, 503}) {
        auto stream = std::make_unique<RawHttpConnection>(server.port());
        ASSERT_TRUE(stream->send(request("/events")));
        EXPECT_EQ(stream->read_status(), expected) << stream->received();
        if (expected == 503) {
            EXPECT_EQ(raw_header(stream->received(), "Retry-After"), "2");
        }
        streams.push_back(std::move(stream));
    }
    RawHttpConnection page(server.port());
    ASSERT_TRUE(page.send(request("/hello")));
    EXPECT_EQ(page.read_status(), 200);
    server.stop();  // with two streams open
}

TEST_F(HttpServerLimitsTest, SlowSilentAndIdleConnectionsAreClosed) {
    RawHttpConnection half(port_);
    ASSERT_TRUE(half.send("GET /hello HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Half: "));
    RawHttpConnection silent(port_);
    RawHttpConnection idle(port_);
    ASSERT_TRUE(idle.send(head("/hello")));
    ASSERT_EQ(idle.read_status(), 200);
    EXPECT_TRUE(closed_by_server(half));
    EXPECT_EQ(half.received(), "");  // no answer to half a request
    EXPECT_TRUE(closed_by_server(silent));
    EXPECT_TRUE(closed_by_server(idle));
}

TEST_F(HttpServerLimitsTest, AnOverlongHeadIs431) {
    RawHttpConnection connection(port_);
    (void)connection.send("GET /hello HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Long: " +
                          std::string(32 * 1024, 'x'));
    EXPECT_EQ(connection.read_status(), 431) << connection.received().substr(0, 200);
}

}  // namespace
}  // namespace packline::web

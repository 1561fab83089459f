// packline-stationd packing a scripted shift with [sync] on, inside a network
// namespace the test makes (tests/support/network_namespace.h), talking to a
// real mosquitto across a veth pair (link-local 169.254.N.0/30; the broker
// listens on the test's end) while the link misbehaves. The hub
// (tests/support/mqtt_fake_hub.h) reaches the broker over the test's own
// loopback, untouched by the faults.
//
//   - Packet loss: nftables in the station's namespace drops 30 % of the
//     packets at random each way (numgen random, on the netdev ingress and
//     egress hooks of the station's end of the link: the packets vanish on
//     the wire, so TCP retransmits for real), for the whole shift and drain,
//     with a 2 s keep-alive so that some connections are lost and made again
//     under loss.
//   - Latency: this kernel has no netem (CONFIG_NET_SCH_NETEM is not set),
//     and TBF delays only what exceeds its rate, never by a set time. So a
//     user-space relay on the test's end of the link
//     (tests/support/delay_relay.h) holds every chunk 2 s before it writes
//     it on, each way: every MQTT round trip (CONNECT/CONNACK, PUBLISH/PUBACK,
//     PINGREQ/PINGRESP, outbox row -> hub ack) takes at least 4 s. TCP's own
//     handshake and ACKs are not delayed, only what the programs say. The
//     keep-alive and the timeouts are set above that round trip, as a site
//     on such a link must set them; the delay is on for the whole shift and
//     drain.
//   - A flapping link: the station's end of the veth goes down (0.5 to 5 s)
//     and up (0.5 to 2 s) with `ip link set`, a dozen times during the
//     shift; with a 2 s keep-alive the longer outages may cost the
//     connection, the shorter ones TCP rides out.
//   - A half-open connection: nftables drops every packet both ways (no RST,
//     no FIN, no ICMP: both ends believe the connection is open) until the
//     station has noticed through MQTT keep-alive (3 s) and the broker has
//     timed the client out too, then lets traffic through again.
//
// What is judged, for each fault: the shift completes (exit 0: every planted
// mistake caught, every good order confirmed) and drains ("every message
// acknowledged"); every outbox row is retired at the station and arrived at
// the hub, and the hub heard of nothing else (duplicates are allowed, since
// the hub stores by event id, and counted); while the fault is on the station
// goes on confirming parcels, and its packer screen, fetched from inside the
// namespace as the bench's browser would, serves its page and streams views
// that change. Nothing is timed: deadlines are generous and only catch hangs;
// the figures (how long each fault ran, messages, duplicates, packets
// dropped, reconnections) are printed and recorded as test properties.
//
// Needs root (namespaces, veth, nftables); skips otherwise. Runs alone
// (RUN_SERIAL): the shifts use the scripted packer's real time.
#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <random>
#include <regex>
#include <set>
#include <thread>

#include "delay_relay.h"
#include "eventually.h"
#include "mosquitto_broker.h"
#include "mqtt_fake_hub.h"
#include "network_namespace.h"
#include "process.h"
#include "station_outbox.h"

namespace packline::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// How many times `text` occurs in `haystack`.
std::size_t occurrences(const std::string& haystack, const std::string& text) {
    std::size_t count = 0;
    for (auto at = haystack.find(text); at != std::string::npos; at = haystack.find(text, at + 1))
        ++count;
    return count;
}

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// What the packer screen answered, asked from inside the station's namespace.
struct ScreenCheck {
    bool page = false;      // GET / gave the page
    std::size_t views = 0;  // distinct views streamed by /events
    std::string problem;    // what went wrong, for the failure message
};

// Asks for the page, then reads /events until it has carried two different
// views (the station is packing, so the view changes) or `deadline` passed.
// A stream that breaks is opened again: the page does the same.
ScreenCheck check_screen(const NetworkNamespace& network, int port, Clock::time_point deadline) {
    ScreenCheck check;
    const bool entered = network.run_inside([&] {
        httplib::Client client("127.0.0.1", port);
        client.set_connection_timeout(5, 0);
        client.set_read_timeout(10, 0);
        while (!check.page && Clock::now() < deadline) {
            auto page = client.Get("/");
            if (page && page->status == 200 && page->body.find("<html") != std::string::npos)
                check.page = true;
            else
                check.problem = page ? "GET / answered " + std::to_string(page->status)
                                     : "GET /: " + httplib::to_string(page.error());
        }
        std::set<std::string> views;
        std::string received;
        while (views.size() < 2 && Clock::now() < deadline) {
            auto stream = client.Get("/events", [&](const char* data, std::size_t length) {
                received.append(data, length);
                // Events end with a blank line; a view is "event: view\ndata: {...}".
                for (auto end = received.find("\n\n"); end != std::string::npos;
                     end = received.find("\n\n")) {
                    const std::string event = received.substr(0, end);
                    received.erase(0, end + 2);
                    if (event.starts_with("event: view\n")) views.insert(event);
                }
                return views.size() < 2 && Clock::now() < deadline;
            });
            if (!stream && stream.error() != httplib::Error::Canceled)
                check.problem = "GET /events: " + httplib::to_string(stream.error());
        }
        check.views = views.size();
    });
    if (!entered) check.problem = "cannot enter the namespace " + network.name();
    return check;
}

class NetworkChaosTest : public ::testing::Test {
  protected:
    struct SyncTimes {
        int keep_alive_s = 3;
        int connect_timeout_s = 5;
        int ack_timeout_ms = 3000;
    };

    void SetUp() override {
        if (auto missing = MosquittoBroker::missing_tool()) GTEST_SKIP() << *missing;
        if (auto missing = NetworkNamespace::unavailable()) GTEST_SKIP() << *missing;
        network_ = std::make_unique<NetworkNamespace>();
        if (!network_->ready())
            GTEST_SKIP() << "cannot make a test network here: " << network_->error();
        MosquittoBroker::Options options;
        options.listen_addresses = {network_->host_address()};
        broker_ = std::make_unique<MosquittoBroker>(options);
        ASSERT_TRUE(broker_->running()) << broker_->error();
        hub_ = std::make_unique<FakeHub>(broker_->uri());
        ASSERT_EQ(hub_->connect(), "");
        dir_ = fs::temp_directory_path() /
               ("packline-network-chaos-" + std::to_string(::getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        fs::create_directories(dir_);
        database_ = dir_ / "station.db";
        log_ = dir_ / "station.log";
    }

    void TearDown() override {
        station_.reset();  // before the network it lives in
        hub_.reset();
        std::error_code ignored;
        // A failed run keeps its station log, database and the broker's log.
        if (HasFailure() && broker_ && !dir_.empty())
            fs::copy_file(broker_->root() / "mosquitto.log", dir_ / "mosquitto.log",
                          fs::copy_options::overwrite_existing, ignored);
        broker_.reset();
        network_.reset();
        if (!HasFailure() && !dir_.empty()) fs::remove_all(dir_, ignored);
    }

    // The station's configuration: [sync] to `broker_uri`, the packer screen
    // on any free port of the namespace's loopback.
    fs::path write_config(const std::string& broker_uri, SyncTimes times) {
        const fs::path path = dir_ / "station.toml";
        std::ofstream(path) << "[station]\nid = \"bench-7\"\nsite = \"ams1\"\ndatabase = \""
                            << database_.string() << "\"\n"
                            << "[screen]\nlisten = \"127.0.0.1:0\"\n"
                            << "[sync]\nbrokers = [\"" << broker_uri << "\"]\n"
                            << "reconnect_min_ms = 100\nreconnect_max_ms = 1000\n"
                            << "connect_timeout_s = " << times.connect_timeout_s << "\n"
                            << "keep_alive_s = " << times.keep_alive_s << "\n"
                            << "ack_timeout_ms = " << times.ack_timeout_ms << "\n"
                            << "status_interval_s = 1\n";
        return path;
    }

    // Starts the scripted shift inside the namespace. --pace slows the
    // scripted packer so that the shift outlasts the faults laid on it; the
    // step and weigh timeouts leave a busy machine room (the shift judges
    // the packing, shift_test judges its pace).
    void start_station(const fs::path& config, int orders, int pace_ms) {
        started_ = Clock::now();
        station_ = std::make_unique<Child>(
            network_->command({binary("packline-stationd"), "--config", config.string(), "--shift",
                               std::to_string(orders), "--seed", "14", "--pace",
                               std::to_string(pace_ms), "--drain-timeout", "300", "--step-timeout",
                               "600000", "--weigh-timeout", "5000", "--log-confirmations"}),
            log_);
    }

    std::string log() const { return read_file(log_); }
    std::size_t confirmations() const { return occurrences(log(), "CONFIRMED "); }
    std::size_t connections() const { return occurrences(log(), "sync: connected to the broker"); }
    std::size_t losses() const { return occurrences(log(), "sync: connection lost"); }

    // The packer screen's port, from the line the daemon prints at start.
    int screen_port() {
        static const std::regex line(R"(packer screen http://127\.0\.0\.1:(\d+)/)");
        std::smatch match;
        eventually(
            [&] {
                const std::string text = log();
                return std::regex_search(text, match, line);
            },
            60s);
        const std::string text = log();
        return std::regex_search(text, match, line) ? std::stoi(match[1].str()) : 0;
    }

    // Waits for the shift and the drain (a hang is killed after `limit`).
    int wait_station(std::chrono::seconds limit = 400s) {
        int code = -1;
        if (!eventually([&] { return station_->finished(code); }, limit)) {
            station_->kill_hard();
            station_->wait();
            ADD_FAILURE() << "the station did not finish within " << limit.count() << " s";
            return -1;
        }
        shift_seconds_ = seconds_since(started_);
        return code;
    }

    // Checks the screen while the fault is on, and that the station goes on
    // confirming parcels meanwhile; `fault_done` says when the fault has
    // done what it is for. Returns how long it took.
    double while_the_fault_is_on(int port, const std::function<bool()>& fault_done) {
        const auto start = Clock::now();
        const auto deadline = start + 240s;
        const std::size_t confirmed_before = confirmations();
        ScreenCheck screen;
        std::thread probe([&] { screen = check_screen(*network_, port, deadline); });
        const bool done = eventually(
            fault_done,
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()));
        probe.join();
        EXPECT_TRUE(done) << "the fault never did what it is for\n" << log();
        EXPECT_TRUE(screen.page) << screen.problem;
        EXPECT_GE(screen.views, 2u)
            << "the screen's stream did not follow the station: " << screen.problem;
        EXPECT_TRUE(eventually(
            [&] { return confirmations() > confirmed_before; },
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now())))
            << "no parcel confirmed while the fault was on\n"
            << log();
        return seconds_since(start);
    }

    // The verdict on a finished shift, and its figures.
    void judge(const std::string& fault, int code, double fault_seconds) {
        EXPECT_EQ(code, 0) << log();
        EXPECT_NE(log().find("every message acknowledged"), std::string::npos) << log();
        expect_everything_arrived(database_, *hub_);
        const std::size_t messages = read_outbox(database_).size();
        const std::size_t arrivals = hub_->arrivals().size();
        const std::size_t duplicates = arrivals - std::min(arrivals, hub_->distinct_count());
        std::cout << "network chaos, " << fault << ": fault on " << fault_seconds << " s, shift "
                  << shift_seconds_ << " s, " << confirmations() << " parcels confirmed, "
                  << messages << " outbox messages, " << arrivals << " arrivals at the hub ("
                  << duplicates << " duplicates), " << connections() << " connections, " << losses()
                  << " losses noticed, " << network_->dropped_packets() << " packets dropped"
                  << std::endl;
        RecordProperty("fault_seconds", std::to_string(fault_seconds));
        RecordProperty("shift_seconds", std::to_string(shift_seconds_));
        RecordProperty("messages", static_cast<int>(messages));
        RecordProperty("duplicates", static_cast<int>(duplicates));
        RecordProperty("connections", static_cast<int>(connections()));
        RecordProperty("packets_dropped", static_cast<int>(network_->dropped_packets()));
    }

    std::unique_ptr<NetworkNamespace> network_;
    std::unique_ptr<MosquittoBroker> broker_;
    std::unique_ptr<FakeHub> hub_;
    std::unique_ptr<Child> station_;
    fs::path dir_;
    fs::path database_;
    fs::path log_;
    Clock::time_point started_;
    double shift_seconds_ = 0.0;
};

TEST_F(NetworkChaosTest, ThirtyPercentPacketLossBothWays) {
    // A 2 s keep-alive, so that the loss costs a connection now and then and
    // connections are made under loss too (a lost SUBSCRIBE once left the
    // station deaf to the hub's acks); lost SYNs and CONNECTs are retried
    // after 1, 3, 7 s, so a connect needs room.
    const fs::path config = write_config(broker_->uri_at(network_->host_address()),
                                         {.keep_alive_s = 2, .connect_timeout_s = 10});
    // On from before the first connection to the end of the drain.
    ASSERT_TRUE(network_->drop_randomly(30)) << network_->error();
    start_station(config, 24, 150);
    const int port = screen_port();
    ASSERT_GT(port, 0) << log();
    while_the_fault_is_on(port, [&] { return hub_->distinct_count() >= 3; });
    const int code = wait_station();
    EXPECT_GT(network_->dropped_packets(), 0u);
    judge("30 % packet loss", code, seconds_since(started_));
}

TEST_F(NetworkChaosTest, TwoSecondsOfLatencyEachWay) {
    DelayRelay relay(network_->host_address(), broker_->port(), 2s);
    ASSERT_TRUE(relay.listening()) << relay.error();
    // A round trip takes 4 s: keep-alive, connect and acknowledgement
    // timeouts above it, or the station would give up on a healthy link.
    const fs::path config = write_config(
        relay.uri(), {.keep_alive_s = 10, .connect_timeout_s = 15, .ack_timeout_ms = 15000});
    start_station(config, 24, 100);
    const int port = screen_port();
    ASSERT_GT(port, 0) << log();
    while_the_fault_is_on(port, [&] { return hub_->distinct_count() >= 3; });
    const int code = wait_station();
    EXPECT_GT(relay.connections(), 0);
    EXPECT_GT(relay.bytes_relayed(), 0u);
    judge("2 s latency each way", code, seconds_since(started_));
}

TEST_F(NetworkChaosTest, AFlappingLink) {
    // A 2 s keep-alive: an outage of 4 s or more outlasts it (the connection
    // is lost and made again while the link goes on flapping), shorter ones
    // usually do not (TCP catches up by itself). Which happens is timing:
    // only the outcome is judged.
    const fs::path config =
        write_config(broker_->uri_at(network_->host_address()), {.keep_alive_s = 2});
    start_station(config, 32, 150);
    const int port = screen_port();
    ASSERT_GT(port, 0) << log();
    ASSERT_TRUE(eventually([&] { return hub_->distinct_count() >= 3; }, 60s)) << log();
    std::mt19937 random(14);
    std::uniform_int_distribution<int> down_ms(500, 5000);
    std::uniform_int_distribution<int> up_ms(500, 2000);
    int flaps = 0;
    std::atomic<bool> flapping{true};
    // The link flaps on a thread of its own while the screen is checked.
    std::thread flapper([&] {
        for (; flaps < 12; ++flaps) {
            if (!network_->set_link(false)) ADD_FAILURE() << network_->error();
            std::this_thread::sleep_for(std::chrono::milliseconds(down_ms(random)));
            if (!network_->set_link(true)) ADD_FAILURE() << network_->error();
            std::this_thread::sleep_for(std::chrono::milliseconds(up_ms(random)));
        }
        flapping = false;
    });
    const double fault_seconds = while_the_fault_is_on(port, [&] { return !flapping.load(); });
    flapper.join();
    const int code = wait_station();
    RecordProperty("flaps", flaps);
    judge("a flapping link (" + std::to_string(flaps) + " times down and up)", code, fault_seconds);
}

TEST_F(NetworkChaosTest, AHalfOpenConnectionIsNoticedByKeepAlive) {
    const fs::path config =
        write_config(broker_->uri_at(network_->host_address()), {.keep_alive_s = 3});
    start_station(config, 24, 100);
    const int port = screen_port();
    ASSERT_GT(port, 0) << log();
    ASSERT_TRUE(eventually([&] { return hub_->distinct_count() >= 3 && connections() >= 1; }, 60s))
        << log();
    const std::size_t connections_before = connections();
    const std::size_t losses_before = losses();
    const std::size_t broker_timeouts_before =
        occurrences(broker_->log_tail(1 << 20), "has exceeded timeout");
    ASSERT_TRUE(network_->blackout()) << network_->error();
    // Both ends must find out by themselves: nothing reaches either.
    const double fault_seconds = while_the_fault_is_on(port, [&] {
        return losses() > losses_before &&
               occurrences(broker_->log_tail(1 << 20), "has exceeded timeout") >
                   broker_timeouts_before;
    });
    EXPECT_GT(losses(), losses_before) << "the station never noticed the dead connection\n"
                                       << log();
    ASSERT_TRUE(network_->clear()) << network_->error();
    EXPECT_TRUE(eventually([&] { return connections() > connections_before; }, 120s))
        << "the station did not connect again\n"
        << log();
    const int code = wait_station();
    judge("a half-open connection", code, fault_seconds);
}

}  // namespace
}  // namespace packline::testing

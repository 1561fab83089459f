// packline-hub as an operator runs it, against a private mosquitto: load
// tracking numbers, import the catalogue (published retained), run the hub
// while a station (mosquitto_pub) confirms a parcel and reports a low pool,
// send a command, stop with SIGTERM, then export the confirmations and list
// the stations. Supervisor accounts: added with the password on standard
// input, listed, changed, disabled, removed.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "mosquitto_broker.h"
#include "packline/station/messages.h"
#include "process.h"

namespace packline {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kMosquittoPub = "/usr/bin/mosquitto_pub";
constexpr const char* kMosquittoSub = "/usr/bin/mosquitto_sub";

bool wait_for_text(const fs::path& file, const std::string& text,
                   std::chrono::milliseconds timeout = 20s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (testing::read_file(file).find(text) != std::string::npos) return true;
        std::this_thread::sleep_for(20ms);
    }
    return testing::read_file(file).find(text) != std::string::npos;
}

json fixture(const std::string& name) {
    return json::parse(
        testing::read_file(std::string(PACKLINE_SOURCE_DIR) + "/tests/fixtures/mqtt/" + name));
}

// UPU S10: two letters, eight digits, a check digit (weights 8 6 4 2 3 5 9 7), two letters.
std::string s10(int serial) {
    std::string digits = std::to_string(10000000 + serial);
    static constexpr int kWeights[] = {8, 6, 4, 2, 3, 5, 9, 7};
    int sum = 0;
    for (int index = 0; index < 8; ++index)
        sum += (digits[static_cast<std::size_t>(index)] - '0') * kWeights[index];
    int check = 11 - sum % 11;
    if (check == 10) check = 0;
    if (check == 11) check = 5;
    return "RR" + digits + std::to_string(check) + "NL";
}

class HubCliTest : public ::testing::Test {
  protected:
    void SetUp() override {
        if (auto missing = testing::MosquittoBroker::missing_tool()) GTEST_SKIP() << *missing;
        if (::access(kMosquittoPub, X_OK) != 0 || ::access(kMosquittoSub, X_OK) != 0)
            GTEST_SKIP() << "mosquitto_pub/mosquitto_sub not installed (Debian: mosquitto-clients)";
        ASSERT_TRUE(broker_.running()) << broker_.error();
        dir_ = fs::temp_directory_path() / ("packline-e2e-hub-" + std::to_string(::getpid()));
        fs::remove_all(dir_);
        fs::create_directories(dir_);
        config_ = (dir_ / "hub.toml").string();
        std::ofstream(config_) << "[hub]\nsites = [\"ams1\"]\ndatabase = \"hub.db\"\n"
                                  "instance = \"e2e\"\nsummary_interval_s = 1\n"
                                  "[mqtt]\nbrokers = [\""
                               << broker_.uri()
                               << "\"]\nreconnect_min_ms = 100\nreconnect_max_ms = 400\n"
                                  "[pool]\nlow_water = 10\nbatch = 5\n";
    }
    void TearDown() override {
        if (!dir_.empty()) fs::remove_all(dir_);
    }

    int hub(std::vector<std::string> arguments, const std::string& output) {
        arguments.insert(arguments.begin(), testing::binary("packline-hub"));
        return testing::run(arguments, dir_ / output);
    }
    int publish(const std::string& topic, const std::string& payload, bool retained = false) {
        std::vector<std::string> arguments = {
            kMosquittoPub, "-h",  "127.0.0.1", "-p",   std::to_string(broker_.port()), "-q", "1",
            "-t",          topic, "-m",        payload};
        if (retained) arguments.push_back("-r");
        return testing::run(arguments, dir_ / "pub.txt");
    }
    std::vector<std::string> subscribe(const std::string& topic, int count) {
        return {kMosquittoSub, "-h", "127.0.0.1", "-p", std::to_string(broker_.port()), "-q",
                "1",           "-t", topic,       "-C", std::to_string(count),          "-W",
                "20"};
    }
    std::string output(const std::string& name) { return testing::read_file(dir_ / name); }

    testing::MosquittoBroker broker_;
    fs::path dir_;
    std::string config_;
};

TEST_F(HubCliTest, AShiftThroughTheHub) {
    // Tracking numbers: five valid UPU numbers and one with a wrong check digit.
    {
        std::ofstream numbers(dir_ / "numbers.txt");
        numbers << "# loaded by hand\n";
        for (int serial = 1; serial <= 5; ++serial)
            numbers << s10(serial) << "\n";
        numbers << "RR100000019NL\n";  // check digit 9 is wrong
    }
    EXPECT_EQ(hub({"pool", "load", "--carrier", "upu", "--config", config_,
                   (dir_ / "numbers.txt").string()},
                  "pool.txt"),
              1)
        << output("pool.txt");
    EXPECT_THAT(output("pool.txt"), HasSubstr("numbers.txt:7: 'RR100000019NL'"));
    EXPECT_THAT(output("pool.txt"), HasSubstr("loaded 5 upu tracking numbers; 1 invalid"));

    // The catalogue, published retained: a subscriber that comes later gets it.
    const std::string orders =
        std::string(PACKLINE_SOURCE_DIR) + "/tests/fixtures/import/one-order.json";
    ASSERT_EQ(hub({"import", "--config", config_, orders}, "import.txt"), 0)
        << output("import.txt");
    EXPECT_THAT(output("import.txt"), HasSubstr("published 1 orders, 1 SKUs, 1 packaging codes"));
    ASSERT_EQ(testing::run(subscribe("packline/v1/ams1/orders/7001", 1), dir_ / "order.txt"), 0)
        << output("order.txt");
    const json order = json::parse(output("order.txt"));
    EXPECT_EQ(order["schema"], "packline.order/1");
    EXPECT_EQ(order["order_id"], "7001");
    EXPECT_EQ(order["site"], "ams1");
    EXPECT_EQ(order["tracking_number"], "1Z5R89390357567127");

    // The hub runs; a station confirms a parcel and reports a low upu pool.
    testing::Child running({testing::binary("packline-hub"), "run", "--config", config_},
                           dir_ / "run.txt");
    ASSERT_TRUE(wait_for_text(dir_ / "run.txt", "hub: connected")) << output("run.txt");
    testing::Child acks(subscribe("packline/v1/ams1/stations/bench-3/acks", 1), dir_ / "acks.txt");
    testing::Child pool(subscribe("packline/v1/ams1/stations/bench-3/tracking-pool", 1),
                        dir_ / "pool-topup.txt");
    testing::Child commands(subscribe("packline/v1/ams1/stations/bench-3/commands", 1),
                            dir_ / "commands.txt");
    std::this_thread::sleep_for(500ms);  // the subscribers are in place

    json shipment = fixture("shipment.json");
    shipment["event_id"] = station::new_event_id();
    shipment["site"] = "ams1";
    shipment["station"] = "bench-3";
    shipment["order_id"] = "7001";
    shipment["tracking_number"] = "1Z5R89390357567127";
    ASSERT_EQ(publish("packline/v1/ams1/stations/bench-3/shipments", shipment.dump()), 0);
    json status = fixture("station-status.json");
    status["tracking_pool"] = json::array({{{"carrier", "upu"}, {"available", 2}}});
    ASSERT_EQ(publish("packline/v1/ams1/stations/bench-3/status", status.dump(), true), 0);

    EXPECT_EQ(acks.wait(), 0) << output("acks.txt");
    const json ack = json::parse(output("acks.txt"));
    EXPECT_EQ(ack["acks"][0]["event_id"], shipment["event_id"]);
    EXPECT_EQ(ack["acks"][0]["result"], "stored");
    EXPECT_EQ(pool.wait(), 0) << output("pool-topup.txt");
    const json top_up = json::parse(output("pool-topup.txt"));
    EXPECT_EQ(top_up["carrier"], "upu");
    EXPECT_EQ(top_up["numbers"], json::array({s10(1), s10(2), s10(3), s10(4), s10(5)}));

    ASSERT_EQ(hub({"command", "--config", config_, "--station", "bench-3", "--by", "SUP-1",
                   "message", "Use the big boxes today"},
                  "command.txt"),
              0)
        << output("command.txt");
    EXPECT_EQ(commands.wait(), 0) << output("commands.txt");
    const json command = json::parse(output("commands.txt"));
    EXPECT_EQ(command["command"], "message");
    EXPECT_EQ(command["text"], "Use the big boxes today");
    EXPECT_EQ(command["issued_by"], "SUP-1");

    ASSERT_TRUE(wait_for_text(dir_ / "run.txt", "stored 1,")) << output("run.txt");
    running.send(SIGTERM);
    EXPECT_EQ(running.wait(), 0) << output("run.txt");
    EXPECT_THAT(output("run.txt"), HasSubstr("hub: stopping (SIGTERM)"));
    EXPECT_THAT(output("run.txt"), HasSubstr("hub: stopped: stored 1, duplicates 0"));

    // The export, field by field.
    ASSERT_EQ(hub({"export", "--config", config_, "--since", "2020-01-01", "--format", "csv"},
                  "export.csv"),
              0)
        << output("export.csv");
    const std::string csv = output("export.csv");
    EXPECT_THAT(csv, HasSubstr("event_id,site,station,order_id,parcel_id,parcel_sequence,partial,"
                               "carrier,tracking_number,weight_g,expected_weight_g,packaging,"
                               "packer,item_count,serials,overridden_checks,confirmed_at,"
                               "confirmed_at_ms,received_at,received_at_ms\r\n"));
    EXPECT_THAT(csv,
                HasSubstr(shipment["event_id"].get<std::string>() +
                          ",ams1,bench-3,7001,42,2,true,ups,1Z5R89390357567127,612.5,620,"
                          "BOX-S,ana,2,SN-1,customer,2026-11-18T11:06:40.000Z,1795000000000,"));
    ASSERT_EQ(hub({"export", "--db", (dir_ / "hub.db").string(), "--since", "0", "--format", "json",
                   "-o", (dir_ / "export.json").string()},
                  "export-json.txt"),
              0)
        << output("export-json.txt");
    const json exported = json::parse(output("export.json"));
    ASSERT_EQ(exported["count"], 1);
    EXPECT_EQ(exported["shipments"][0]["shipment"], shipment);
    // Nothing was received after now.
    ASSERT_EQ(hub({"export", "--config", config_, "--since", "4102444800000", "--until",
                   "4102444800001", "--format", "csv"},
                  "empty.csv"),
              0);
    const std::string empty = output("empty.csv");
    EXPECT_EQ(std::count(empty.begin(), empty.end(), '\n'), 1) << empty;  // the header

    ASSERT_EQ(hub({"stations", "--config", config_}, "stations.txt"), 0) << output("stations.txt");
    EXPECT_THAT(output("stations.txt"), HasSubstr("ams1  bench-3  online  weighing"));

    // Mistakes say what is wrong and exit 2.
    EXPECT_EQ(
        hub({"export", "--config", config_, "--since", "yesterday", "--format", "csv"}, "bad.txt"),
        2);
    EXPECT_THAT(output("bad.txt"), HasSubstr("--since 'yesterday' is not a time"));
    EXPECT_EQ(hub({"command", "--config", config_, "--station", "bench-3", "pause"}, "bad.txt"), 2);
    EXPECT_THAT(output("bad.txt"), HasSubstr("--station and --by are required"));
    EXPECT_EQ(hub({"frobnicate"}, "bad.txt"), 2);
}

// Supervisor accounts need no broker: the commands work on the database,
// and the password comes on standard input (one line) when it is not a
// terminal.
class HubUserCliTest : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("packline-e2e-hub-users-" + std::to_string(::getpid()));
        fs::remove_all(dir_);
        fs::create_directories(dir_);
        config_ = (dir_ / "hub.toml").string();
        std::ofstream(config_) << "[hub]\nsites = [\"ams1\"]\ndatabase = \"hub.db\"\n"
                                  "[dashboard]\nsession_hours = 8\n";
    }
    void TearDown() override { fs::remove_all(dir_); }

    // packline-hub with `arguments`, standard input from `input_file`.
    int hub(const std::string& arguments, const std::string& input_file,
            const std::string& output) {
        return testing::run({"/bin/sh", "-c",
                             "exec '" + testing::binary("packline-hub") + "' " + arguments +
                                 " < '" + (dir_ / input_file).string() + "'"},
                            dir_ / output);
    }
    void write(const std::string& name, const std::string& text) {
        std::ofstream(dir_ / name, std::ios::binary) << text;
    }
    std::string output(const std::string& name) { return testing::read_file(dir_ / name); }

    fs::path dir_;
    std::string config_;
};

TEST_F(HubUserCliTest, SupervisorAccountsFromTheCommandLine) {
    write("password.txt", "correct horse battery\n");
    write("short.txt", "too short\n");
    write("empty.txt", "");
    write("new-password.txt", "another fine password\r\n");
    const std::string with_config = " --config '" + config_ + "'";

    ASSERT_EQ(
        hub("user add Ana --display-name 'Ana de Vries'" + with_config, "password.txt", "add.txt"),
        0)
        << output("add.txt");
    EXPECT_THAT(output("add.txt"), HasSubstr("added supervisor ana"));
    // --db instead of --config, like the other commands that only use the database.
    const std::string with_db = " --db '" + (dir_ / "hub.db").string() + "'";
    ASSERT_EQ(hub("user add bo" + with_db, "password.txt", "add-bo.txt"), 0)
        << output("add-bo.txt");

    ASSERT_EQ(hub("user list" + with_config, "empty.txt", "list.txt"), 0) << output("list.txt");
    EXPECT_THAT(output("list.txt"), HasSubstr("USER  NAME          STATUS  LAST SIGN-IN  CHANGED"));
    EXPECT_THAT(output("list.txt"), HasSubstr("ana   Ana de Vries  active  never"));
    EXPECT_THAT(output("list.txt"), HasSubstr("bo    bo            active  never"));

    // Neither the password nor anything but its Argon2id hash is on disk.
    for (const char* file : {"hub.db", "hub.db-wal"})
        EXPECT_THAT(testing::read_file(dir_ / file), Not(HasSubstr("correct horse battery")));

    EXPECT_EQ(hub("user add ana" + with_config, "password.txt", "again.txt"), 1);
    EXPECT_THAT(output("again.txt"), HasSubstr("supervisor 'ana' exists already"));
    EXPECT_EQ(hub("user add cy" + with_config, "short.txt", "short-out.txt"), 1);
    EXPECT_THAT(output("short-out.txt"), HasSubstr("shorter than 10 characters"));
    EXPECT_EQ(hub("user add cy" + with_config, "empty.txt", "empty-out.txt"), 1);
    EXPECT_THAT(output("empty-out.txt"), HasSubstr("no password on standard input"));
    EXPECT_EQ(hub("user add -cy" + with_config, "password.txt", "bad-name.txt"), 2);
    EXPECT_EQ(hub("user add 'c y'" + with_config, "password.txt", "bad-name.txt"), 1);
    EXPECT_THAT(output("bad-name.txt"), HasSubstr("a user name is 1 to 64 characters"));

    ASSERT_EQ(hub("user passwd ana" + with_config, "new-password.txt", "passwd.txt"), 0)
        << output("passwd.txt");
    EXPECT_THAT(output("passwd.txt"), HasSubstr("changed the password of supervisor ana"));
    ASSERT_EQ(hub("user disable ana" + with_config, "empty.txt", "disable.txt"), 0)
        << output("disable.txt");
    ASSERT_EQ(hub("user list" + with_config, "empty.txt", "list.txt"), 0);
    EXPECT_THAT(output("list.txt"), HasSubstr("ana   Ana de Vries  disabled"));
    ASSERT_EQ(hub("user enable ana" + with_config, "empty.txt", "enable.txt"), 0);
    ASSERT_EQ(hub("user remove bo" + with_config, "empty.txt", "remove.txt"), 0);
    ASSERT_EQ(hub("user list" + with_config, "empty.txt", "list.txt"), 0);
    EXPECT_THAT(output("list.txt"), HasSubstr("ana   Ana de Vries  active"));
    EXPECT_THAT(output("list.txt"), Not(HasSubstr("bo ")));

    EXPECT_EQ(hub("user remove bo" + with_config, "empty.txt", "gone.txt"), 1);
    EXPECT_THAT(output("gone.txt"), HasSubstr("no supervisor 'bo'"));
    EXPECT_EQ(hub("user frobnicate" + with_config, "empty.txt", "usage.txt"), 2);
    EXPECT_EQ(hub("user passwd" + with_config, "empty.txt", "usage.txt"), 2);
    EXPECT_EQ(hub("user list --display-name X" + with_config, "empty.txt", "usage.txt"), 2);
    EXPECT_EQ(hub("user list", "empty.txt", "usage.txt"), 2);
    EXPECT_THAT(output("usage.txt"), HasSubstr("give --config or --db"));
}

}  // namespace
}  // namespace packline

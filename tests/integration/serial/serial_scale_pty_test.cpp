// SerialScaleDevice against scripted scales on pty pairs (test-harnesses.md
// §3): each protocol's readings, zero and its error replies, garbage, a scale
// that stops answering, and a tty that disappears and comes back.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>

#include "packline/drivers/serial_scale_device.h"
#include "serial_test_support.h"

namespace packline::drivers {
namespace {

using namespace std::string_literals;
using hardware::DeviceHealth;
using hardware::DeviceStatusEvent;
using hardware::WeightReading;
using hardware::WeightStatus;
using serial_test::CollectingSink;
using serial_test::PtyPair;
using serial_test::ScriptedSerialDevice;

namespace fs = std::filesystem;

SerialScaleOptions quick_options(const std::string& path, const std::string& protocol) {
    SerialScaleOptions options;
    options.id = "scale-1";
    options.path = path;
    options.protocol = protocol;
    options.poll_interval_ms = 20;
    options.response_timeout_ms = 200;
    options.timeouts_before_faulty = 2;
    options.silence_before_faulty_ms = 500;
    options.zero_timeout_ms = 1000;
    options.reconnect_min_ms = 50;
    options.reconnect_max_ms = 200;
    return options;
}

std::unique_ptr<SerialScaleDevice> make_scale(const SerialScaleOptions& options) {
    auto device = SerialScaleDevice::create(options);
    EXPECT_TRUE(device.ok()) << device.error().to_string();
    return device.ok() ? std::move(device.value()) : nullptr;
}

std::function<bool(const WeightReading&)> reading_of(double grams, WeightStatus status) {
    return [=](const WeightReading& r) { return r.grams == grams && r.status == status; };
}

std::function<bool(const DeviceStatusEvent&)> health_is(DeviceHealth health,
                                                        std::string detail_part = "") {
    return [=](const DeviceStatusEvent& e) {
        return e.health == health && e.detail.find(detail_part) != std::string::npos;
    };
}

class SerialScalePty : public testing::Test {
  protected:
    void SetUp() override { ASSERT_TRUE(pty.ok()) << "openpty failed"; }
    PtyPair pty;
    CollectingSink sink;
};

TEST_F(SerialScalePty, MtSicsStableDynamicOverloadUnderload) {
    std::atomic<int> step{0};
    ScriptedSerialDevice scale(pty.master, [&](const std::string& command) -> std::string {
        if (command != "SI") return "ES\r\n";
        switch (step++ % 4) {
            case 0:
                return "S D      12.34 g\r\n";
            case 1:
                return "S S     100.00 g\r\n";
            case 2:
                return "S +\r\n";
            default:
                return "S -\r\n";
        }
    });
    auto device = make_scale(quick_options(pty.name, "mt-sics"));
    ASSERT_TRUE(device);
    const std::int64_t before = hardware::now_ms();
    ASSERT_TRUE(device->open(sink).ok());
    EXPECT_TRUE(sink.wait_for<DeviceStatusEvent>(health_is(DeviceHealth::Present, pty.name)));
    const auto moving = sink.wait_for<WeightReading>(reading_of(12.34, WeightStatus::InMotion));
    ASSERT_TRUE(moving);
    EXPECT_EQ(moving->device, "scale-1");
    EXPECT_GE(moving->at_ms, before);
    EXPECT_LE(moving->at_ms, hardware::now_ms());
    EXPECT_TRUE(sink.wait_for<WeightReading>(reading_of(100.0, WeightStatus::Stable)));
    EXPECT_TRUE(sink.wait_for<WeightReading>(reading_of(0.0, WeightStatus::Overload)));
    EXPECT_TRUE(sink.wait_for<WeightReading>(reading_of(0.0, WeightStatus::UnderZero)));
    device->close();
    const std::size_t after_close = sink.size();
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    EXPECT_EQ(sink.size(), after_close);  // nothing after close() returned
    for (const auto& command : scale.commands())
        EXPECT_EQ(command, "SI");
}

TEST_F(SerialScalePty, MtSicsZeroAndItsErrorReplies) {
    std::atomic<int> zero_reply{0};
    const char* replies[] = {"Z A\r\n", "Z I\r\n", "Z +\r\n", "Z -\r\n", "ES\r\n", "EL\r\n"};
    ScriptedSerialDevice scale(pty.master, [&](const std::string& command) -> std::string {
        if (command == "SI") return "S S 5.0 g\r\n";
        if (command == "Z") return replies[zero_reply.load()];
        return "ES\r\n";
    });
    auto device = make_scale(quick_options(pty.name, "mt-sics"));
    ASSERT_TRUE(device);
    ASSERT_TRUE(device->open(sink).ok());
    ASSERT_TRUE(sink.wait_for<WeightReading>(reading_of(5.0, WeightStatus::Stable)));
    const auto ok = device->zero();
    EXPECT_TRUE(ok.ok()) << ok.error().to_string();
    const char* codes[] = {
        "", "sics.busy", "sics.overload", "sics.underload", "sics.syntax", "sics.logical"};
    for (int i = 1; i < 6; ++i) {
        zero_reply = i;
        const auto result = device->zero();
        ASSERT_FALSE(result.ok()) << i;
        EXPECT_EQ(result.error().code, codes[i]);
        EXPECT_EQ(result.error().message.rfind("scale scale-1: zero: ", 0), 0u)
            << result.error().message;
    }
    // Polling goes on after zeroing.
    std::size_t from = sink.size();
    EXPECT_TRUE(sink.wait_for<WeightReading>(reading_of(5.0, WeightStatus::Stable), from));
    device->close();
}

TEST_F(SerialScalePty, MtSicsZeroWithoutAnswerTimesOut) {
    ScriptedSerialDevice scale(pty.master, [&](const std::string& command) -> std::string {
        return command == "SI" ? "S S 1 g\r\n" : "";
    });
    auto device = make_scale(quick_options(pty.name, "mt-sics"));
    ASSERT_TRUE(device);
    ASSERT_TRUE(device->open(sink).ok());
    ASSERT_TRUE(sink.wait_for<WeightReading>(reading_of(1.0, WeightStatus::Stable)));
    const auto result = device->zero();
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, "serial.timeout");
    device->close();
}

TEST_F(SerialScalePty, NciWeightStatusBytesAndZero) {
    std::atomic<int> step{0};
    std::atomic<bool> zero_unknown{false};
    ScriptedSerialDevice scale(pty.master, [&](const std::string& command) -> std::string {
        if (command == "Z") return zero_unknown ? "\n?\r\x03"s : "\n00\r\x03"s;
        if (command != "W") return "\n?\r\x03"s;
        switch (step++ % 3) {
            case 0:
                return "\n0001.00LB\r\n00\r\x03"s;  // stable
            case 1:
                return "\n0000.50KG\r\n10\r\x03"s;  // byte 1 bit 0: in motion
            default:
                return "\n0000.00LB\r20\x03"s;  // PS-USB variant; byte 1 bit 1: at zero
        }
    });
    auto device = make_scale(quick_options(pty.name, "nci"));
    ASSERT_TRUE(device);
    ASSERT_TRUE(device->open(sink).ok());
    EXPECT_TRUE(sink.wait_for<WeightReading>(reading_of(453.59237, WeightStatus::Stable)));
    EXPECT_TRUE(sink.wait_for<WeightReading>(reading_of(500.0, WeightStatus::InMotion)));
    EXPECT_TRUE(sink.wait_for<WeightReading>(reading_of(0.0, WeightStatus::AtZero)));
    const auto zeroed = device->zero();
    EXPECT_TRUE(zeroed.ok()) << zeroed.error().to_string();
    zero_unknown = true;
    const auto refused = device->zero();
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, "nci.unknown_command");
    device->close();
    EXPECT_EQ(scale.commands().front(), "W");
}

std::string toledo_frame(char swb, const std::string& weight) {
    std::string bytes = "\x02"s + '\x22' + swb + ' ' + weight + "000000" + '\r';
    unsigned sum = 0;
    for (const char c : bytes)
        sum += static_cast<unsigned char>(c);
    return bytes + static_cast<char>((0x80u - (sum & 0x7Fu)) & 0x7Fu);
}

TEST_F(SerialScalePty, ToledoContinuousDropsBadChecksumsAndPartialFrames) {
    auto device = make_scale(quick_options(pty.name, "toledo"));
    ASSERT_TRUE(device);
    ASSERT_TRUE(device->open(sink).ok());
    ASSERT_TRUE(sink.wait_for<DeviceStatusEvent>(health_is(DeviceHealth::Present)));
    std::string bad = toledo_frame(0x30, "000777");
    bad.back() = static_cast<char>(bad.back() ^ 0x05);
    const std::string good = toledo_frame(0x30, "001500");
    const std::string moving = toledo_frame(0x38, "000250");
    // A stream as a port delivers it: split mid-frame, a frame cut short, a bad checksum.
    const std::string stream = good + "\x02\x22\x30 00" + bad + moving + good;
    for (std::size_t offset = 0; offset < stream.size(); offset += 7) {
        ASSERT_TRUE(pty.write(stream.substr(offset, 7)));
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    std::size_t next = 0;
    ASSERT_TRUE(
        sink.wait_for<WeightReading>(reading_of(1'500'000.0, WeightStatus::Stable), 0, &next));
    ASSERT_TRUE(
        sink.wait_for<WeightReading>(reading_of(250'000.0, WeightStatus::InMotion), next, &next));
    ASSERT_TRUE(
        sink.wait_for<WeightReading>(reading_of(1'500'000.0, WeightStatus::Stable), next, &next));
    for (const auto& event : sink.events()) {
        if (const auto* reading = std::get_if<WeightReading>(&event)) {
            EXPECT_NE(reading->grams, 777'000.0) << "a bad checksum became a reading";
        }
    }
    const auto zero = device->zero();
    ASSERT_FALSE(zero.ok());
    EXPECT_EQ(zero.error().code, "serial.unsupported");
    // Continuous output that stops: not answering.
    EXPECT_TRUE(sink.wait_for<DeviceStatusEvent>(
        health_is(DeviceHealth::Faulty, "scale not answering"), next));
    device->close();
}

TEST_F(SerialScalePty, CasTwentyTwoByteAndStGsLines) {
    auto device = make_scale(quick_options(pty.name, "cas"));
    ASSERT_TRUE(device);
    ASSERT_TRUE(device->open(sink).ok());
    ASSERT_TRUE(sink.wait_for<DeviceStatusEvent>(health_is(DeviceHealth::Present)));
    ASSERT_TRUE(
        pty.write("ST,GS,+  1.500kg\r\nUS,GS,\x01\x40,0000013.5 kg\r\nOL,GS,        kg\r\n"s));
    EXPECT_TRUE(sink.wait_for<WeightReading>(reading_of(1500.0, WeightStatus::Stable)));
    EXPECT_TRUE(sink.wait_for<WeightReading>(reading_of(13500.0, WeightStatus::InMotion)));
    EXPECT_TRUE(sink.wait_for<WeightReading>(reading_of(0.0, WeightStatus::Overload)));
    device->close();
}

TEST_F(SerialScalePty, GarbageIsReportedAndNeverAReading) {
    auto device = make_scale(quick_options(pty.name, "cas"));
    ASSERT_TRUE(device);
    ASSERT_TRUE(device->open(sink).ok());
    ASSERT_TRUE(sink.wait_for<DeviceStatusEvent>(health_is(DeviceHealth::Present)));
    // What a 7E1 line looks like through a wrong baud rate: noise, some line ends.
    std::string noise;
    for (int i = 0; i < 400; ++i)
        noise.push_back(static_cast<char>((i * 37 + 11) % 251));
    ASSERT_TRUE(pty.write(noise));
    ASSERT_TRUE(pty.write("\r\nXX,YY,1\r\n##\r\nST,GS,+ abc kg\r\n"));
    std::size_t next = 0;
    ASSERT_TRUE(sink.wait_for<DeviceStatusEvent>(
        health_is(DeviceHealth::Faulty, "unreadable data; check protocol/baud"), 0, &next));
    for (const auto& event : sink.events())
        EXPECT_FALSE(std::holds_alternative<WeightReading>(event));
    ASSERT_TRUE(pty.write("ST,GS,+  2.000kg\r\n"));
    EXPECT_TRUE(sink.wait_for<WeightReading>(reading_of(2000.0, WeightStatus::Stable), next));
    EXPECT_TRUE(sink.wait_for<DeviceStatusEvent>(health_is(DeviceHealth::Present), next));
    device->close();
}

TEST_F(SerialScalePty, ScaleThatStopsAnsweringIsFaultyThenPresentAgain) {
    ScriptedSerialDevice scale(pty.master, [](const std::string&) { return "S S 3 g\r\n"s; });
    auto device = make_scale(quick_options(pty.name, "mt-sics"));
    ASSERT_TRUE(device);
    ASSERT_TRUE(device->open(sink).ok());
    ASSERT_TRUE(sink.wait_for<WeightReading>(reading_of(3.0, WeightStatus::Stable)));
    scale.silent = true;
    std::size_t next = 0;
    ASSERT_TRUE(sink.wait_for<DeviceStatusEvent>(
        health_is(DeviceHealth::Faulty, "scale not answering"), 0, &next));
    scale.silent = false;
    EXPECT_TRUE(sink.wait_for<DeviceStatusEvent>(health_is(DeviceHealth::Present), next));
    EXPECT_TRUE(sink.wait_for<WeightReading>(reading_of(3.0, WeightStatus::Stable), next));
    device->close();
}

TEST(SerialScaleHotplug, TtyThatDisappearsAndComesBack) {
    const fs::path dir =
        fs::temp_directory_path() / ("packline-serial-hotplug-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    const fs::path link = dir / "ttyScale";
    CollectingSink sink;
    const auto answer = [](const std::string&) { return "S S 7 g\r\n"s; };

    auto first = std::make_unique<PtyPair>();
    ASSERT_TRUE(first->ok());
    fs::create_symlink(first->name, link);
    auto scale = std::make_unique<ScriptedSerialDevice>(first->master, answer);

    auto device = make_scale(quick_options(link.string(), "mt-sics"));
    ASSERT_TRUE(device);
    ASSERT_TRUE(device->open(sink).ok());
    std::size_t next = 0;
    ASSERT_TRUE(sink.wait_for<WeightReading>(reading_of(7.0, WeightStatus::Stable), 0, &next));

    scale->stop();
    first->close();    // the adapter is pulled: the tty hangs up ...
    fs::remove(link);  // ... and its device node goes away
    ASSERT_TRUE(sink.wait_for<DeviceStatusEvent>(
        health_is(DeviceHealth::Absent, "scale disconnected (" + link.string() + ")"), next,
        &next));

    auto second = std::make_unique<PtyPair>();
    ASSERT_TRUE(second->ok());
    auto again = std::make_unique<ScriptedSerialDevice>(second->master, answer);
    fs::create_symlink(second->name, link);
    ASSERT_TRUE(sink.wait_for<DeviceStatusEvent>(health_is(DeviceHealth::Present), next, &next));
    EXPECT_TRUE(sink.wait_for<WeightReading>(reading_of(7.0, WeightStatus::Stable), next));
    device->close();
    again->stop();
    fs::remove_all(dir);
}

TEST(SerialScaleHotplug, AbsentAtOpenIsNoError) {
    CollectingSink sink;
    auto device = make_scale(quick_options("/nonexistent/ttyUSB7", "mt-sics"));
    ASSERT_TRUE(device);
    ASSERT_TRUE(device->open(sink).ok());
    EXPECT_TRUE(sink.wait_for<DeviceStatusEvent>(
        health_is(DeviceHealth::Absent, "scale disconnected (/nonexistent/ttyUSB7)")));
    const auto zero = device->zero();
    ASSERT_FALSE(zero.ok());
    EXPECT_EQ(zero.error().code, "serial.not_connected");
    EXPECT_FALSE(device->open(sink).ok());  // already open
    device->close();
}

TEST(SerialScaleOptionsCheck, RejectsUnknownProtocolAndBadLine) {
    SerialScaleOptions options = quick_options("/dev/ttyUSB0", "sics");
    auto device = SerialScaleDevice::create(options);
    ASSERT_FALSE(device.ok());
    EXPECT_EQ(device.error().code, "serial.unknown_protocol");
    options.protocol = "nci";
    options.framing = "7Q1";
    EXPECT_EQ(SerialScaleDevice::create(options).error().code, "serial.bad_framing");
    options.framing = "";
    options.baud = 12345;
    EXPECT_EQ(SerialScaleDevice::create(options).error().code, "serial.bad_baud");
}

}  // namespace
}  // namespace packline::drivers

// SerialScannerDevice on a pty: scans written in pieces, GS and AIM kept,
// and a CDC-ACM tty that disappears and comes back.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>

#include "packline/drivers/serial_scanner_device.h"
#include "serial_test_support.h"

namespace packline::drivers {
namespace {

using namespace std::string_literals;
using hardware::DeviceHealth;
using hardware::DeviceStatusEvent;
using hardware::ScanEvent;
using serial_test::CollectingSink;
using serial_test::PtyPair;

namespace fs = std::filesystem;

std::unique_ptr<SerialScannerDevice> make_scanner(const std::string& path) {
    SerialScannerOptions options;
    options.id = "scanner-1";
    options.path = path;
    options.reconnect_min_ms = 50;
    options.reconnect_max_ms = 200;
    auto device = SerialScannerDevice::create(options);
    EXPECT_TRUE(device.ok()) << device.error().to_string();
    return device.ok() ? std::move(device.value()) : nullptr;
}

std::function<bool(const ScanEvent&)> scan_of(const std::string& data) {
    return [=](const ScanEvent& scan) { return scan.data == data; };
}

std::function<bool(const DeviceStatusEvent&)> health_is(DeviceHealth health,
                                                        std::string part = "") {
    return [=](const DeviceStatusEvent& e) {
        return e.health == health && e.detail.find(part) != std::string::npos;
    };
}

TEST(SerialScannerPty, SplitWritesMakeWholeScans) {
    PtyPair pty;
    ASSERT_TRUE(pty.ok());
    CollectingSink sink;
    auto device = make_scanner(pty.name);
    ASSERT_TRUE(device);
    const std::int64_t before = hardware::now_ms();
    ASSERT_TRUE(device->open(sink).ok());
    ASSERT_TRUE(sink.wait_for<DeviceStatusEvent>(
        health_is(DeviceHealth::Present, "scanner connected (" + pty.name + ")")));
    const std::string gs1 =
        "]d2011231231231233310ABC123\x1d"
        "99TESTING";
    const std::string stream = gs1 + "\r\n" + "]C11Z999AA10123456784\r" + "\n" + "PLAIN\n";
    for (std::size_t offset = 0; offset < stream.size(); offset += 3) {
        ASSERT_TRUE(pty.write(stream.substr(offset, 3)));
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    std::size_t next = 0;
    const auto first = sink.wait_for<ScanEvent>(scan_of(gs1), 0, &next);
    ASSERT_TRUE(first);
    EXPECT_EQ(first->device, "scanner-1");
    EXPECT_GE(first->at_ms, before);
    ASSERT_TRUE(sink.wait_for<ScanEvent>(scan_of("]C11Z999AA10123456784"), next, &next));
    ASSERT_TRUE(sink.wait_for<ScanEvent>(scan_of("PLAIN"), next, &next));
    device->close();
    int scans = 0;
    for (const auto& event : sink.events())
        scans += std::holds_alternative<ScanEvent>(event) ? 1 : 0;
    EXPECT_EQ(scans, 3);
}

TEST(SerialScannerPty, UnplugAndReplug) {
    const fs::path dir =
        fs::temp_directory_path() / ("packline-serial-scanner-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    const fs::path link = dir / "ttyACM0";
    CollectingSink sink;
    auto first = std::make_unique<PtyPair>();
    ASSERT_TRUE(first->ok());
    fs::create_symlink(first->name, link);
    auto device = make_scanner(link.string());
    ASSERT_TRUE(device);
    ASSERT_TRUE(device->open(sink).ok());
    std::size_t next = 0;
    ASSERT_TRUE(sink.wait_for<DeviceStatusEvent>(health_is(DeviceHealth::Present), 0, &next));
    ASSERT_TRUE(first->write("HALF-A-SC"));  // cut off by the unplug: never a scan
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    first->close();
    fs::remove(link);
    ASSERT_TRUE(sink.wait_for<DeviceStatusEvent>(
        health_is(DeviceHealth::Absent, "scanner disconnected"), next, &next));
    PtyPair second;
    ASSERT_TRUE(second.ok());
    fs::create_symlink(second.name, link);
    ASSERT_TRUE(sink.wait_for<DeviceStatusEvent>(health_is(DeviceHealth::Present), next, &next));
    ASSERT_TRUE(second.write("AN\r"));
    const auto scan = sink.wait_for<ScanEvent>([](const ScanEvent&) { return true; }, next);
    ASSERT_TRUE(scan);
    EXPECT_EQ(scan->data, "AN");
    device->close();
    fs::remove_all(dir);
}

}  // namespace
}  // namespace packline::drivers

// Line settings, the port on a pty, and port detection on a fake /dev + /sys.
#include "packline/drivers/serial_port.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <filesystem>
#include <fstream>

#include "packline/drivers/serial_scale_device.h"
#include "serial_test_support.h"

namespace packline::drivers {
namespace {

namespace fs = std::filesystem;

TEST(SerialLine, ParsesFramingAndBaud) {
    const auto line = parse_line_framing("7e1", 4800);
    ASSERT_TRUE(line.ok()) << line.error().to_string();
    EXPECT_EQ(line->data_bits, 7);
    EXPECT_EQ(line->parity, 'E');
    EXPECT_EQ(line->stop_bits, 1);
    EXPECT_EQ(to_string(*line), "4800 7E1");
    EXPECT_EQ(to_string(parse_line_framing("8O2", 115200).value()), "115200 8O2");
    EXPECT_EQ(parse_line_framing("9N1", 9600).error().code, "serial.bad_framing");
    EXPECT_EQ(parse_line_framing("8X1", 9600).error().code, "serial.bad_framing");
    EXPECT_EQ(parse_line_framing("8N3", 9600).error().code, "serial.bad_framing");
    EXPECT_EQ(parse_line_framing("8N1", 9601).error().code, "serial.bad_baud");
}

TEST(SerialLine, ProtocolDefaults) {
    EXPECT_EQ(to_string(default_line_settings("mt-sics").value()), "9600 8N1");
    EXPECT_EQ(to_string(default_line_settings("nci").value()), "9600 7E1");
    EXPECT_EQ(to_string(default_line_settings("toledo").value()), "9600 7E1");
    EXPECT_EQ(to_string(default_line_settings("cas").value()), "9600 8N1");
    EXPECT_FALSE(default_line_settings("x").ok());
}

TEST(SerialPortTest, OpenErrorNamesThePort) {
    const auto port = SerialPort::open("/nonexistent/ttyUSB9", SerialLineSettings{});
    ASSERT_FALSE(port.ok());
    EXPECT_EQ(port.error().code, "serial.gone");
    EXPECT_EQ(port.error().message, "serial /nonexistent/ttyUSB9: open: No such file or directory");
}

TEST(SerialPortTest, NotATerminalIsASettingsError) {
    const auto port = SerialPort::open("/dev/null", SerialLineSettings{});
    ASSERT_FALSE(port.ok());
    EXPECT_EQ(port.error().code, "serial.settings");
}

TEST(SerialPortTest, ReadsWritesTimesOutAndSeesHangUp) {
    serial_test::PtyPair pty;
    ASSERT_TRUE(pty.ok());
    auto opened = SerialPort::open(pty.name, parse_line_framing("7E1", 9600).value());
    ASSERT_TRUE(opened.ok()) << opened.error().to_string();
    SerialPort port = std::move(opened.value());
    std::array<std::uint8_t, 64> buffer{};
    auto count = port.read(buffer, 20);
    ASSERT_TRUE(count.ok());
    EXPECT_EQ(*count, 0u);  // timeout

    ASSERT_TRUE(port.write_all("SI\r\n", 1000).ok());
    char echo[8] = {};
    ASSERT_EQ(::read(pty.master, echo, sizeof echo), 4);
    EXPECT_EQ(std::string(echo, 4), "SI\r\n");

    ASSERT_TRUE(pty.write("S S 1 g\r\n"));
    std::string got;
    for (int i = 0; i < 100 && got.size() < 9; ++i) {
        count = port.read(buffer, 100);
        ASSERT_TRUE(count.ok()) << count.error().to_string();
        got.append(reinterpret_cast<const char*>(buffer.data()), *count);
    }
    EXPECT_EQ(got, "S S 1 g\r\n");

    pty.close();
    count = port.read(buffer, 1000);
    ASSERT_FALSE(count.ok());
    EXPECT_EQ(count.error().code, "serial.gone");
}

TEST(SerialDetect, ListsByIdLinksAndBareTtysWithVidPid) {
    const fs::path root =
        fs::temp_directory_path() / ("packline-serial-detect-" + std::to_string(::getpid()));
    fs::remove_all(root);
    const fs::path dev = root / "dev";
    const fs::path sys = root / "sys";
    fs::create_directories(dev / "serial/by-id");
    std::ofstream(dev / "ttyUSB0").put('x');
    std::ofstream(dev / "ttyACM0").put('x');
    std::ofstream(dev / "ttyS0").put('x');
    fs::create_symlink(dev / "ttyUSB0", dev / "serial/by-id/usb-1a86_USB_Serial-if00-port0");
    const fs::path usb = sys / "devices/usb1/1-1";
    fs::create_directories(usb / "1-1:1.0/ttyUSB0");
    std::ofstream(usb / "idVendor") << "1a86\n";
    std::ofstream(usb / "idProduct") << "7523\n";
    std::ofstream(usb / "product") << "USB Serial\n";
    fs::create_directories(sys / "class/tty/ttyUSB0");
    fs::create_symlink(usb / "1-1:1.0/ttyUSB0", sys / "class/tty/ttyUSB0/device");
    fs::permissions(dev / "ttyACM0", fs::perms::none);

    const auto found = detect_serial_ports(dev.string(), sys.string());
    ASSERT_EQ(found.size(), 2u);
    EXPECT_EQ(found[0].address, (dev / "serial/by-id/usb-1a86_USB_Serial-if00-port0").string());
    EXPECT_EQ(found[0].extra.at("vid:pid"), "1a86:7523");
    EXPECT_EQ(found[0].name, "USB Serial (ttyUSB0)");
    EXPECT_EQ(found[0].kind, hardware::DeviceKind::Scale);
    EXPECT_EQ(found[0].driver, "serial");
    EXPECT_EQ(found[1].address, (dev / "ttyACM0").string());
    EXPECT_EQ(found[1].kind, hardware::DeviceKind::Scanner);
    if (::geteuid() != 0) {  // root may read anything
        EXPECT_EQ(found[1].health, hardware::DeviceHealth::Faulty);
        EXPECT_NE(found[1].detail.find("dialout"), std::string::npos);
    }
    fs::remove_all(root);
}

}  // namespace
}  // namespace packline::drivers

// The bench set-up tools as a person runs them: packline decode on image
// files, packline devices, and a recording made with `devices record` that
// plays back through the daemon's replay driver.
#include <gtest/gtest.h>
#include <poll.h>
#include <pty.h>

#include <atomic>
#include <fstream>
#include <thread>

#include "camera_images.h"
#include "packline/drivers/recording.h"
#include "process.h"

namespace packline {
namespace {

namespace fs = std::filesystem;

class DeviceToolsTest : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("packline-e2e-tools-" + std::to_string(::getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }

    int packline(std::vector<std::string> args) {
        args.insert(args.begin(), testing::binary("packline"));
        return testing::run(args, dir_ / "out.txt");
    }
    std::string output() const { return testing::read_file(dir_ / "out.txt"); }

    fs::path dir_;
};

TEST_F(DeviceToolsTest, DecodePrintsOneEscapedLinePerBarcodeAndNothingForBlankImages) {
    const std::string code128 = (dir_ / "label.png").string();
    const std::string qr = (dir_ / "qr.png").string();
    const std::string blank = (dir_ / "blank.png").string();
    const std::string text = (dir_ / "notes.png").string();
    ASSERT_TRUE(cv::imwrite(code128, testing::scene(testing::encode_barcode(
                                         ZXing::BarcodeFormat::Code128, L"PL-1Z5R89", 360, 120))));
    // Tab, newline and backslash inside the data must not break the line.
    ASSERT_TRUE(cv::imwrite(
        qr, testing::encode_barcode(ZXing::BarcodeFormat::QRCode, L"a\tb\nc\\d", 240, 240)));
    ASSERT_TRUE(cv::imwrite(blank, cv::Mat(200, 300, CV_8UC1, cv::Scalar(255))));
    std::ofstream(text) << "not an image";

    EXPECT_EQ(packline({"decode", code128, qr, blank}), 0) << output();
    EXPECT_EQ(output(), code128 + "\tCode128\tPL-1Z5R89\n" + qr + "\tQRCode\ta\\tb\\nc\\\\d\n");

    // An unreadable file is an error on its own line; the others still decode.
    EXPECT_EQ(packline({"decode", text, code128, (dir_ / "missing.png").string()}), 1);
    EXPECT_NE(output().find(code128 + "\tCode128\tPL-1Z5R89\n"), std::string::npos) << output();
    EXPECT_NE(output().find("notes.png"), std::string::npos) << output();
    EXPECT_NE(output().find("missing.png"), std::string::npos) << output();

    EXPECT_EQ(packline({"decode", "--formats", "qrcode", code128, qr}), 0);
    EXPECT_EQ(output(), qr + "\tQRCode\ta\\tb\\nc\\\\d\n");
    EXPECT_EQ(packline({"decode", "--formats", "morse", code128}), 2);
    EXPECT_EQ(packline({"decode"}), 2);
}

TEST_F(DeviceToolsTest, DevicesSaysWhatItFoundAndWhereItLooked) {
    // No cupsd on this address: the printer line says so instead of staying silent.
    const fs::path config = dir_ / "station.toml";
    std::ofstream(config) << "";
    ::setenv("CUPS_SERVER", "127.0.0.1:9", 1);
    EXPECT_EQ(packline({"devices", "--config", config.string()}), 0) << output();
    ::unsetenv("CUPS_SERVER");
    for (const char* heading : {"scanners:", "scales:", "printers:", "cameras:"})
        EXPECT_NE(output().find(heading), std::string::npos) << output();
    EXPECT_NE(output().find("127.0.0.1:9"), std::string::npos) << output();

    EXPECT_EQ(packline({"devices", "--drivers"}), 0);
    for (const char* driver : {"hid-scale", "hid-scanner", "evdev", "serial", "cups", "camera",
                               "replay", "simulated", "auto", "none"})
        EXPECT_NE(output().find(driver), std::string::npos) << driver;
}

TEST_F(DeviceToolsTest, WatchAndRecordReadTheConfiguredDeviceAndRefuseMistakes) {
    // A replayed scale stands in for a real one: watch prints its readings.
    const std::string recording =
        std::string(PACKLINE_SOURCE_DIR) + "/tests/fixtures/replay/hid-scale-replug.rec";
    EXPECT_EQ(packline({"scale", "watch", "--driver", "replay", "--set", "recording=" + recording,
                        "--set", "speed=20", "--seconds", "2"}),
              0)
        << output();
    EXPECT_NE(output().find("301.0 g  stable"), std::string::npos) << output();
    EXPECT_NE(output().find("absent"), std::string::npos) << output();

    EXPECT_EQ(packline({"scale", "watch", "--driver", "serial", "--set", "pth=/dev/ttyUSB0"}), 2);
    EXPECT_NE(output().find("unknown option 'pth'"), std::string::npos) << output();
    EXPECT_EQ(packline({"scale", "look"}), 2);
    EXPECT_EQ(packline({"devices", "record", "printer", "--out", (dir_ / "x.rec").string(),
                        "--driver", "cups"}),
              2);
    EXPECT_NE(output().find("cannot be recorded"), std::string::npos) << output();
}

TEST_F(DeviceToolsTest, ARecordingOfASerialScaleReplaysTheSameReadings) {
    // A scripted MT-SICS scale on a pty is recorded by `packline devices
    // record`; the file then replays the same readings with no scale at all.
    int master = -1;
    int slave = -1;
    char name[128] = {};
    ASSERT_EQ(::openpty(&master, &slave, name, nullptr, nullptr), 0);
    std::atomic<bool> stop{false};
    std::thread scale([&] {
        std::string pending;
        int weight = 100;
        while (!stop) {
            pollfd descriptor{master, POLLIN, 0};
            if (::poll(&descriptor, 1, 50) <= 0) continue;
            char buffer[256];
            const ssize_t got = ::read(master, buffer, sizeof buffer);
            if (got <= 0) continue;
            pending.append(buffer, static_cast<std::size_t>(got));
            std::size_t end;
            while ((end = pending.find("\r\n")) != std::string::npos) {
                pending.erase(0, end + 2);
                const std::string reply =
                    "S S " + std::to_string(weight) + ".00 g\r\n";  // one more gram each time
                weight = std::min(weight + 1, 110);
                (void)!::write(master, reply.data(), reply.size());
            }
        }
    });
    const std::string file = (dir_ / "sics.rec").string();
    const int status = packline({"devices", "record", "scale", "--out", file, "--driver", "serial",
                                 "--set", std::string("path=") + name, "--set", "protocol=mt-sics",
                                 "--model", "MT-SICS bench scale", "--notes", "pty scripted",
                                 "--count", "5", "--seconds", "20"});
    stop = true;
    scale.join();
    ::close(slave);
    ::close(master);
    ASSERT_EQ(status, 0) << output();
    auto recording = drivers::load_recording(file);
    ASSERT_TRUE(recording.ok()) << recording.error().message;
    EXPECT_EQ(recording.value().family(), "mt-sics");
    EXPECT_EQ(recording.value().header.at("model"), "MT-SICS bench scale");
    EXPECT_FALSE(recording.value().chunks.empty());

    EXPECT_EQ(packline({"scale", "watch", "--driver", "replay", "--set", "recording=" + file,
                        "--set", "speed=0", "--seconds", "1"}),
              0)
        << output();
    EXPECT_NE(output().find("100.0 g  stable"), std::string::npos) << output();
    EXPECT_NE(output().find("104.0 g  stable"), std::string::npos) << output();
}

}  // namespace
}  // namespace packline

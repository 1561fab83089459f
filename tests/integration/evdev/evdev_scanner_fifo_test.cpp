// EvdevScannerDevice's read loop on a FIFO standing in for /dev/input/eventN
// (test-harnesses.md §2b): the test writes input_event records, closes the
// writer to "unplug" and recreates the path to "plug back in". EVIOCGRAB fails
// on a FIFO, which must be reported but not fatal.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "evdev_events.h"
#include "evdev_test_sink.h"
#include "packline/drivers/evdev_scanner_device.h"
#include "packline/drivers/recording.h"

namespace packline::drivers {
namespace {

using hardware::DeviceHealth;
namespace fs = std::filesystem;

class EvdevScannerFifo : public ::testing::Test {
  protected:
    void SetUp() override {
        char pattern[] = "/tmp/packline-evdev-XXXXXX";
        ASSERT_NE(::mkdtemp(pattern), nullptr);
        dir_ = pattern;
        path_ = (dir_ / "event-kbd").string();
    }
    void TearDown() override {
        if (writer_ >= 0) ::close(writer_);
        fs::remove_all(dir_);
    }

    void make_fifo() { ASSERT_EQ(::mkfifo(path_.c_str(), 0600), 0); }
    // Blocks until the device has the FIFO open for reading.
    void connect_writer() {
        writer_ = ::open(path_.c_str(), O_WRONLY | O_CLOEXEC);
        ASSERT_GE(writer_, 0);
    }
    void write_bytes(const std::vector<std::uint8_t>& bytes) {
        ASSERT_EQ(::write(writer_, bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
    }
    void unplug() {
        fs::remove(path_);
        ::close(writer_);
        writer_ = -1;
    }

    std::unique_ptr<EvdevScannerDevice> make_device(Recorder* recorder = nullptr) {
        EvdevScannerOptions options;
        options.id = "fifo-scanner";
        options.path = path_;
        options.recorder = recorder;
        options.retry_initial = std::chrono::milliseconds{20};
        options.retry_max = std::chrono::milliseconds{100};
        auto device = EvdevScannerDevice::create(options);
        EXPECT_TRUE(device.ok());
        return std::move(device).value();
    }

    fs::path dir_;
    std::string path_;
    int writer_ = -1;
};

TEST_F(EvdevScannerFifo, ReadsScansAndEndsOneOnTimeout) {
    make_fifo();
    auto device = make_device();
    testing::CollectingSink sink;
    ASSERT_TRUE(device->open(sink).ok());
    const auto present = sink.next_status(DeviceHealth::Present);
    ASSERT_TRUE(present);
    EXPECT_NE(present->detail.find("not grabbed"), std::string::npos) << present->detail;
    connect_writer();

    testing::EvdevEventWriter writer;
    writer.type("Ab1");
    writer.enter();
    writer.type("NOTERM");
    // Split mid-record: the device must keep the remainder.
    const auto& bytes = writer.bytes();
    write_bytes({bytes.begin(), bytes.begin() + 37});
    write_bytes({bytes.begin() + 37, bytes.end()});

    auto first = sink.next_scan();
    ASSERT_TRUE(first);
    EXPECT_EQ(first->data, "Ab1");
    EXPECT_EQ(first->device, "fifo-scanner");
    auto second = sink.next_scan();  // only the inter-key timeout ends it
    ASSERT_TRUE(second);
    EXPECT_EQ(second->data, "NOTERM");
    device->close();
}

TEST_F(EvdevScannerFifo, UnplugIsAbsentAndReplugIsPresentAgain) {
    make_fifo();
    auto recorder = Recorder::create((dir_ / "scanner.rec").string(), {{"family", "evdev"}});
    ASSERT_TRUE(recorder.ok());
    auto device = make_device(recorder.value().get());
    testing::CollectingSink sink;
    ASSERT_TRUE(device->open(sink).ok());
    ASSERT_TRUE(sink.next_status(DeviceHealth::Present));
    connect_writer();
    testing::EvdevEventWriter before;
    before.type("ONE");
    before.enter();
    write_bytes(before.bytes());
    ASSERT_TRUE(sink.next_scan());

    unplug();
    const auto absent = sink.next_status(DeviceHealth::Absent);
    ASSERT_TRUE(absent);
    EXPECT_EQ(absent->detail, "scanner unplugged");

    make_fifo();
    ASSERT_TRUE(sink.next_status(DeviceHealth::Present));
    connect_writer();
    testing::EvdevEventWriter after;
    after.type("TWO");
    after.enter();
    write_bytes(after.bytes());
    const auto scan = sink.next_scan();
    ASSERT_TRUE(scan);
    EXPECT_EQ(scan->data, "TWO");
    device->close();

    // The recording has both scans' bytes and the unplug in between.
    auto recording = load_recording((dir_ / "scanner.rec").string());
    ASSERT_TRUE(recording.ok()) << recording.error().message;
    std::string kinds;
    std::size_t data_bytes = 0;
    for (const auto& chunk : recording.value().chunks) {
        if (chunk.kind == RecordedChunk::Kind::Data) {
            data_bytes += chunk.bytes.size();
            if (kinds.empty() || kinds.back() != 'd') kinds += 'd';
        } else {
            kinds += chunk.kind == RecordedChunk::Kind::Gone ? 'g' : 'b';
        }
    }
    EXPECT_EQ(kinds, "dgbd");
    EXPECT_EQ(data_bytes, before.bytes().size() + after.bytes().size());
}

TEST_F(EvdevScannerFifo, MissingAtOpenIsAbsentThenFound) {
    auto device = make_device();
    testing::CollectingSink sink;
    ASSERT_TRUE(device->open(sink).ok());
    const auto absent = sink.next_status(DeviceHealth::Absent);
    ASSERT_TRUE(absent);
    EXPECT_NE(absent->detail.find(path_), std::string::npos) << absent->detail;
    make_fifo();
    ASSERT_TRUE(sink.next_status(DeviceHealth::Present));
    device->close();
}

TEST_F(EvdevScannerFifo, CloseWakesThePollAndPostsNothingAfter) {
    make_fifo();
    auto device = make_device();
    testing::CollectingSink sink;
    for (int round = 0; round < 3; ++round) {
        ASSERT_TRUE(device->open(sink).ok());
        EXPECT_FALSE(device->open(sink).ok());  // already open
        ASSERT_TRUE(sink.next_status(DeviceHealth::Present));
        device->close();
    }
    const std::size_t count = sink.all().size();
    device->close();
    EXPECT_EQ(sink.all().size(), count);
}

TEST(EvdevScannerOptions, RejectsBadDecodingSettings) {
    EvdevScannerOptions options;
    options.id = "front";
    options.path = "/dev/input/event0";
    options.decoding.layout = "jp";
    auto device = EvdevScannerDevice::create(options);
    ASSERT_FALSE(device.ok());
    EXPECT_EQ(device.error().message.rfind("scanner front: ", 0), 0u) << device.error().message;
    EXPECT_NE(device.error().message.find("layout"), std::string::npos);
}

TEST(EvdevScannerOptions, RefusesToPickAnyKeyboard) {
    EvdevScannerOptions options;
    options.id = "front";
    auto device = EvdevScannerDevice::create(options);
    ASSERT_FALSE(device.ok());
    EXPECT_NE(device.error().message.find("path"), std::string::npos);
}

TEST(EvdevScannerOptions, ParsesUsbIds) {
    EXPECT_EQ(parse_usb_id("05e0:1200"), (UsbId{0x05e0, 0x1200}));
    EXPECT_EQ(parse_usb_id("C2E:B8F"), (UsbId{0x0c2e, 0x0b8f}));
    EXPECT_FALSE(parse_usb_id("05e0"));
    EXPECT_FALSE(parse_usb_id("05e0:12000"));
    EXPECT_FALSE(parse_usb_id("xyz:1200"));
}

}  // namespace
}  // namespace packline::drivers

// A SerialScaleDevice with a Recorder: every chunk read, the unplug and the
// replug land in the recording, and replaying it through make_serial_decoder
// gives the readings the live device posted.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "packline/drivers/recording.h"
#include "packline/drivers/serial_decoders.h"
#include "packline/drivers/serial_scale_device.h"
#include "serial_test_support.h"

namespace packline::drivers {
namespace {

using namespace std::string_literals;
using hardware::DeviceHealth;
using hardware::DeviceStatusEvent;
using hardware::WeightReading;
using serial_test::CollectingSink;
using serial_test::PtyPair;
using serial_test::ScriptedSerialDevice;

namespace fs = std::filesystem;

TEST(SerialRecording, RecordsChunksGoneBackAndReplaysToTheSameReadings) {
    const fs::path dir =
        fs::temp_directory_path() / ("packline-serial-recording-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    const fs::path link = dir / "ttyScale";
    const fs::path file = dir / "scale.rec";
    auto recorder = Recorder::create(
        file.string(), {{"family", "serial"}, {"protocol", "mt-sics"}, {"device", "scale-1"}});
    ASSERT_TRUE(recorder.ok()) << recorder.error().to_string();

    std::atomic<int> grams{1};
    const auto answer = [&](const std::string&) {
        return "S S " + std::to_string(grams++) + " g\r\n";
    };
    auto first = std::make_unique<PtyPair>();
    ASSERT_TRUE(first->ok());
    fs::create_symlink(first->name, link);
    auto scale = std::make_unique<ScriptedSerialDevice>(first->master, answer);

    SerialScaleOptions options;
    options.id = "scale-1";
    options.path = link.string();
    options.protocol = "mt-sics";
    options.poll_interval_ms = 20;
    options.reconnect_min_ms = 50;
    options.reconnect_max_ms = 100;
    options.recorder = recorder.value().get();
    auto device = SerialScaleDevice::create(options);
    ASSERT_TRUE(device.ok());
    CollectingSink sink;
    ASSERT_TRUE(device.value()->open(sink).ok());
    std::size_t next = 0;
    ASSERT_TRUE(sink.wait_for<WeightReading>([](const WeightReading& r) { return r.grams >= 3; }, 0,
                                             &next));
    scale->stop();
    first->close();
    fs::remove(link);
    ASSERT_TRUE(sink.wait_for<DeviceStatusEvent>(
        [](const DeviceStatusEvent& e) { return e.health == DeviceHealth::Absent; }, next, &next));
    PtyPair second;
    ASSERT_TRUE(second.ok());
    ScriptedSerialDevice again(second.master, answer);
    fs::create_symlink(second.name, link);
    const int later = grams.load() + 2;
    ASSERT_TRUE(sink.wait_for<WeightReading>(
        [&](const WeightReading& r) { return r.grams >= later; }, next));
    device.value()->close();
    again.stop();

    std::vector<double> live;
    for (const auto& event : sink.events())
        if (const auto* r = std::get_if<WeightReading>(&event)) live.push_back(r->grams);

    const auto recording = load_recording(file.string());
    ASSERT_TRUE(recording.ok()) << recording.error().to_string();
    EXPECT_EQ(recording->family(), "serial");
    int gone = 0;
    int back = 0;
    auto decoder = make_serial_decoder(recording->header.at("protocol"), "scale-1");
    ASSERT_TRUE(decoder.ok());
    std::vector<hardware::DeviceEvent> replayed;
    for (const auto& chunk : recording->chunks) {
        if (chunk.kind == RecordedChunk::Kind::Gone) ++gone;
        if (chunk.kind == RecordedChunk::Kind::Back) {
            ++back;
            decoder.value()->reset();
        }
        if (chunk.kind == RecordedChunk::Kind::Data)
            decoder.value()->feed(chunk.bytes, chunk.offset_ms, replayed);
    }
    EXPECT_EQ(gone, 1);
    EXPECT_EQ(back, 1);
    std::vector<double> from_recording;
    for (const auto& event : replayed)
        if (const auto* r = std::get_if<WeightReading>(&event)) from_recording.push_back(r->grams);
    EXPECT_EQ(from_recording, live);
    fs::remove_all(dir);
}

}  // namespace
}  // namespace packline::drivers

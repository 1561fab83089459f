#include "packline/drivers/recording.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace packline::drivers {
namespace {

constexpr const char* kRecording =
    "# packline device recording v1\n"
    "family: hid-scale\n"
    "model: DYMO M10 (0922:8003)\n"
    "notes: reads 0 after the unit button\n"
    "---\n"
    "0 data 03020bff0000\n"
    "\n"
    "# the packer pulled the cable here\n"
    "105 data 03040BFF9800\n"
    "2300 gone\n"
    "4100 back\n";

TEST(Recording, ParsesHeaderAndChunks) {
    auto recording = parse_recording(kRecording);
    ASSERT_TRUE(recording.ok()) << recording.error().message;
    EXPECT_EQ(recording.value().family(), "hid-scale");
    EXPECT_EQ(recording.value().header.at("model"), "DYMO M10 (0922:8003)");
    EXPECT_EQ(recording.value().header.at("notes"), "reads 0 after the unit button");
    const auto& chunks = recording.value().chunks;
    ASSERT_EQ(chunks.size(), 4u);
    EXPECT_EQ(chunks[0].offset_ms, 0);
    EXPECT_EQ(chunks[0].bytes, (std::vector<std::uint8_t>{0x03, 0x02, 0x0B, 0xFF, 0x00, 0x00}));
    EXPECT_EQ(chunks[1].offset_ms, 105);
    EXPECT_EQ(chunks[1].bytes, (std::vector<std::uint8_t>{0x03, 0x04, 0x0B, 0xFF, 0x98, 0x00}));
    EXPECT_EQ(chunks[2].kind, RecordedChunk::Kind::Gone);
    EXPECT_EQ(chunks[3].kind, RecordedChunk::Kind::Back);
    EXPECT_EQ(chunks[3].offset_ms, 4100);
}

TEST(Recording, FormatsBackToWhatItParsed) {
    auto recording = parse_recording(kRecording);
    ASSERT_TRUE(recording.ok());
    auto again = parse_recording(format_recording(recording.value()));
    ASSERT_TRUE(again.ok()) << again.error().message;
    EXPECT_EQ(again.value().header, recording.value().header);
    ASSERT_EQ(again.value().chunks.size(), recording.value().chunks.size());
    for (std::size_t i = 0; i < again.value().chunks.size(); ++i) {
        EXPECT_EQ(again.value().chunks[i].offset_ms, recording.value().chunks[i].offset_ms);
        EXPECT_EQ(again.value().chunks[i].kind, recording.value().chunks[i].kind);
        EXPECT_EQ(again.value().chunks[i].bytes, recording.value().chunks[i].bytes);
    }
}

struct BadRecording {
    const char* text;
    const char* says;
};

class RecordingErrors : public ::testing::TestWithParam<BadRecording> {};

TEST_P(RecordingErrors, NameTheLineAndTheProblem) {
    auto recording = parse_recording(GetParam().text, "bench.rec");
    ASSERT_FALSE(recording.ok());
    EXPECT_EQ(recording.error().code, "recording.invalid");
    EXPECT_NE(recording.error().message.find(GetParam().says), std::string::npos)
        << recording.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    Table, RecordingErrors,
    ::testing::Values(
        BadRecording{"", "no '---' line"},
        BadRecording{"hello\n", "bench.rec:1: not a packline device recording"},
        BadRecording{"# packline device recording v1\nfamily: x\n", "no '---' line"},
        BadRecording{"# packline device recording v1\n---\n", "no 'family'"},
        BadRecording{"# packline device recording v1\nfamily hid\n---\n", "bench.rec:2: header"},
        BadRecording{"# packline device recording v1\n\r\r:x\n---\n", "bench.rec:2: header"},
        BadRecording{"# packline device recording v1\nfamily: a\n---\nx data 00\n",
                     "bench.rec:4: expected milliseconds"},
        BadRecording{"# packline device recording v1\nfamily: a\n---\n-5 data 00\n",
                     "expected milliseconds"},
        BadRecording{"# packline device recording v1\nfamily: a\n---\n5 data 0g\n", "bad hex"},
        BadRecording{"# packline device recording v1\nfamily: a\n---\n5 data 012\n", "bad hex"},
        BadRecording{"# packline device recording v1\nfamily: a\n---\n5 data\n",
                     "data line without bytes"},
        BadRecording{"# packline device recording v1\nfamily: a\n---\n5 gone 00\n",
                     "'gone' takes no bytes"},
        BadRecording{"# packline device recording v1\nfamily: a\n---\n5 jump\n",
                     "expected data, gone or back"},
        BadRecording{"# packline device recording v1\nfamily: a\n---\n9 gone\n5 back\n",
                     "bench.rec:5: time goes backwards"},
        BadRecording{"# packline device recording v1\nfamily: a\n---\n99999999999999999999 gone\n",
                     "expected milliseconds"}));

TEST(Recorder, WritesAFileThatLoadsBack) {
    const auto path = std::filesystem::temp_directory_path() /
                      ("packline-recorder-" + std::to_string(::getpid()) + ".rec");
    {
        auto recorder =
            Recorder::create(path.string(), {{"family", "mt-sics"}, {"notes", "two\nlines"}});
        ASSERT_TRUE(recorder.ok()) << recorder.error().message;
        const std::uint8_t reply[] = {'S', ' ', 'S', '\r', '\n'};
        recorder.value()->data(reply);
        recorder.value()->data({});  // nothing arrived: nothing written
        recorder.value()->gone();
        recorder.value()->back();
        EXPECT_EQ(recorder.value()->chunks(), 3u);
    }
    auto loaded = load_recording(path.string());
    ASSERT_TRUE(loaded.ok()) << loaded.error().message;
    EXPECT_EQ(loaded.value().family(), "mt-sics");
    EXPECT_EQ(loaded.value().header.at("notes"), "two lines");
    ASSERT_EQ(loaded.value().chunks.size(), 3u);
    EXPECT_EQ(
        std::string(loaded.value().chunks[0].bytes.begin(), loaded.value().chunks[0].bytes.end()),
        "S S\r\n");
    EXPECT_EQ(loaded.value().chunks[1].kind, RecordedChunk::Kind::Gone);
    std::filesystem::remove(path);
}

TEST(Recorder, RefusesAHeaderWithoutFamilyAndAnUnwritablePath) {
    EXPECT_FALSE(Recorder::create("/tmp/x.rec", {{"model", "m"}}).ok());
    auto unwritable = Recorder::create("/nonexistent/dir/x.rec", {{"family", "cas"}});
    ASSERT_FALSE(unwritable.ok());
    EXPECT_NE(unwritable.error().message.find("/nonexistent/dir/x.rec"), std::string::npos);
}

TEST(Recording, MissingFileIsAClearError) {
    auto loaded = load_recording("/nonexistent/bench.rec");
    ASSERT_FALSE(loaded.ok());
    EXPECT_EQ(loaded.error().code, "recording.unreadable");
}

}  // namespace
}  // namespace packline::drivers

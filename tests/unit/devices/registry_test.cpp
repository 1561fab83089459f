// The driver table: configuration mistakes are caught before any device is
// opened, with messages that say what would have been accepted.
#include "packline/drivers/registry.h"

#include <gtest/gtest.h>

namespace packline::drivers {
namespace {

using hardware::DeviceKind;

std::string error_of(DeviceKind kind, const std::string& driver, const DeviceOptions& options) {
    auto made = create_devices(kind, driver, options);
    if (made.ok()) return "ok";
    EXPECT_EQ(made.error().code, "devices.invalid");
    return made.error().message;
}

bool says(const std::string& message, const std::string& part) {
    return message.find(part) != std::string::npos;
}

TEST(Registry, EveryKindHasSimulatedAutoAndNone) {
    for (DeviceKind kind : {DeviceKind::Scanner, DeviceKind::Scale, DeviceKind::LabelPrinter}) {
        auto simulated = create_devices(kind, "simulated", {});
        ASSERT_TRUE(simulated.ok()) << simulated.error().message;
        ASSERT_EQ(simulated.value().size(), 1u);
        EXPECT_EQ(simulated.value()[0]->kind(), kind);
        auto none = create_devices(kind, "none", {});
        ASSERT_TRUE(none.ok());
        EXPECT_TRUE(none.value().empty());
    }
    auto scale = create_devices(DeviceKind::Scale, "auto", {});
    ASSERT_TRUE(scale.ok()) << scale.error().message;
    ASSERT_EQ(scale.value().size(), 1u);
    EXPECT_EQ(scale.value()[0]->kind(), DeviceKind::Scale);
    auto printer = create_devices(DeviceKind::LabelPrinter, "auto", {});
    ASSERT_TRUE(printer.ok()) << printer.error().message;
    ASSERT_EQ(printer.value().size(), 1u);
    auto camera = create_devices(DeviceKind::Camera, "auto", {});
    ASSERT_TRUE(camera.ok());
    EXPECT_TRUE(camera.value().empty());  // optional: only when configured
}

TEST(Registry, RealDriversAreMadeFromTheirOptions) {
    auto serial = create_devices(DeviceKind::Scale, "serial",
                                 {{"path", "/dev/ttyUSB0"}, {"protocol", "nci"}, {"baud", "9600"}});
    ASSERT_TRUE(serial.ok()) << serial.error().message;
    EXPECT_EQ(serial.value()[0]->kind(), DeviceKind::Scale);
    auto wedge = create_devices(DeviceKind::Scanner, "evdev",
                                {{"path", "/dev/input/event3"}, {"layout", "fr"}});
    ASSERT_TRUE(wedge.ok()) << wedge.error().message;
    auto cdc = create_devices(DeviceKind::Scanner, "serial", {{"path", "/dev/ttyACM0"}});
    ASSERT_TRUE(cdc.ok()) << cdc.error().message;
    auto cups = create_devices(DeviceKind::LabelPrinter, "cups", {{"destination", "zebra"}});
    ASSERT_TRUE(cups.ok()) << cups.error().message;
    auto hid = create_devices(DeviceKind::Scale, "hid-scale", {{"usb_id", "0922:8003"}});
    ASSERT_TRUE(hid.ok()) << hid.error().message;
    auto camera = create_devices(DeviceKind::Camera, "camera", {{"source", "/dev/video0"}});
    ASSERT_TRUE(camera.ok()) << camera.error().message;
}

TEST(Registry, MistakesAreNamed) {
    EXPECT_TRUE(says(error_of(DeviceKind::Scale, "usb-hid", {}), "unknown driver 'usb-hid'"));
    EXPECT_TRUE(says(error_of(DeviceKind::Scale, "usb-hid", {}), "hid-scale"));
    EXPECT_TRUE(says(error_of(DeviceKind::LabelPrinter, "evdev", {}), "cannot be a printer"));
    EXPECT_TRUE(says(error_of(DeviceKind::Scale, "serial", {{"pth", "/dev/ttyUSB0"}}),
                     "unknown option 'pth'; did you mean 'path'?"));
    EXPECT_TRUE(
        says(error_of(DeviceKind::Scale, "serial", {{"path", "/dev/ttyUSB0"}, {"baud", "fast"}}),
             "baud must be a whole number"));
    EXPECT_TRUE(
        says(error_of(DeviceKind::Scale, "serial", {{"path", "/dev/ttyUSB0"}, {"protocol", "x"}}),
             "protocol must be"));
    EXPECT_TRUE(says(error_of(DeviceKind::Scale, "serial", {}), "needs path"));
    EXPECT_TRUE(says(error_of(DeviceKind::Scanner, "evdev", {}), "needs path, name or usb_id"));
    EXPECT_TRUE(says(error_of(DeviceKind::Scanner, "evdev", {{"path", "/x"}, {"grab", "maybe"}}),
                     "grab must be true or false"));
    EXPECT_TRUE(says(error_of(DeviceKind::Scale, "hid-scale", {{"usb_id", "dymo"}}), "VID:PID"));
    EXPECT_TRUE(says(error_of(DeviceKind::Scale, "replay", {}), "needs recording"));
    EXPECT_TRUE(says(error_of(DeviceKind::Scanner, "replay",
                              {{"recording", std::string(PACKLINE_SOURCE_DIR) +
                                                 "/tests/fixtures/replay/hid-scale-replug.rec"}}),
                     "records a scale, not a scanner"));
    EXPECT_TRUE(says(error_of(DeviceKind::Scale, "none", {{"path", "x"}}), "takes none"));
    EXPECT_TRUE(says(error_of(DeviceKind::Camera, "simulated", {}), "cannot be a camera"));
}

TEST(Registry, RecordingHeadersNameTheDecoder) {
    auto sics = recording_header(DeviceKind::Scale, "serial",
                                 {{"path", "/dev/ttyUSB0"}, {"protocol", "mt-sics"}});
    ASSERT_TRUE(sics.ok());
    EXPECT_EQ(sics.value().at("family"), "mt-sics");
    auto wedge = recording_header(DeviceKind::Scanner, "evdev", {{"path", "/x"}, {"layout", "de"}});
    ASSERT_TRUE(wedge.ok());
    EXPECT_EQ(wedge.value().at("family"), "evdev");
    EXPECT_EQ(wedge.value().at("layout"), "de");
    for (const auto& [family, kind] :
         std::vector<std::pair<std::string, DeviceKind>>{{"hid-scale", DeviceKind::Scale},
                                                         {"hid-scanner", DeviceKind::Scanner},
                                                         {"evdev", DeviceKind::Scanner},
                                                         {"mt-sics", DeviceKind::Scale},
                                                         {"nci", DeviceKind::Scale},
                                                         {"toledo", DeviceKind::Scale},
                                                         {"cas", DeviceKind::Scale},
                                                         {"line-scanner", DeviceKind::Scanner}}) {
        EXPECT_EQ(family_kind(family).value(), kind) << family;
        EXPECT_TRUE(make_decoder(family, "d").ok()) << family;
    }
    EXPECT_FALSE(recording_header(DeviceKind::LabelPrinter, "cups", {}).ok());
    EXPECT_FALSE(make_decoder("toaster", "d").ok());
}

}  // namespace
}  // namespace packline::drivers

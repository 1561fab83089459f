// Scan-back by camera: the station's camera driver, pointed at a bench scene
// with one of our printed labels in it (the label's PNG, scaled to what a
// 1280x720 camera above the bench sees and turned a little), reads the label
// code and the tracking number, for every sample script.
#include <cairo.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>

#include "collecting_sink.h"
#include "label_samples.h"
#include "packline/drivers/camera_device.h"
#include "packline/labels/label_code.h"
#include "packline/labels/render.h"
#include "packline/labels/template.h"

namespace packline::labels {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

cairo_status_t read_bytes(void* closure, unsigned char* data, unsigned int length) {
    auto* source = static_cast<std::pair<const std::string*, std::size_t>*>(closure);
    if (source->second + length > source->first->size()) return CAIRO_STATUS_READ_ERROR;
    std::copy_n(source->first->data() + source->second, length, data);
    source->second += length;
    return CAIRO_STATUS_SUCCESS;
}

// The label lying on a gray bench, 0.55 of its printed size, turned 4 degrees.
void write_scene(const std::string& label_png, const fs::path& out) {
    std::pair<const std::string*, std::size_t> source{&label_png, 0};
    cairo_surface_t* label = cairo_image_surface_create_from_png_stream(read_bytes, &source);
    ASSERT_EQ(cairo_surface_status(label), CAIRO_STATUS_SUCCESS);
    cairo_surface_t* scene = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1280, 720);
    cairo_t* cairo = cairo_create(scene);
    cairo_set_source_rgb(cairo, 0.45, 0.42, 0.40);
    cairo_paint(cairo);
    cairo_translate(cairo, 420, 30);
    cairo_rotate(cairo, 4.0 * M_PI / 180.0);
    cairo_scale(cairo, 0.55, 0.55);
    cairo_set_source_surface(cairo, label, 0, 0);
    cairo_paint(cairo);
    cairo_destroy(cairo);
    ASSERT_EQ(cairo_surface_write_to_png(scene, out.c_str()), CAIRO_STATUS_SUCCESS);
    cairo_surface_destroy(scene);
    cairo_surface_destroy(label);
}

TEST(LabelCamera, TheCameraReadsOurLabelsBackInEveryScript) {
    const fs::path directory = fs::path(PACKLINE_BINARY_DIR) / "test-output/labels-camera";
    fs::remove_all(directory);
    fs::create_directories(directory);
    auto label_template = load_template(kDefaultTemplate);
    ASSERT_TRUE(label_template.ok());
    const auto samples = test::label_samples();
    for (std::size_t i = 0; i < samples.size(); ++i) {
        auto rendered = render_label(*label_template, samples[i].data, LabelFormat::Png);
        ASSERT_TRUE(rendered.ok()) << rendered.error().to_string();
        char name[32];
        std::snprintf(name, sizeof name, "frame_%03zu.png", i);
        write_scene(rendered->bytes, directory / name);
    }
    drivers::CameraOptions options;
    options.id = "bench-camera";
    options.source = (directory / "frame_%03d.png").string();
    options.frame_interval = 50ms;
    auto camera = drivers::CameraDevice::create(options);
    ASSERT_TRUE(camera.ok()) << camera.error().to_string();
    testing::CollectingSink sink;
    ASSERT_TRUE((*camera)->open(sink).ok());
    const bool ended = sink.wait_until_all([](const std::vector<hardware::DeviceEvent>& events) {
        for (const auto& event : events)
            if (const auto* status = std::get_if<hardware::DeviceStatusEvent>(&event))
                if (status->detail.find("camera source ended") != std::string::npos) return true;
        return false;
    });
    (*camera)->close();
    ASSERT_TRUE(ended);
    std::vector<std::string> scans;
    for (const auto& scan : sink.all<hardware::ScanEvent>())
        scans.push_back(scan.data);
    for (const auto& sample : samples) {
        SCOPED_TRACE(sample.name);
        // Scans carry their AIM symbology identifier, as a scanner's do.
        const std::string code =
            "]Q1" + label_code_payload(sample.data.order_id, sample.data.tracking_number);
        EXPECT_NE(std::find(scans.begin(), scans.end(), code), scans.end()) << code;
        EXPECT_NE(std::find(scans.begin(), scans.end(), "]C0" + sample.data.tracking_number),
                  scans.end());
    }
}

}  // namespace
}  // namespace packline::labels

// packline_camera_plugin (camera.so): the camera driver behind the table of
// camera_plugin.h, for the driver registry to load at run time.
#include "packline/drivers/camera_plugin.h"

namespace {

using namespace packline;

Result<std::unique_ptr<hardware::Device>> create_camera(const drivers::CameraOptions& options) {
    auto made = drivers::CameraDevice::create(options);
    if (!made.ok()) return made.error();
    return std::unique_ptr<hardware::Device>(std::move(made.value()));
}

std::vector<drivers::DetectedDevice> detect(const drivers::CameraDetectOptions& options) {
    return drivers::detect_cameras(options);
}

drivers::CameraOptions default_options() {
    return drivers::CameraOptions{};
}

const drivers::CameraPlugin kPlugin{1, &default_options, &create_camera, &detect};

}  // namespace

extern "C" __attribute__((visibility("default"))) const packline::drivers::CameraPlugin*
packline_camera_plugin_v1() {
    return &kPlugin;
}

// The camera driver as a plugin. OpenCV's Debian build maps some 250 shared
// libraries (GDAL, GDCM, Xerces, librsvg, ...) into every process that links
// it, about 60 MB of resident pages, although most stations have no camera.
// So the driver registry does not link the camera driver: it loads
// `camera.so` (packline_camera_plugin) the first time a camera is configured
// or detected, and reaches the driver through this table.
//
// The plugin is built by the same build as the programs (same compiler, same
// headers), so C++ types cross the boundary as they are; only the entry
// point has C linkage, so that dlsym can find it. It is never unloaded.
#pragma once

#include <memory>
#include <vector>

#include "packline/drivers/camera_device.h"
#include "packline/drivers/detected_device.h"
#include "packline/error.h"
#include "packline/hardware/devices.h"

namespace packline::drivers {

struct CameraPlugin {
    int version = 1;
    // CameraOptions as the driver sets them by default (their decode formats
    // come from the driver: the registry never default-constructs them).
    CameraOptions (*default_options)() = nullptr;
    Result<std::unique_ptr<hardware::Device>> (*create)(const CameraOptions& options) = nullptr;
    std::vector<DetectedDevice> (*detect)(const CameraDetectOptions& options) = nullptr;
};

// The entry point's name, and its signature: const CameraPlugin* (void).
inline constexpr const char* kCameraPluginEntry = "packline_camera_plugin_v1";

// Loads the plugin once per process and returns its table. Looked for in
// $PACKLINE_PLUGIN_DIR, then next to the program (<program dir>/../lib/packline),
// then in the build tree it was built in. "devices.plugin" names the paths
// tried and dlopen's reason.
Result<const CameraPlugin*> load_camera_plugin();

}  // namespace packline::drivers

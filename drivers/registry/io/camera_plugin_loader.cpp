#include <dlfcn.h>

#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

#include "packline/drivers/camera_plugin.h"
#include "packline/drivers/registry_errors.h"

namespace packline::drivers {
namespace {

namespace fs = std::filesystem;

// Where this program lives: plugins are installed beside it (../lib/packline).
fs::path program_directory() {
    std::error_code error;
    const fs::path self = fs::read_symlink("/proc/self/exe", error);
    return error ? fs::path() : self.parent_path();
}

std::vector<fs::path> candidate_paths() {
    std::vector<fs::path> paths;
    if (const char* dir = std::getenv("PACKLINE_PLUGIN_DIR"); dir != nullptr && *dir != '\0')
        paths.push_back(fs::path(dir) / "camera.so");
    if (fs::path program = program_directory(); !program.empty())
        paths.push_back(program.parent_path() / "lib" / "packline" / "camera.so");
    paths.push_back(fs::path(PACKLINE_PLUGIN_BUILD_DIR) / "camera.so");
    return paths;
}

}  // namespace

Result<const CameraPlugin*> load_camera_plugin() {
    static std::mutex mutex;
    static const CameraPlugin* loaded = nullptr;
    std::lock_guard lock(mutex);
    if (loaded != nullptr) return loaded;
    std::string tried;
    for (const fs::path& path : candidate_paths()) {
        std::error_code error;
        if (!fs::exists(path, error)) {
            tried += (tried.empty() ? "" : "; ") + path.string() + ": not there";
            continue;
        }
        // Never closed: devices made by it live as long as the process.
        void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
        if (handle == nullptr) {
            const char* reason = ::dlerror();
            tried += (tried.empty() ? "" : "; ") + path.string() + ": " +
                     (reason != nullptr ? reason : "dlopen failed");
            continue;
        }
        using Entry = const CameraPlugin* (*)();
        auto entry = reinterpret_cast<Entry>(::dlsym(handle, kCameraPluginEntry));
        const CameraPlugin* plugin = entry != nullptr ? entry() : nullptr;
        if (plugin == nullptr || plugin->version != 1 || plugin->default_options == nullptr ||
            plugin->create == nullptr || plugin->detect == nullptr) {
            tried += (tried.empty() ? "" : "; ") + path.string() + ": not a Packline camera plugin";
            continue;
        }
        loaded = plugin;
        return loaded;
    }
    return Error{errors::kDevicesPlugin,
                 "the camera driver (camera.so) could not be loaded: " + tried};
}

}  // namespace packline::drivers

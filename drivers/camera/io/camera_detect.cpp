// V4L2 video nodes from sysfs. A UVC camera shows up as two nodes (image and
// metadata); VIDIOC_QUERYCAP's device_caps tells which one captures frames.
#include <fcntl.h>
#include <linux/videodev2.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "packline/drivers/camera_device.h"
#include "packline/unique_fd.h"

namespace packline::drivers {
namespace {

std::string read_line(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::string line;
    std::getline(in, line);
    while (!line.empty() && (line.back() == '\n' || line.back() == ' '))
        line.pop_back();
    return line;
}

// "video12" sorts after "video2".
bool node_order(const std::string& left, const std::string& right) {
    if (left.size() != right.size()) return left.size() < right.size();
    return left < right;
}

std::string c_string(const std::uint8_t* bytes, std::size_t size) {
    const auto* text = reinterpret_cast<const char*>(bytes);
    return std::string(text, strnlen(text, size));
}

}  // namespace

std::vector<DetectedDevice> detect_cameras(const CameraDetectOptions& options) {
    std::vector<std::string> nodes;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(options.sysfs_root, error)) {
        const std::string name = entry.path().filename().string();
        if (name.starts_with("video")) nodes.push_back(name);
    }
    std::sort(nodes.begin(), nodes.end(), node_order);

    std::vector<DetectedDevice> found;
    for (const std::string& node : nodes) {
        DetectedDevice device;
        device.kind = hardware::DeviceKind::Camera;
        device.driver = "camera";
        device.id = "camera-" + node;
        device.address = (std::filesystem::path(options.dev_root) / node).string();
        device.name = read_line(std::filesystem::path(options.sysfs_root) / node / "name");
        if (device.name.empty()) device.name = node;
        device.matched_by = "video4linux node";

        const UniqueFd fd(::open(device.address.c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC));
        if (!fd) {
            const int open_error = errno;
            if (open_error == ENOENT) {
                device.health = hardware::DeviceHealth::Absent;
                device.detail = "no device node " + device.address;
            } else {
                device.health = hardware::DeviceHealth::Faulty;
                device.detail = "no permission to read " + device.address +
                                ": add the user to the video group (" + std::strerror(open_error) +
                                ")";
            }
            device.extra["capabilities"] = "unknown";
            found.push_back(std::move(device));
            continue;
        }
        v4l2_capability capability{};
        if (::ioctl(fd.get(), VIDIOC_QUERYCAP, &capability) == 0) {
            const std::uint32_t caps = (capability.capabilities & V4L2_CAP_DEVICE_CAPS) != 0
                                           ? capability.device_caps
                                           : capability.capabilities;
            if ((caps & (V4L2_CAP_VIDEO_CAPTURE | V4L2_CAP_VIDEO_CAPTURE_MPLANE)) == 0)
                continue;  // metadata or output node: not a camera to read from
            device.extra["capabilities"] = "capture";
            device.extra["card"] = c_string(capability.card, sizeof capability.card);
            device.extra["bus"] = c_string(capability.bus_info, sizeof capability.bus_info);
        } else {
            device.extra["capabilities"] = "unknown";
        }
        found.push_back(std::move(device));
    }
    return found;
}

}  // namespace packline::drivers

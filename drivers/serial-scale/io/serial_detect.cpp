// detect_serial_ports(): what `packline devices` lists for serial lines.
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <system_error>

#include "packline/drivers/serial_port.h"

namespace packline::drivers {
namespace {

namespace fs = std::filesystem;

std::string read_first_line(const fs::path& path) {
    std::ifstream in(path);
    std::string line;
    std::getline(in, line);
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r' || line.back() == ' '))
        line.pop_back();
    return line;
}

bool is_serial_name(const std::string& name) {
    return name.rfind("ttyUSB", 0) == 0 || name.rfind("ttyACM", 0) == 0;
}

struct UsbFacts {
    std::string vid_pid;  // "1a86:7523"
    std::string product;
    std::string driver;
};

// /sys/class/tty/<name>/device is the USB interface (or the usb-serial port
// below it); idVendor/idProduct sit on the USB device a level or two up.
UsbFacts usb_facts(const std::string& sys_root, const std::string& tty_name) {
    UsbFacts facts;
    std::error_code error;
    fs::path device = fs::canonical(fs::path(sys_root) / "class/tty" / tty_name / "device", error);
    if (error) return facts;
    const fs::path driver = fs::read_symlink(device / "driver", error);
    if (!error) facts.driver = driver.filename().string();
    for (int level = 0; level < 4 && !device.empty(); ++level) {
        if (fs::exists(device / "idVendor", error) && fs::exists(device / "idProduct", error)) {
            facts.vid_pid =
                read_first_line(device / "idVendor") + ":" + read_first_line(device / "idProduct");
            facts.product = read_first_line(device / "product");
            break;
        }
        if (device == device.parent_path()) break;
        device = device.parent_path();
    }
    return facts;
}

DetectedDevice describe(const std::string& address, const std::string& tty_name,
                        const std::string& sys_root, const std::string& matched_by) {
    DetectedDevice found;
    const bool acm = tty_name.rfind("ttyACM", 0) == 0;
    found.kind = acm ? hardware::DeviceKind::Scanner : hardware::DeviceKind::Scale;
    found.driver = "serial";
    found.address = address;
    found.id = "serial-" + tty_name;
    found.matched_by = matched_by;
    const UsbFacts facts = usb_facts(sys_root, tty_name);
    found.name = facts.product.empty() ? (acm ? "CDC-ACM device " : "USB-serial port ") + tty_name
                                       : facts.product + " (" + tty_name + ")";
    if (!facts.vid_pid.empty()) {
        found.extra["vid:pid"] = facts.vid_pid;
        found.id = "serial-" + facts.vid_pid + "-" + tty_name;
    }
    if (!facts.driver.empty()) found.extra["kernel driver"] = facts.driver;
    found.extra["tty"] = tty_name;
    found.extra["kind guess"] = acm ? "CDC-ACM: usually a scanner" : "USB-serial: usually a scale";
    if (::access(address.c_str(), R_OK | W_OK) != 0) {
        found.health = hardware::DeviceHealth::Faulty;
        found.detail = "no read/write permission on " + address +
                       "; add the user to group dialout or install the packline udev rules";
    }
    return found;
}

}  // namespace

std::vector<DetectedDevice> detect_serial_ports(const std::string& dev_root,
                                                const std::string& sys_root) {
    std::vector<DetectedDevice> found;
    std::set<std::string> covered;  // tty names reached through a by-id link
    std::error_code error;
    const fs::path by_id = fs::path(dev_root) / "serial/by-id";
    if (fs::is_directory(by_id, error)) {
        std::vector<fs::path> links;
        for (const auto& entry : fs::directory_iterator(by_id, error))
            links.push_back(entry.path());
        std::sort(links.begin(), links.end());
        for (const auto& link : links) {
            std::error_code resolve_error;
            const fs::path target = fs::canonical(link, resolve_error);
            if (resolve_error) continue;  // dangling: the device just left
            const std::string tty_name = target.filename().string();
            covered.insert(tty_name);
            found.push_back(describe(link.string(), tty_name, sys_root, "/dev/serial/by-id"));
            found.back().extra["device node"] = target.string();
        }
    }
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(dev_root, error)) {
        const std::string name = entry.path().filename().string();
        if (is_serial_name(name) && covered.count(name) == 0) names.push_back(name);
    }
    std::sort(names.begin(), names.end());
    for (const auto& name : names) {
        found.push_back(describe((fs::path(dev_root) / name).string(), name, sys_root,
                                 "tty name (ttyUSB/ttyACM)"));
    }
    return found;
}

}  // namespace packline::drivers

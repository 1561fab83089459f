// packline devices / devices record / scale watch / scan watch: tools for the
// person setting up a bench. They open devices through the same registry the
// daemon uses, so what they show is what the station will see.
#include <atomic>
#include <chrono>
#include <csignal>
#include <iomanip>
#include <iostream>
#include <mutex>
#include <sstream>
#include <thread>

#include "commands.h"
#include "options.h"
#include "packline/drivers/registry.h"
#include "packline/station/barcode.h"

namespace packline::cli {
namespace {

std::atomic<bool> interrupted{false};

extern "C" void on_interrupt(int) {
    interrupted = true;
}

// Writes bytes a person can read: printable ASCII as is, GS as <GS>, other
// control bytes and non-ASCII as <0xNN>, so a scanner's exact output shows.
std::string visible(std::string_view text) {
    std::string out;
    for (char raw : text) {
        const auto c = static_cast<unsigned char>(raw);
        if (c == 0x1D) {
            out += "<GS>";
        } else if (c >= 0x20 && c < 0x7F) {
            out.push_back(static_cast<char>(c));
        } else {
            std::ostringstream hex;
            hex << "<0x" << std::hex << std::setw(2) << std::setfill('0') << int{c} << '>';
            out += hex.str();
        }
    }
    return out;
}

std::string clock_time(std::int64_t at_ms) {
    std::time_t seconds = static_cast<std::time_t>(at_ms / 1000);
    std::tm local{};
    localtime_r(&seconds, &local);
    std::ostringstream text;
    text << std::put_time(&local, "%H:%M:%S") << '.' << std::setw(3) << std::setfill('0')
         << at_ms % 1000;
    return text.str();
}

// Prints every event as it arrives; device threads call post().
class PrintingSink final : public hardware::EventSink {
  public:
    explicit PrintingSink(std::ostream& out) : out_(out) {}

    bool post(hardware::DeviceEvent event) override {
        std::lock_guard lock(mutex_);
        std::visit([&](const auto& typed) { print(typed); }, event);
        out_.flush();
        ++events_;
        return true;
    }
    bool try_post(hardware::DeviceEvent event) override { return post(std::move(event)); }

    std::size_t events() const {
        std::lock_guard lock(mutex_);
        return events_;
    }
    std::size_t readings() const {
        std::lock_guard lock(mutex_);
        return readings_;
    }

  private:
    void print(const hardware::ScanEvent& scan) {
        ++readings_;
        station::ScanData data = station::parse_scan(scan.data);
        out_ << clock_time(scan.at_ms ? scan.at_ms : hardware::now_ms()) << "  " << scan.device
             << "  scan  " << visible(scan.data) << "  [" << station::to_string(data.symbology)
             << (data.gs1 ? ", GS1" : "") << "]\n";
    }
    void print(const hardware::WeightReading& reading) {
        // Scales repeat their reading; print only changes.
        if (last_reading_ && last_reading_->grams == reading.grams &&
            last_reading_->status == reading.status && last_reading_->device == reading.device)
            return;
        last_reading_ = reading;
        ++readings_;
        out_ << clock_time(reading.at_ms ? reading.at_ms : hardware::now_ms()) << "  "
             << reading.device << "  " << std::fixed << std::setprecision(1) << std::setw(9)
             << reading.grams << " g  " << hardware::to_string(reading.status) << '\n';
    }
    void print(const hardware::PrintJobUpdate& update) {
        out_ << clock_time(hardware::now_ms()) << "  " << update.device << "  job " << update.job_id
             << "  " << hardware::to_string(update.state)
             << (update.detail.empty() ? "" : "  " + update.detail) << '\n';
    }
    void print(const hardware::DeviceStatusEvent& status) {
        out_ << clock_time(status.at_ms ? status.at_ms : hardware::now_ms()) << "  "
             << status.device << "  " << hardware::to_string(status.health)
             << (status.detail.empty() ? "" : "  (" + status.detail + ")") << '\n';
    }

    std::ostream& out_;
    mutable std::mutex mutex_;
    std::size_t events_ = 0;
    std::size_t readings_ = 0;
    std::optional<hardware::WeightReading> last_reading_;
};

// The devices of one kind from the configuration, with --driver and
// --set key=value overriding it.
struct Selection {
    std::string driver;
    drivers::DeviceOptions options;
};

std::optional<Selection> select(Args& args, hardware::DeviceKind kind,
                                const station::StationConfig& config, std::ostream& err) {
    Selection selection;
    auto configured = config.devices.find(std::string(drivers::config_word(kind)));
    if (configured != config.devices.end()) {
        selection.driver = configured->second.driver;
        selection.options = configured->second.options;
    }
    if (auto driver = take_option(args, "--driver")) {
        if (*driver != selection.driver) selection.options.clear();
        selection.driver = *driver;
    }
    while (auto setting = take_option(args, "--set")) {
        auto equals = setting->find('=');
        if (equals == std::string::npos || equals == 0) {
            err << "packline: --set takes key=value, got '" << *setting << "'\n";
            return std::nullopt;
        }
        selection.options[setting->substr(0, equals)] = setting->substr(equals + 1);
    }
    // A watch on the demo's simulated devices shows nothing: look for real ones.
    if (selection.driver.empty() || selection.driver == "simulated" || selection.driver == "none")
        selection.driver = "auto";
    return selection;
}

// Runs until SIGINT/SIGTERM, --seconds elapse, or --count readings arrived.
int watch(Args args, hardware::DeviceKind kind, drivers::Recorder* recorder,
          std::optional<Selection> preselected, const station::StationConfig& config,
          std::ostream& out, std::ostream& err) {
    double seconds = 0;
    std::size_t count = 0;
    if (auto text = take_option(args, "--seconds")) seconds = std::atof(text->c_str());
    if (auto text = take_option(args, "--count"))
        count = static_cast<std::size_t>(std::atoll(text->c_str()));
    std::optional<Selection> selection =
        preselected ? preselected : select(args, kind, config, err);
    if (!selection) return 2;
    if (!args.empty()) {
        err << "packline: unexpected argument '" << args.front() << "'\n";
        return 2;
    }
    drivers::CreateOptions create;
    create.recorder = recorder;
    auto devices = drivers::create_devices(kind, selection->driver, selection->options, create);
    if (!devices.ok()) {
        err << "packline: " << devices.error().message << '\n';
        return 2;
    }
    if (devices.value().empty()) {
        err << "packline: no " << drivers::config_word(kind) << " configured (driver 'none')\n";
        return 2;
    }
    PrintingSink sink(out);
    std::signal(SIGINT, on_interrupt);
    std::signal(SIGTERM, on_interrupt);
    out << "watching " << drivers::config_word(kind) << " (driver " << selection->driver
        << "); Ctrl+C stops" << std::endl;
    for (auto& device : devices.value())
        if (auto opened = device->open(sink); !opened.ok()) {
            err << "packline: " << device->id() << ": " << opened.error().message << '\n';
            return 1;
        }
    const auto start = std::chrono::steady_clock::now();
    while (!interrupted) {
        if (seconds > 0 &&
            std::chrono::steady_clock::now() - start > std::chrono::duration<double>(seconds))
            break;
        if (count > 0 && sink.readings() >= count) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    for (auto& device : devices.value())
        device->close();
    return 0;
}

const char* kDevicesUsage =
    "usage: packline devices [--drivers]\n"
    "       packline devices record KIND --out FILE [--model TEXT] [--notes TEXT]\n"
    "                        [--driver NAME] [--set KEY=VALUE]... [--seconds N] [--count N]\n"
    "  KIND is scanner or scale. Lists what the drivers find; record writes what a\n"
    "  device sends to FILE, which `driver = \"replay\"` plays back.\n";

int list_devices(std::ostream& out) {
    auto found = drivers::detect_devices();
    // Every kind gets a heading, so "nothing found" is said as plainly as
    // what was found, with where the drivers looked.
    const std::vector<std::pair<hardware::DeviceKind, const char*>> kinds{
        {hardware::DeviceKind::Scanner,
         "USB HID POS scanners, keyboard-wedge scanners in /dev/input, CDC-ACM ports"},
        {hardware::DeviceKind::Scale, "USB HID POS scales, serial ports (ttyUSB, by-id)"},
        {hardware::DeviceKind::LabelPrinter, "CUPS destinations"},
        {hardware::DeviceKind::Camera, "V4L2 capture devices (/dev/video*)"},
    };
    for (const auto& [kind, where] : kinds) {
        out << drivers::config_word(kind) << "s:\n";
        bool any = false;
        for (const drivers::DetectedDevice& device : found) {
            if (device.kind != kind) continue;
            any = true;
            out << "  " << std::left << std::setw(8) << hardware::to_string(device.health) << ' '
                << device.name << "  [driver " << device.driver << "]\n";
            out << "           at " << device.address << "; matched by " << device.matched_by
                << '\n';
            if (!device.detail.empty()) out << "           " << device.detail << '\n';
            for (const auto& [key, value] : device.extra)
                out << "           " << key << ": " << value << '\n';
        }
        if (!any) out << "  none found (looked for " << where << ")\n";
    }
    return 0;
}

int list_drivers(std::ostream& out) {
    for (const drivers::DriverInfo& driver : drivers::driver_table()) {
        std::string kinds;
        for (hardware::DeviceKind kind : driver.kinds)
            kinds += (kinds.empty() ? "" : ",") + std::string(drivers::config_word(kind));
        out << std::left << std::setw(12) << driver.name << ' ' << std::setw(26) << kinds << ' '
            << driver.summary << '\n';
        if (!driver.options.empty()) {
            out << "             options:";
            for (const std::string& option : driver.options)
                out << ' ' << option;
            out << '\n';
        }
    }
    return 0;
}

int record(Args args, const station::StationConfig& config, std::ostream& out, std::ostream& err) {
    if (args.empty()) {
        err << kDevicesUsage;
        return 2;
    }
    auto kind = drivers::parse_device_kind(args.front());
    args.erase(args.begin());
    if (!kind.ok()) {
        err << "packline: " << kind.error().message << '\n';
        return 2;
    }
    auto path = take_option(args, "--out");
    if (!path) {
        err << kDevicesUsage;
        return 2;
    }
    auto selection = select(args, kind.value(), config, err);
    if (!selection) return 2;
    auto header = drivers::recording_header(kind.value(), selection->driver, selection->options);
    if (!header.ok()) {
        err << "packline: " << header.error().message << '\n';
        return 2;
    }
    if (auto model = take_option(args, "--model")) header.value()["model"] = *model;
    if (auto notes = take_option(args, "--notes")) header.value()["notes"] = *notes;
    std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    std::ostringstream stamp;
    stamp << std::put_time(&utc, "%Y-%m-%dT%H:%M:%SZ");
    header.value()["recorded"] = stamp.str();
    auto recorder = drivers::Recorder::create(*path, header.value());
    if (!recorder.ok()) {
        err << "packline: " << recorder.error().message << '\n';
        return 1;
    }
    int status =
        watch(std::move(args), kind.value(), recorder.value().get(), selection, config, out, err);
    out << "recorded " << recorder.value()->chunks() << " chunks to " << *path << '\n';
    return status;
}

}  // namespace

int devices_command(const Args& given, std::ostream& out, std::ostream& err) {
    Args args = given;
    auto config = load_station_config(args, err);
    if (!config) return 2;
    if (!args.empty() && args.front() == "record")
        return record({args.begin() + 1, args.end()}, *config, out, err);
    if (take_flag(args, "--drivers") && args.empty()) return list_drivers(out);
    if (!args.empty()) {
        err << kDevicesUsage;
        return 2;
    }
    return list_devices(out);
}

int watch_command(hardware::DeviceKind kind, const Args& given, std::ostream& out,
                  std::ostream& err) {
    Args args = given;
    auto config = load_station_config(args, err);
    if (!config) return 2;
    if (args.empty() || args.front() != "watch") {
        err << "usage: packline " << drivers::config_word(kind)
            << " watch [--driver NAME] [--set KEY=VALUE]... [--seconds N] [--count N]\n";
        return 2;
    }
    return watch({args.begin() + 1, args.end()}, kind, nullptr, std::nullopt, *config, out, err);
}

}  // namespace packline::cli

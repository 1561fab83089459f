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

// Which devices of a kind to open: the configuration's, with --driver and
// --set key=value overriding it.
struct DeviceChoice {
    std::optional<std::string> driver;
    std::vector<std::string> settings;  // key=value
};

struct Selection {
    std::string driver;
    drivers::DeviceOptions options;
};

Selection select(const DeviceChoice& choice, hardware::DeviceKind kind,
                 const station::StationConfig& config) {
    Selection selection;
    auto configured = config.devices.find(std::string(drivers::config_word(kind)));
    if (configured != config.devices.end()) {
        selection.driver = configured->second.driver;
        selection.options = configured->second.options;
    }
    if (choice.driver) {
        if (*choice.driver != selection.driver) selection.options.clear();
        selection.driver = *choice.driver;
    }
    for (const std::string& setting : choice.settings) {
        const auto equals = setting.find('=');
        selection.options[setting.substr(0, equals)] = setting.substr(equals + 1);
    }
    // A watch on the demo's simulated devices shows nothing: look for real ones.
    if (selection.driver.empty() || selection.driver == "simulated" || selection.driver == "none")
        selection.driver = "auto";
    return selection;
}

// What `scale watch`, `scan watch` and `devices record` share.
struct WatchOptions {
    command_line::StationOptions station;
    DeviceChoice choice;
    double seconds = 0;
    std::size_t count = 0;
};

void add_watch_options(CLI::App& command, WatchOptions& options) {
    add_station_options(command, options.station);
    command
        .add_option_function<std::string>(
            "--driver", [&options](const std::string& name) { options.choice.driver = name; },
            "the driver to open, instead of the configuration's (packline devices --drivers)")
        ->type_name("NAME");
    command
        .add_option("--set", options.choice.settings,
                    "a driver option, instead of the configuration's")
        ->type_name("KEY=VALUE")
        ->check(command_line::check_with(
            [](const std::string& setting) {
                const auto equals = setting.find('=');
                return equals == std::string::npos || equals == 0
                           ? "--set takes key=value, got '" + setting + "'"
                           : std::string();
            },
            "SETTING"));
    command.add_option("--seconds", options.seconds, "stop after this many seconds")
        ->type_name("N")
        ->check(CLI::NonNegativeNumber);
    command.add_option("--count", options.count, "stop after this many readings")->type_name("N");
}

// Runs until SIGINT/SIGTERM, --seconds elapse, or --count readings arrived.
int watch(const WatchOptions& watching, hardware::DeviceKind kind, drivers::Recorder* recorder,
          const Selection& selection, std::ostream& out, std::ostream& err) {
    const double seconds = watching.seconds;
    const std::size_t count = watching.count;
    drivers::CreateOptions create;
    create.recorder = recorder;
    auto devices = drivers::create_devices(kind, selection.driver, selection.options, create);
    if (!devices.ok()) {
        err << "packline: " << devices.error().message << '\n';
        return command_line::kExitUsage;
    }
    if (devices.value().empty()) {
        err << "packline: no " << drivers::config_word(kind) << " configured (driver 'none')\n";
        return command_line::kExitUsage;
    }
    PrintingSink sink(out);
    std::signal(SIGINT, on_interrupt);
    std::signal(SIGTERM, on_interrupt);
    out << "watching " << drivers::config_word(kind) << " (driver " << selection.driver
        << "); Ctrl+C stops" << std::endl;
    for (auto& device : devices.value())
        if (auto opened = device->open(sink); !opened.ok()) {
            err << "packline: " << device->id() << ": " << opened.error().message << '\n';
            return command_line::kExitFailed;
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

// The driver table: each driver with its kinds, and each option with its
// type, default and help, from the descriptors themselves.
int list_drivers(std::ostream& out) {
    for (const drivers::DriverDescriptor& driver : drivers::driver_table()) {
        std::string kinds;
        for (hardware::DeviceKind kind : driver.kinds)
            kinds += (kinds.empty() ? "" : ",") + std::string(drivers::config_word(kind));
        out << std::left << std::setw(12) << driver.name << ' ' << std::setw(26) << kinds << ' '
            << driver.summary << '\n';
        for (const drivers::OptionSpec& option : driver.options) {
            std::string value = std::string(drivers::to_string(option.type));
            if (!option.default_value.empty()) value += " = " + option.default_value;
            out << "    " << std::setw(22) << option.name << ' ' << std::setw(22) << value << ' '
                << option.help << '\n';
        }
    }
    return command_line::kExitOk;
}

struct RecordOptions {
    WatchOptions watch;
    hardware::DeviceKind kind = hardware::DeviceKind::Scanner;
    std::string path;
    std::optional<std::string> model;
    std::optional<std::string> notes;
};

int record(const RecordOptions& options, std::ostream& out, std::ostream& err) {
    auto config = load_station_config(options.watch.station, err);
    if (!config) return command_line::kExitUsage;
    const Selection selection = select(options.watch.choice, options.kind, *config);
    auto header = drivers::recording_header(options.kind, selection.driver, selection.options);
    if (!header.ok()) {
        err << "packline: " << header.error().message << '\n';
        return command_line::kExitUsage;
    }
    if (options.model) header.value()["model"] = *options.model;
    if (options.notes) header.value()["notes"] = *options.notes;
    std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    std::ostringstream stamp;
    stamp << std::put_time(&utc, "%Y-%m-%dT%H:%M:%SZ");
    header.value()["recorded"] = stamp.str();
    auto recorder = drivers::Recorder::create(options.path, header.value());
    if (!recorder.ok()) {
        err << "packline: " << recorder.error().message << '\n';
        return command_line::kExitFailed;
    }
    int status = watch(options.watch, options.kind, recorder.value().get(), selection, out, err);
    out << "recorded " << recorder.value()->chunks() << " chunks to " << options.path << '\n';
    return status;
}

struct ListOptions {
    command_line::StationOptions station;
    bool drivers = false;
};

}  // namespace

void add_device_commands(CLI::App& root, Invocation& invocation) {
    auto list = std::make_shared<ListOptions>();
    CLI::App* devices = root.add_subcommand(
        "devices", "scanners, scales, printers and cameras found, and their health");
    add_station_options(*devices, list->station);
    devices->add_flag("--drivers", list->drivers, "the driver table and each driver's options");
    command_line::runs(*devices, invocation, [list, &invocation] {
        if (!load_station_config(list->station, invocation.err)) return command_line::kExitUsage;
        return list->drivers ? list_drivers(invocation.out) : list_devices(invocation.out);
    });

    auto recording = std::make_shared<RecordOptions>();
    CLI::App* record_command =
        devices->add_subcommand("record", "record what a scanner or scale sends (for replay)");
    record_command->footer(
        "Writes what the device sends, with timing, to FILE; `driver = \"replay\"` plays\n"
        "it back (docs/devices.md).");
    record_command
        ->add_option_function<std::string>(
            "kind",
            [recording](const std::string& word) {
                recording->kind = drivers::parse_device_kind(word).value();
            },
            "scanner or scale")
        ->type_name("KIND")
        ->required()
        ->check(command_line::check_with(
            [](const std::string& word) {
                auto kind = drivers::parse_device_kind(word);
                return kind.ok() ? std::string() : kind.error().message;
            },
            "KIND"));
    record_command->add_option("--out", recording->path, "the recording to write")
        ->type_name("FILE")
        ->required();
    record_command
        ->add_option_function<std::string>(
            "--model", [recording](const std::string& text) { recording->model = text; },
            "the device's model, for the recording's header")
        ->type_name("TEXT");
    record_command
        ->add_option_function<std::string>(
            "--notes", [recording](const std::string& text) { recording->notes = text; },
            "notes for the recording's header")
        ->type_name("TEXT");
    add_watch_options(*record_command, recording->watch);
    command_line::runs(*record_command, invocation, [recording, &invocation] {
        return record(*recording, invocation.out, invocation.err);
    });

    for (const hardware::DeviceKind kind :
         {hardware::DeviceKind::Scale, hardware::DeviceKind::Scanner}) {
        const bool scale = kind == hardware::DeviceKind::Scale;
        CLI::App* group =
            root.add_subcommand(scale ? "scale" : "scan", scale ? "the scale" : "the scanner");
        group->require_subcommand(1);
        auto watching = std::make_shared<WatchOptions>();
        CLI::App* watch_command = group->add_subcommand(
            "watch", scale ? "live scale readings (changes only) and health changes"
                           : "live scans: the exact bytes, and what each one means");
        add_watch_options(*watch_command, *watching);
        command_line::runs(*watch_command, invocation, [watching, kind, &invocation] {
            auto config = load_station_config(watching->station, invocation.err);
            if (!config) return command_line::kExitUsage;
            return watch(*watching, kind, nullptr, select(watching->choice, kind, *config),
                         invocation.out, invocation.err);
        });
    }
}

}  // namespace packline::cli
